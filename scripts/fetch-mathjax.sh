#!/usr/bin/env bash
# Install MathJax 3.2.2 from the npm registry into _vendor/mathjax, checked against its sha256,
# so that the site serves MathJax itself (no CDN). Third-party code is fetched, never committed.
set -euo pipefail
version=3.2.2
sha256=1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09
dest=_vendor/mathjax
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-mathjax: npm is not on PATH; install Node.js's npm (apt-get install -y npm)," \
    "then run make again" >&2
  exit 1
fi
if ! (cd "$tmp" && npm pack --silent "mathjax@$version" >/dev/null); then
  echo "fetch-mathjax: 'npm pack mathjax@$version' failed (npm's messages above)" >&2
  exit 1
fi
if ! echo "$sha256  $tmp/mathjax-$version.tgz" | sha256sum --check --quiet; then
  echo "fetch-mathjax: mathjax-$version.tgz does not have the pinned sha256 $sha256" >&2
  exit 1
fi
tar -xzf "$tmp/mathjax-$version.tgz" -C "$tmp"
rm -rf "$dest" && mkdir -p "$dest/output"
es5="$tmp/package/es5"
cp "$es5/tex-chtml.js" "$dest/"
cp -r "$es5/input" "$es5/ui" "$es5/a11y" "$es5/sre" "$dest/"
cp -r "$es5/output/chtml" "$es5/output/chtml.js" "$dest/output/"
echo "MathJax $version installed in $dest"

#!/usr/bin/env bash
# Make sure Debian's chromium (the PDF, scripts/pdf.py, and the browser tests drive it) and
# poppler-utils (pdftoppm: the PDF tests render a page to see whether it is blank) are on PATH.
# As root it installs the missing packages (apt-get, about 25 s once); as another user it says in
# one line what to run, and fails, so that `make book` stops after the site with the PDF missing.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's ${missing[*]} (for the PDF and the browser tests)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
      >/tmp/vah-chromium-install.log 2>&1; then
    tail -n 5 /tmp/vah-chromium-install.log >&2
    echo "could not install ${missing[*]} with apt-get (its last lines above); the site is built," \
      "the PDF is not" >&2
    exit 1
  fi
  command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && exit 0
  echo "apt-get installed ${missing[*]} but chromium or pdftoppm is not on PATH" >&2
  exit 1
fi
echo "missing on PATH: ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}', then 'make book'" \
  "again (the site is built in _build/html; the PDF and the browser tests need them)" >&2
exit 1

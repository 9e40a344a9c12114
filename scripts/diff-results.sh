#!/usr/bin/env bash
# `make diff BASE=<git ref>`: the `vah results` snapshot of BASE, computed in a temporary worktree
# by that commit's own src/vah, against the working tree's; then `vah diff` (exit 1 if a value
# changed, 2 on bad input). Usage: scripts/diff-results.sh BASE PYTHON
set -euo pipefail
base=${1:-}
py=${2:-python3}
root=$(git rev-parse --show-toplevel)
if [[ -z $base ]]; then
  echo "make diff: give the commit to compare with, e.g. make diff BASE=HEAD" >&2
  exit 2
fi
if ! commit=$(git -C "$root" rev-parse --verify --quiet "$base^{commit}"); then
  echo "make diff: $base is not a commit of this repository" >&2
  exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vah-diff.XXXXXX")
cleanup() {
  git -C "$root" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
  git -C "$root" worktree prune
  rm -rf "$tmp"
}
trap cleanup EXIT
git -C "$root" worktree add --quiet --detach "$tmp/base" "$commit"
# PYTHONPATH comes before the venv's editable install of another checkout; snapshot.py fails
# unless every vah module it used was loaded from the src it was given.
(cd "$tmp/base" && PYTHONPATH="$tmp/base/src" "$py" "$root/scripts/snapshot.py" "$tmp/base/src") \
  > "$tmp/base.json"
(cd "$root" && PYTHONPATH="$root/src" "$py" "$root/scripts/snapshot.py" "$root/src") \
  > "$tmp/work.json"
echo "vah results: $base (${commit:0:12}) -> working tree" >&2
PYTHONPATH="$root/src" "$py" -m vah.cli diff "$tmp/base.json" "$tmp/work.json"

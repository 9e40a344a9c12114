#!/usr/bin/env bash
# Make sure Debian's chromium is on PATH: the PDF (scripts/pdf.py) and the browser tests drive it.
# As root it installs the package (apt-get, about 25 s once); as another user it says in one line
# what to run, and fails, so that `make book` stops after the site with the PDF missing.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium (for the PDF and the browser tests)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
      >/tmp/vah-chromium-install.log 2>&1; then
    tail -n 5 /tmp/vah-chromium-install.log >&2
    echo "could not install chromium with apt-get (its last lines above); the site is built," \
      "the PDF is not" >&2
    exit 1
  fi
  command -v chromium >/dev/null 2>&1 && exit 0
  echo "apt-get installed chromium but it is not on PATH" >&2
  exit 1
fi
echo "no chromium on PATH: run 'sudo apt-get install -y chromium', then 'make book' again" \
  "(the site is built in _build/html; the PDF and the browser tests need chromium)" >&2
exit 1

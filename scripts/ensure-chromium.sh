#!/bin/sh
# Make sure the browser that tests/test_dagster_ui.py drives is there: Debian's Chromium
# (no browser can be downloaded here, so it comes from Debian's packages, not Playwright's).
# Missing and running as root: install it with apt-get. Missing otherwise: say how, in one line.
# CHROMIUM names the browser's path (default /usr/bin/chromium, what the test uses).
set -eu
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "make test: $CHROMIUM is missing; install Debian's chromium (sudo apt-get install chromium), then run make test again" >&2
  exit 1
fi
echo "make test: installing Debian's chromium for the browser test (apt-get update + install)" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for a dpkg lock held by another apt-get instead of failing at once.
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "make test: apt-get installed chromium but $CHROMIUM is still missing" >&2
  exit 1
fi

#!/bin/sh
# Make sure Debian's redis-server is there for distributed mode (the Celery broker and result
# backend of `tradeclaims workers start` and `make test-distributed`), as ensure-chromium.sh does
# for the browser: missing and running as root, install it with apt-get; otherwise say how, in one line.
# REDIS_SERVER names the binary to look for (default redis-server, on PATH).
set -eu
REDIS_SERVER="${REDIS_SERVER:-redis-server}"
command -v "$REDIS_SERVER" >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "tradeclaims workers: redis-server is missing; install Debian's redis-server (sudo apt-get install redis-server), then try again" >&2
  exit 1
fi
echo "tradeclaims workers: installing Debian's redis-server (apt-get update + install)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
# Only the binary is used: the Debian service (if the package starts one) is not the one the workers talk to.
apt-get -o DPkg::Lock::Timeout=600 install -y -qq redis-server >/dev/null
if ! command -v "$REDIS_SERVER" >/dev/null 2>&1; then
  echo "tradeclaims workers: apt-get installed redis-server but it is still not on PATH" >&2
  exit 1
fi

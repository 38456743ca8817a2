#!/bin/sh
# Installs dyad's build and test dependencies from Debian when any is missing.
# Used by `make demo`, `make check` and .ci/run; safe to run again.
set -eu
# `make fuzz` adds clang and its sanitizer runtime (DYAD_DEPS_EXTRA).
pkgs="build-essential pkg-config libutf8proc-dev libxml2-dev libcjson-dev libsqlite3-dev wordnet-base python3 ${DYAD_DEPS_EXTRA:-}"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "dyad: missing Debian packages:$missing" >&2
	echo "dyad: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "dyad: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null

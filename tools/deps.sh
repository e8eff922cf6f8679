#!/bin/sh
# Makes sure the Debian packages skl builds and tests with are present.
# As root it installs what is missing; otherwise it prints the exact apt line and fails.
set -u
need=""
pkgconf_has() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
pkgconf_has libsodium || need="$need libsodium-dev"
pkgconf_has openssl || need="$need libssl-dev"
pkgconf_has sqlite3 || need="$need libsqlite3-dev"
pkgconf_has check || need="$need check"
command -v openssl >/dev/null 2>&1 || need="$need openssl"
command -v python3 >/dev/null 2>&1 || need="$need python3"
command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
[ -z "$need" ] && exit 0
line="apt-get install -y$need"
if [ "$(id -u)" = 0 ]; then
    echo "skl: installing missing packages:$need" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq $need >&2 && exit 0
    echo "skl: the install failed; run as root: apt-get update && $line" >&2
    exit 2
fi
echo "skl: missing packages; run as root: apt-get update && $line" >&2
exit 2

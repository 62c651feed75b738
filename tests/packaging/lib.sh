#!/usr/bin/env bash
# Shared by the packaging tests: the OpenWrt files under test, the test doubles in fakes/ (uci,
# /lib/functions.sh, procd, /etc/rc.common, logger), a private work folder, ok/fail counting.
# A missing tool fails the test (scripts/setup.sh installs it); nothing is skipped.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OPENWRT="$ROOT/packaging/openwrt"
FILES="$OPENWRT/router-ca/files"
FAKES="$HERE/fakes"

for tool in python3 tar gzip shellcheck busybox readelf; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh installs it)"; exit 1; }
done

# The router's shell is busybox ash: the scripts that run there run here under busybox's ash too.
# shellcheck disable=SC2034 # used by the tests that source this file
ASH=(busybox sh)

# shellcheck source=../../scripts/lib/harness.sh
source "$ROOT/scripts/lib/harness.sh"
harness_init rca-pkg
CHECKS=0
fail() { echo "FAIL: $*"; exit 1; }
ok() { CHECKS=$((CHECKS + 1)); echo "ok $CHECKS - $*"; }
finish() { echo "$CHECKS passed, 0 failed"; }

# A router's /etc/config in $WORK/config, read and written by the fake uci.
export UCI_CONFIG_DIR="$WORK/config"
export FAKE_LOG="$WORK/syslog"
export PATH="$FAKES:$PATH"
mkdir -p "$UCI_CONFIG_DIR"
: >"$FAKE_LOG"

# install_router_config: the package's /etc/config/router-ca and a stock LAN.
install_router_config() {
  cp "$FILES/router-ca.config" "$UCI_CONFIG_DIR/router-ca"
  cat >"$UCI_CONFIG_DIR/network" <<'CFG'

config interface 'loopback'
	option device 'lo'
	option proto 'static'
	option ipaddr '127.0.0.1'
	option netmask '255.0.0.0'

config interface 'lan'
	option device 'br-lan'
	option proto 'static'
	option ipaddr '192.168.1.1'
	option netmask '255.255.255.0'
CFG
}

#!/usr/bin/env bash
# Installs everything router-ca needs to build, run and test on Debian 12. Idempotent: packages
# already present are skipped, so a second run costs one dpkg query.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config git
  # libraries (the user's choice: Botan 2, cpp-httplib, Avahi, SQLite3, Catch2)
  libbotan-2-dev libcpp-httplib-dev libssl-dev libsqlite3-dev catch2 nlohmann-json3-dev
  libldns-dev libavahi-client-dev
  # real peers for tests and benchmarks
  openssl curl python3 procps lego pebble certbot python3-cryptography
  # faketime runs the daemon on a fast clock (tests/e2e/crl_resign_test.sh)
  faketime
  # OpenWrt packaging tests: shellcheck, and busybox's ash (the router's shell)
  shellcheck busybox
  # DNS peers: kdig, dnsmasq (as OpenWrt runs it), dnsperf (benchmark)
  knot-dnsutils dnsmasq-base dnsperf
  # mDNS peers: a system D-Bus and avahi-daemon per test network namespace, avahi-browse/-resolve
  avahi-daemon avahi-utils dbus iproute2
  # web UI: QR codes (libqrencode), browser tests in Debian's chromium with an NSS root store
  libqrencode-dev chromium libnss3-tools
  # fuzzing (scripts/fuzz.sh): clang 14 and its libFuzzer and sanitizer runtimes
  clang libclang-rt-14-dev
)
# playwright-core comes from npm (tests/webui/package-lock.json); take Debian's node and npm
# unless a node with npm is already installed (NodeSource's nodejs bundles npm and conflicts
# with Debian's npm package).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

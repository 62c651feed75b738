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
  # the home domain is never a public suffix: libpsl reads Debian's list (router-ca/psl)
  libpsl-dev publicsuffix
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
  # the verifier matrix (tests/e2e/verifier_matrix_test.sh): GnuTLS certtool, NSS vfychain (in
  # libnss3-tools) and Go's crypto/x509, each judging the same forged leaves
  gnutls-bin golang-go
  # HQ's PostgreSQL store: libpq to build; the server for tests/hq/hq_postgres_test.sh and
  # bench/hq_bench.sh, which start a throwaway cluster of their own (scripts/lib/postgres_cluster.sh)
  libpq-dev postgresql
  # PowerDNS Authoritative reading HQ's PostgreSQL tables (hq/powerdns/, tests/hq/hq_powerdns_test.sh,
  # bench/hq_scale.sh), each test starting its own on a free loopback port
  pdns-server pdns-backend-pgsql
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
# Debian's postgresql package would create and start a system cluster on port 5432; the tests
# start their own, so say no before it is installed (postgresql-common reads create_main_cluster
# from this file; UCF_FORCE_CONFFOLD keeps our copy when the package installs its own).
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  $sudo mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
# pdns-server's postinst would enable and start a system PowerDNS on port 53 (with no backend),
# which the tests neither use nor want beside their own: mask its unit first, where systemd runs.
if [ -d /run/systemd/system ] && ! dpkg-query -W -f='${Status}' pdns-server 2>/dev/null | grep -q "install ok installed"; then
  $sudo systemctl mask pdns.service >/dev/null 2>&1 || true
fi
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get install -y -qq \
  --no-install-recommends "${missing[@]}"

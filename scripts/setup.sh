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
  # the big-endian cross pass CI runs (scripts/cross-test.sh s390x): Debian's cross toolchain,
  # qemu-user, and ccache, which keeps the cross objects between runs
  crossbuild-essential-s390x qemu-user-static ccache
)
# playwright-core comes from npm (tests/webui/package-lock.json); take Debian's node and npm
# unless a node with npm is already installed (NodeSource's nodejs bundles npm and conflicts
# with Debian's npm package).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

source "$(dirname "$0")/lib/debian_packages.sh"
install_debian_packages "${packages[@]}"

#!/usr/bin/env bash
# run_all: runs every benchmark against an existing build and prints a summary of the headline
# figures with their peers. Builds nothing: build first, e.g.
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
#   cmake --build build --target issuance_bench router-ca device-enrol dns-serve-zone hq hq_api_bench -j2
#
# usage: bench/run_all.sh [BUILD_DIR]      (default: build)
# Each benchmark's full output is printed as it runs; any failure stops the run with its status.
# The environment variables of the individual benchmarks (RUNS, ACME_RUNS, COUNT, SETTLE) pass
# through.
set -euo pipefail

BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH_BIN="$BUILD/bench/issuance_bench"
[ -x "$BENCH_BIN" ] || {
  echo "run_all: ERROR: $BENCH_BIN not found: cmake --build $BUILD --target issuance_bench" >&2
  exit 1
}

OUT=$(mktemp -d "${TMPDIR:-/tmp}/rca-bench-all.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

run() {
  local name=$1; shift
  echo "================ $name: $*"
  local status=0
  "$@" 2>&1 | tee "$OUT/$name.txt" || status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ]; then
    echo "run_all: ERROR: $name failed (exit $status)" >&2
    exit "$status"
  fi
  echo
}

run issuance "$BENCH_BIN"
run enrol_e2e bash "$HERE/enrol_e2e.sh" "$BUILD"
run acme bash "$HERE/acme_bench.sh" "$BUILD"
run footprint bash "$HERE/footprint.sh" "$BUILD"
run dns bash "$HERE/dns_bench.sh" "$BUILD"
run zone_rss bash "$HERE/daemon_zone_rss.sh" "$BUILD"
run hq bash "$HERE/hq_bench.sh" "$BUILD"
run hq_scale bash "$HERE/hq_scale.sh" "$BUILD"
run public_cert bash "$HERE/public_cert_bench.sh" "$BUILD"
run attack bash "$HERE/attack_bench.sh" "$BUILD"

field() { grep -h '^RESULT' "$OUT/$1.txt" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
line() { grep -h -m1 -- "$2" "$OUT/$1.txt" | sed 's/^ *//'; }

echo "================ summary ($(date -u +%Y-%m-%d), $(nproc) CPUs, $(uname -sr))"
echo "issuance (one thread, certificates/second; peer: Botan raw ECDSA P-256 in the same run)"
echo "  $(line issuance 'peer: Botan ECDSA P-256 sign')"
echo "  $(line issuance 'peer: Botan ECDSA P-256 verify')"
echo "  $(line issuance 'store :memory:')"
echo "  $(line issuance 'store file')"
echo "  $(line issuance 'issuance(:memory:) / raw sign')"
echo "  $(line issuance 'issuance(file)     / raw sign')"
echo "enrolment end to end (wall time; peer: lego + pebble, http-01 on loopback)"
echo "  router-ca device-enrol pair: median $(field enrol_e2e router_median_ms) ms," \
  "p95 $(field enrol_e2e router_p95_ms) ms (n=$(field enrol_e2e runs))"
echo "  lego run against pebble:     median $(field enrol_e2e acme_median_ms) ms," \
  "p95 $(field enrol_e2e acme_p95_ms) ms (n=$(field enrol_e2e acme_runs))"
echo "  ratio lego+pebble / router-ca: median $(field enrol_e2e ratio_median)x," \
  "p95 $(field enrol_e2e ratio_p95)x (lego's own poll wait: ~$(field enrol_e2e lego_poll_wait_s) s)"
echo "  lego runs that skipped lego's poll wait: $(field enrol_e2e acme_nowait_runs)," \
  "median $(field enrol_e2e acme_nowait_median_ms) ms"
echo "ACME issuance with lego (wall time per certificate, $(field acme count) in a row; peer: pebble)"
echo "  lego run against router-ca: $(field acme router_ms_per_cert) ms per certificate" \
  "(median $(field acme router_median_ms) ms)"
echo "  lego run against pebble:    $(field acme pebble_ms_per_cert) ms per certificate" \
  "(median $(field acme pebble_median_ms) ms; $(field acme pebble_nowait_runs) runs without lego's poll wait)"
echo "  ratio pebble / router-ca: $(field acme ratio)x (medians: $(field acme ratio_median)x)"
echo "footprint (peer: pebble idle on loopback)"
echo "  router-ca serve idle VmRSS $(field footprint router_rss_kib) KiB" \
  "(private $(field footprint router_anon_kib) KiB); pebble $(field footprint pebble_rss_kib) KiB" \
  "(private $(field footprint pebble_anon_kib) KiB); ratio $(field footprint rss_ratio)" \
  "(private $(field footprint anon_ratio))"
echo "  stripped: router-ca $(field footprint router_stripped_kib) KiB," \
  "device-enrol $(field footprint device_enrol_stripped_kib) KiB," \
  "pebble $(field footprint pebble_stripped_kib) KiB"
echo "authoritative DNS (dnsperf; peer: dnsmasq with the same names in a hosts file, same queries)"
echo "  mixed queries: responder $(field dns mixed_responder_qps) q/s, dnsmasq" \
  "$(field dns mixed_dnsmasq_qps) q/s, ratio $(field dns mixed_ratio)x"
echo "  forward only:  responder $(field dns forward_responder_qps) q/s, dnsmasq" \
  "$(field dns forward_dnsmasq_qps) q/s, ratio $(field dns forward_ratio)x"
echo "  VmRSS with $(field dns hosts) devices: responder $(field dns responder_rss_kib) KiB" \
  "(empty zone $(field dns empty_rss_kib) KiB), dnsmasq $(field dns dnsmasq_rss_kib) KiB"
echo "HQ API (requests/second; peer: the same server's GET /healthz, SQLite and PostgreSQL in one run)"
grep -h '^hq_bench: \(sqlite\|postgres\|PostgreSQL\)' "$OUT/hq.txt" | sed 's/^hq_bench: /  /'
echo "HQ from 1,000 to 100,000 homes (record updates/second; peer: the same store at the small size)"
tail -n 1 "$OUT/hq_scale.txt" | sed 's/^hq_scale: /  /'
echo "pair to a public certificate (wall time; peers: local-only pair, hq's direct order, lego + pebble)"
echo "  pair + public $(field public_cert public_ms) ms, local only $(field public_cert local_ms) ms," \
  "hq direct $(field public_cert hq_direct_ms) ms, lego + pebble $(field public_cert lego_ms) ms (n=$(field public_cert runs))"
echo "every unauthenticated flood at once, 60 s (peer: the same device operations on the idle router)"
echo "  daemon: peak RSS $(field attack peak_rss_kib) KiB, data folder +$(field attack data_growth_bytes) bytes," \
  "$(field attack cpu_s) CPU s in $(field attack seconds) s; pairing by button: $(field attack pair_outcome)"
echo "  device renewal: $(field attack renew_idle_ms) ms idle, $(field attack renew_attack_ms) ms under attack;" \
  "DNS over UDP: $(field attack dns_udp_idle_ms) / $(field attack dns_udp_attack_ms) ms;" \
  "goals missed: $(field attack goals_missed)"

#!/usr/bin/env bash
# public_cert_bench: time from `device-enrol pair` to an installed public certificate (issue 6's
# HQ fallback) with the real Pebble, hq and router-ca --hq-url on loopback, beside three peers
# measured in the same run, the runs interleaved so a change in the machine's load hits all alike:
#
#   pair+public: `device-enrol pair --public-wait 120` against router-ca --hq-url: key, CSR, local
#                certificate, then the public one (own key, CSR, relay over mutual TLS, hq's
#                DNS-01 order at Pebble, polling at the router's Retry-After), both installed.
#   pair local:  the same `device-enrol pair` against a router without HQ (local certificate only).
#   hq direct:   an openssl key and CSR POSTed straight to hq and polled every 0.2 s until issued:
#                the public CA's part without the device and the router.
#   lego+pebble: `lego run` (new account, http-01) against a second Pebble: what a standard ACME
#                client takes for one certificate from the same CA software.
# Every Pebble runs with PEBBLE_VA_NOSLEEP=1 (no artificial validation delay).
#
# usage: bench/public_cert_bench.sh [BUILD_DIR]   (default: build; builds nothing itself)
# env:   RUNS (default 5), RUN_TIMEOUT (seconds for one timed command, default 120)
# Reuses the end-to-end harness (tests/e2e/public_lib.sh) to start Pebble, hq and router-ca.
set -euo pipefail
BUILD=$(realpath "${1:-build}")
RUNS=${RUNS:-5}
RUN_TIMEOUT=${RUN_TIMEOUT:-120}
export ROUTER_CA="$BUILD/router-ca/cli/router-ca" DEVICE_ENROL="$BUILD/device-enrol/device-enrol" HQ="$BUILD/hq/hq"
for binary in "$ROUTER_CA" "$DEVICE_ENROL" "$HQ"; do
  [ -x "$binary" ] || { echo "public_cert_bench: ERROR: $binary not found: build router-ca, device-enrol and hq in $BUILD" >&2; exit 1; }
done
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 && "$RUNS" -le 50 ]] || { echo "public_cert_bench: RUNS must be 1..50" >&2; exit 1; }
source "$(dirname "$0")/../tests/e2e/public_lib.sh"
source "$(dirname "$0")/pebble_lib.sh"  # start_pebble, lego_issue (after public_lib: same die)
require_pebble_peer
now_ns() { date +%s%N; }
# record FILE T0: appends the milliseconds since T0 to FILE.
record() { awk -v ns=$(($(now_ns) - $2)) 'BEGIN { printf "%.1f\n", ns / 1e6 }' >>"$1"; }

# The lego peer's Pebble first (start_pebble sets PB and P_DIRECTORY, which hq's Pebble then
# takes over for verify_public_chain).
start_pebble pebble-lego
LEGO_PB=$PB LEGO_DIRECTORY=$P_DIRECTORY LEGO_HTTP01_PORT=$P_HTTP01_PORT
start_pebble_for_hq
start_hq hq
start_router local --pair-guard 0
LOCAL_URL=$ROUTER_URL LOCAL_DIR=$ROUTER_DIR
hq_link_args
start_router router --pair-guard 0 --router-address 192.168.1.1 "${HQ_LINK_ARGS[@]}"
wait_registered 30
ROUTER_ZONE=$HOME_ZONE
# One home at hq for the direct orders, beside the router's (register sets HOME_NAME, HOME_ZONE
# and CREDENTIAL to it).
register "$(new_token)" 192.168.2.1

# pair_once N URL DIR OUT MSFILE [options]: opens DIR's pairing window and reads its root's
# fingerprint (neither timed), then times `device-enrol pair` for device N into MSFILE.
pair_once() {
  local n=$1 url=$2 dir=$3 out=$4 ms=$5 fingerprint t0; shift 5
  "$ROUTER_CA" pair --data-dir "$dir" >/dev/null
  fingerprint=$(openssl x509 -in "$dir/ca/root.pem" -outform DER | sha256sum | cut -d' ' -f1)
  t0=$(now_ns)
  timeout "$RUN_TIMEOUT" "$DEVICE_ENROL" pair --router "$url" --out "$out" --name "dev$n" \
    --ipv4 "192.168.1.$((20 + n))" --timeout 30 --key-type p256 --ca-fingerprint "$fingerprint" "$@" \
    >>"$WORK/device.log" 2>&1 || fail "device-enrol pair dev$n against $url: $(tail -n 3 "$WORK/device.log")"
  record "$ms" "$t0"
}

echo "public_cert_bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "router-ca $(git -C "$(dirname "$0")/.." rev-parse --short HEAD 2>/dev/null || echo '?')," \
  "pebble $(dpkg-query -W -f='${Version}' pebble 2>/dev/null || echo '?'), lego $(dpkg-query -W -f='${Version}' lego 2>/dev/null || echo '?'), $RUNS runs"
for n in $(seq 1 "$RUNS"); do
  pair_once "$n" "$ROUTER_URL" "$ROUTER_DIR" "$WORK/public/$n" "$WORK/public.ms" --public-wait "$RUN_TIMEOUT"
  [ -s "$WORK/public/$n/public-cert.pem" ] || fail "run $n: no public certificate installed: $(tail -n 3 "$WORK/device.log")"

  pair_once "$n" "$LOCAL_URL" "$LOCAL_DIR" "$WORK/local/$n" "$WORK/local.ms"

  # curl, openssl and grep only: a python3 start costs more than a second on a loaded machine.
  # (openssl itself: tests/e2e/lib.sh's make_csr, for the router, shadows hq_lib.sh's.)
  t0=$(now_ns)
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/direct$n.key" \
    -subj "/CN=direct$n.$HOME_ZONE" -addext "subjectAltName=DNS:direct$n.$HOME_ZONE" \
    -out "$WORK/direct$n.csr" 2>/dev/null
  [ "$(hq_api POST "/v1/homes/$HOME_NAME/certificates" -H "Authorization: Bearer $CREDENTIAL" \
        -H 'Content-Type: application/json' -H 'Expect:' \
        -d "{\"csr\": \"$(awk '{printf "%s\\n", $0}' "$WORK/direct$n.csr")\"}")" = 202 ] ||
    fail "direct order: $(cat "$WORK/body")"
  ORDER_ID=$(grep -o '"id":"[^"]*"' "$WORK/body" | cut -d'"' -f4)
  until [ "$(hq_api GET "/v1/certificates/$ORDER_ID")" = 200 ] && grep -q '"status":"issued"' "$WORK/body"; do
    ! grep -q '"status":"failed"' "$WORK/body" || fail "direct order $ORDER_ID failed: $(cat "$WORK/body")"
    [ $(($(now_ns) - t0)) -lt $((RUN_TIMEOUT * 1000000000)) ] || fail "direct order $ORDER_ID not issued in $RUN_TIMEOUT s"
    sleep 0.2
  done
  record "$WORK/direct.ms" "$t0"

  (PB=$LEGO_PB P_DIRECTORY=$LEGO_DIRECTORY P_HTTP01_PORT=$LEGO_HTTP01_PORT
   t0=$(now_ns); lego_issue "$n"; record "$WORK/lego.ms" "$t0")
done
verify_public_chain "$WORK/public/$RUNS/public-chain.pem" "dev$RUNS.$ROUTER_ZONE"
grep -q "Served key authentication" "$WORK/lego.log" || fail "lego never served an http-01 answer"

median() { python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in open(sys.argv[1])):.0f}")' "$1"; }
spread() { python3 -c 'import sys; v=sorted(float(x) for x in open(sys.argv[1])); print(f"{v[0]:.0f}-{v[-1]:.0f}")' "$1"; }
P=$(median "$WORK/public.ms") L=$(median "$WORK/local.ms") D=$(median "$WORK/direct.ms") G=$(median "$WORK/lego.ms")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '  pair + public certificate: median %6d ms (%s)\n' "$P" "$(spread "$WORK/public.ms")"
printf '  pair, local only:          median %6d ms (%s)\n' "$L" "$(spread "$WORK/local.ms")"
printf '  hq direct order:           median %6d ms (%s)\n' "$D" "$(spread "$WORK/direct.ms")"
printf '  lego + pebble (http-01):   median %6d ms (%s)\n' "$G" "$(spread "$WORK/lego.ms")"
echo "  the public part through device and router: $((P - L)) ms, $(ratio $((P - L)) "$D")x hq's direct order;" \
  "pair + public is $(ratio "$P" "$G")x a lego run against Pebble"
echo "RESULT public_cert_bench public_ms=$P local_ms=$L hq_direct_ms=$D lego_ms=$G runs=$RUNS"

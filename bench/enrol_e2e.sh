#!/usr/bin/env bash
# enrol_e2e: wall time for one device to get a certificate end to end over loopback, next to the
# same thing done the ACME way, measured side by side in the same run:
#
#   router-ca: `device-enrol pair` against `router-ca serve` with the pairing window open
#              (key generation, CSR, HTTPS submit, issue, chain check, atomic install).
#   peer:      `lego run` (Debian's lego) against `pebble` (Debian's pebble, Let's Encrypt's test
#              ACME server): new account, order, http-01 actually validated over loopback
#              (pebble-challtestsrv answers DNS with 127.0.0.1, lego serves the challenge on
#              127.0.0.1), finalize, download.
#
# usage: bench/enrol_e2e.sh [BUILD_DIR]      (default: build; builds nothing itself)
# env:   RUNS (router-ca runs, default 50), ACME_RUNS (lego runs, default 20),
#        RUN_TIMEOUT (seconds allowed for one timed command, default 60)
#
# Only loopback is used. Every process started here is killed on exit. If a peer cannot run, the
# script says so loudly and exits non-zero: a benchmark without its peer is not a benchmark.
set -euo pipefail

BUILD=${1:-build}
RUNS=${RUNS:-50}
ACME_RUNS=${ACME_RUNS:-20}
RUN_TIMEOUT=${RUN_TIMEOUT:-60}
ROUTER_CA="$BUILD/router-ca/cli/router-ca"
DEVICE_ENROL="$BUILD/device-enrol/device-enrol"

die() {
  echo >&2
  echo "enrol_e2e: ERROR: $*" >&2
  echo "enrol_e2e: no figures produced" >&2
  exit 1
}

[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 && "$RUNS" -le 1000 ]] || die "RUNS must be 1..1000"
[[ "$ACME_RUNS" =~ ^[0-9]+$ && "$ACME_RUNS" -ge 1 && "$ACME_RUNS" -le 200 ]] ||
  die "ACME_RUNS must be 1..200"
[ -x "$ROUTER_CA" ] || die "$ROUTER_CA not found: build it first (cmake --build $BUILD --target router-ca)"
[ -x "$DEVICE_ENROL" ] ||
  die "$DEVICE_ENROL not found: build it first (cmake --build $BUILD --target device-enrol)"
source "$(dirname "$0")/../scripts/lib/harness.sh"
source "$(dirname "$0")/pebble_lib.sh"
require_pebble_peer
harness_init rca-bench-e2e
now_ns() { date +%s%N; }

# stats FILE: "median p95 min max n" of the millisecond values in FILE (p95: nearest rank).
stats() {
  python3 - "$1" <<'PY'
import math, statistics, sys
v = sorted(float(x) for x in open(sys.argv[1]) if x.strip())
p95 = v[max(0, math.ceil(0.95 * len(v)) - 1)]
print(f"{statistics.median(v):.1f} {p95:.1f} {v[0]:.1f} {v[-1]:.1f} {len(v)}")
PY
}

echo "enrol_e2e: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -sr)"
pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }
echo "  router-ca $(git -C "$(dirname "$0")/.." rev-parse --short HEAD 2>/dev/null || echo '?')," \
  "pebble $(pkg_version pebble), lego $(pkg_version lego), openssl $(openssl version | cut -d' ' -f2)"

# --- router-ca ----------------------------------------------------------------------------------
RDIR="$WORK/router"
RPORT=$(free_port)
RURL="https://127.0.0.1:$RPORT"
"$ROUTER_CA" serve --data-dir "$RDIR" --listen "127.0.0.1:$RPORT" \
  --lan-subnet 127.0.0.0/8 --lan-subnet 192.168.0.0/16 --pair-guard 0 >"$WORK/router.log" 2>&1 &
RPID=$!
PIDS+=("$RPID")
router_up() { [ -f "$RDIR/ca/root.pem" ] && curl -sf --cacert "$RDIR/ca/root.pem" "$RURL/healthz"; }
wait_until 20 "router-ca serve" "$RPID" router_up
FINGERPRINT=$(openssl x509 -in "$RDIR/ca/root.pem" -outform DER | sha256sum | cut -d' ' -f1)

# pair_once N: re-opens the window (it closes after each approval; not timed), then times
# device-enrol pair. Appends milliseconds to $WORK/router.ms unless N is "warmup".
pair_once() {
  local n=$1 out="$WORK/devices/$1"
  "$ROUTER_CA" pair --seconds 3600 --data-dir "$RDIR" >>"$WORK/pair.log" 2>&1 ||
    die "router-ca pair failed: $(tail -n 3 "$WORK/pair.log")"
  local t0 t1 rc=0
  t0=$(now_ns)
  timeout "$RUN_TIMEOUT" "$DEVICE_ENROL" pair --router "$RURL" --out "$out" --name "bench$n" \
    --ca-fingerprint "$FINGERPRINT" --timeout 30 --key-type p256 >>"$WORK/device.log" 2>&1 || rc=$?
  t1=$(now_ns)
  [ $rc -eq 0 ] || die "device-enrol pair (run $n) exited $rc: $(tail -n 3 "$WORK/device.log")"
  [ -s "$out/cert.pem" ] || die "device-enrol pair (run $n) left no $out/cert.pem"
  [ "$n" = warmup ] || awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f\n", ns / 1e6 }' >>"$WORK/router.ms"
}

echo
echo "router-ca: $RUNS x device-enrol pair (P-256) against router-ca serve on $RURL (+1 warm-up run)"
pair_once warmup
for i in $(seq 1 "$RUNS"); do pair_once "$i"; done
# Spot-check the last certificate with OpenSSL: it chains to the root, inside its constraints.
openssl verify -CAfile "$RDIR/ca/root.pem" -untrusted "$WORK/devices/$RUNS/chain.pem" \
  "$WORK/devices/$RUNS/cert.pem" >/dev/null ||
  die "the last device certificate does not verify with openssl"
read -r R_MED R_P95 R_MIN R_MAX R_N < <(stats "$WORK/router.ms")
printf '  router-ca pair:  median %8.1f ms   p95 %8.1f ms   (min %.1f, max %.1f, n=%d)\n' \
  "$R_MED" "$R_P95" "$R_MIN" "$R_MAX" "$R_N"

# --- peer: lego + pebble ------------------------------------------------------------------------
start_pebble

# lego_once N: a fresh lego directory each time (new account key, as a new device would have),
# times `lego run`. Appends milliseconds to $WORK/acme.ms unless N is "warmup".
lego_once() {
  local n=$1 t0 t1
  t0=$(now_ns)
  lego_issue "$n"
  t1=$(now_ns)
  [ "$n" = warmup ] || awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f\n", ns / 1e6 }' >>"$WORK/acme.ms"
}

echo
echo "peer: $ACME_RUNS x lego run (ec256, http-01 validated on loopback) against pebble on" \
  "$P_DIRECTORY (+1 warm-up run)"
lego_once warmup
for i in $(seq 1 "$ACME_RUNS"); do lego_once "$i"; done
grep -q "Served key authentication" "$WORK/lego.log" ||
  die "lego never served an http-01 response: the challenge was not really validated"
read -r A_MED A_P95 A_MIN A_MAX A_N < <(stats "$WORK/acme.ms")
printf '  lego + pebble:   median %8.1f ms   p95 %8.1f ms   (min %.1f, max %.1f, n=%d)\n' \
  "$A_MED" "$A_P95" "$A_MIN" "$A_MAX" "$A_N"
SERVED=$(grep -c "Served key authentication" "$WORK/lego.log" || true)
# How long lego sat between serving the challenge and seeing the authorization valid, from its
# own log (timestamps have 1 s resolution), averaged over the runs.
POLL_GAP=$(python3 - "$WORK/lego.log" <<'PY'
import datetime, re, sys
served, gaps = {}, []
for line in open(sys.argv[1]):
    m = re.match(r"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[INFO\] \[([^]]+)\] (.*)", line)
    if not m:
        continue
    t = datetime.datetime.strptime(m.group(1), "%Y/%m/%d %H:%M:%S")
    if "Served key authentication" in m.group(3):
        served.setdefault(m.group(2), t)
    elif "validated our request" in m.group(3) and m.group(2) in served:
        gaps.append((t - served[m.group(2)]).total_seconds())
print(f"{sum(gaps) / len(gaps):.1f}" if gaps else "?")
PY
)

# Runs in which pebble had already validated when it answered lego's challenge POST: lego then
# skips its poll wait, and the run shows what the ACME exchange itself costs.
read -r FAST_N FAST_MED < <(python3 - "$WORK/acme.ms" <<'PY'
import statistics, sys
fast = [float(x) for x in open(sys.argv[1]) if x.strip() and float(x) < 2000]
print(len(fast), f"{statistics.median(fast):.1f}" if fast else "-")
PY
)

R_MED_RATIO=$(python3 -c "print(f'{$A_MED / $R_MED:.1f}')")
R_P95_RATIO=$(python3 -c "print(f'{$A_P95 / $R_P95:.1f}')")
echo
echo "ratio (lego+pebble / router-ca): median ${R_MED_RATIO}x, p95 ${R_P95_RATIO}x"
echo "notes:"
echo "  - http-01 was really validated ($SERVED challenge fetches served by lego; no ALWAYS_VALID)."
echo "  - lego waited on average ${POLL_GAP} s between serving the challenge and seeing it valid"
echo "    (its log, 1 s resolution): lego polls the authorization after a fixed 5 s when the"
echo "    server sends no Retry-After, and pebble sends none. That wait is part of what an ACME"
echo "    client user sees, but it is lego's policy, not CA work."
if [ "$FAST_N" -gt 0 ]; then
  echo "  - in $FAST_N of $A_N runs pebble had validated before answering the challenge POST, so lego"
  echo "    skipped the wait: median of those runs $FAST_MED ms (the ACME exchange itself, new"
  echo "    account included)."
else
  echo "  - in none of the $A_N runs had pebble validated before answering the challenge POST (when"
  echo "    it has, lego skips the wait and the run shows the ACME exchange alone)."
fi
echo "  - router-ca's figure includes P-256 key generation on the device and the chain check."
echo "RESULT enrol_e2e router_median_ms=$R_MED router_p95_ms=$R_P95 acme_median_ms=$A_MED" \
  "acme_p95_ms=$A_P95 ratio_median=$R_MED_RATIO ratio_p95=$R_P95_RATIO runs=$R_N acme_runs=$A_N" \
  "lego_poll_wait_s=$POLL_GAP acme_nowait_runs=$FAST_N acme_nowait_median_ms=$FAST_MED"

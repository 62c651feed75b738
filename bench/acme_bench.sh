#!/usr/bin/env bash
# acme_bench: wall time per certificate for `lego` obtaining COUNT certificates one after another
# (COUNT separate `lego run` invocations, distinct names) from router-ca's ACME directory, beside
# the same COUNT from pebble, measured in the same run with the runs interleaved:
#
#   router-ca: `router-ca serve --acme-http-port H`; one lego account, registered in the first run
#              with an External Account Binding key from `router-ca acme eab-create` (approved at
#              once, no button); http-01 validated by the router fetching from 127.0.0.1:H, where
#              lego serves the challenge.
#   peer:      `pebble` (Debian's, Let's Encrypt's test ACME server) with PEBBLE_VA_NOSLEEP=1 and
#              `pebble-challtestsrv` answering its DNS with 127.0.0.1 (-dnsserver), so http-01 is
#              really validated against lego's challenge server on loopback; one lego account,
#              registered in the first run.
#
# usage: bench/acme_bench.sh [BUILD_DIR]      (default: build; builds nothing itself)
# env:   COUNT (certificates per server, default 10), RUN_TIMEOUT (seconds for one lego run, 60)
#
# Only loopback is used. Every process started here is killed on exit. If a peer cannot run, the
# script says so loudly and exits non-zero: a benchmark without its peer is not a benchmark.
set -euo pipefail

BUILD=${1:-build}
COUNT=${COUNT:-10}
RUN_TIMEOUT=${RUN_TIMEOUT:-60}
ROUTER_CA="$BUILD/router-ca/cli/router-ca"

die() {
  echo >&2
  echo "acme_bench: ERROR: $*" >&2
  echo "acme_bench: no figures produced" >&2
  exit 1
}

[[ "$COUNT" =~ ^[0-9]+$ && "$COUNT" -ge 1 && "$COUNT" -le 200 ]] || die "COUNT must be 1..200"
[ -x "$ROUTER_CA" ] || die "$ROUTER_CA not found: build it first (cmake --build $BUILD --target router-ca)"
source "$(dirname "$0")/../scripts/lib/harness.sh"
source "$(dirname "$0")/pebble_lib.sh"
require_pebble_peer
harness_init rca-bench-acme
now_ns() { date +%s%N; }

# stats FILE: "mean median min max n" of the millisecond values in FILE.
stats() {
  python3 - "$1" <<'PY'
import statistics, sys
v = sorted(float(x) for x in open(sys.argv[1]) if x.strip())
print(f"{statistics.mean(v):.1f} {statistics.median(v):.1f} {v[0]:.1f} {v[-1]:.1f} {len(v)}")
PY
}

echo "acme_bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -sr)"
pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }
echo "  router-ca $(git -C "$(dirname "$0")/.." rev-parse --short HEAD 2>/dev/null || echo '?')," \
  "pebble $(pkg_version pebble), lego $(pkg_version lego), openssl $(openssl version | cut -d' ' -f2)"

# --- router-ca ----------------------------------------------------------------------------------
RDIR="$WORK/router"
RPORT=$(free_port)
R_HTTP01_PORT=$(free_port)
R_DNS_PORT=$(free_port)
R_DIRECTORY="https://127.0.0.1:$RPORT/acme/directory"
"$ROUTER_CA" serve --data-dir "$RDIR" --listen "127.0.0.1:$RPORT" \
  --lan-subnet 127.0.0.0/8 --lan-subnet 192.168.0.0/16 --dns-listen "127.0.0.1:$R_DNS_PORT" \
  --mdns off --acme-http-port "$R_HTTP01_PORT" >"$WORK/router.log" 2>&1 &
RPID=$!
PIDS+=("$RPID")
router_up() { [ -f "$RDIR/ca/root.pem" ] && curl -sf --cacert "$RDIR/ca/root.pem" "$R_DIRECTORY"; }
wait_until 20 "router-ca serve" "$RPID" router_up
"$ROUTER_CA" acme eab-create --data-dir "$RDIR" >"$WORK/eab.out" 2>&1 ||
  die "router-ca acme eab-create failed: $(cat "$WORK/eab.out")"
EAB_KID=$(sed -n 's/^key id: *//p' "$WORK/eab.out")
EAB_HMAC=$(sed -n 's/^hmac key: *//p' "$WORK/eab.out")
[ -n "$EAB_KID" ] && [ -n "$EAB_HMAC" ] ||
  die "router-ca acme eab-create printed no 'key id:' and 'hmac key:' lines: $(cat "$WORK/eab.out")"

# --- peer: pebble + pebble-challtestsrv ---------------------------------------------------------
start_pebble

# --- the runs -----------------------------------------------------------------------------------
# lego_once SIDE N: times one `lego run` for bench<N>.home.arpa against SIDE (router or pebble),
# with that side's one account (the same --path every run: lego registers in the first run and
# reuses the account after). Appends milliseconds to $WORK/SIDE.ms; lego's output goes to
# $WORK/lego-SIDE.log.
lego_once() {
  local side=$1 n=$2 t0 t1 rc=0 name="bench$2.home.arpa" ca
  local -a args
  if [ "$side" = router ]; then
    # --flag=value: a base64url key may start with '-', which lego would take for an option.
    args=(--server "$R_DIRECTORY" --eab --kid="$EAB_KID" --hmac="$EAB_HMAC"
      --http.port "127.0.0.1:$R_HTTP01_PORT")
    ca="$RDIR/ca/root.pem"
  else
    args=(--server "$P_DIRECTORY" --http.port "127.0.0.1:$P_HTTP01_PORT")
    ca="$PB/ca.pem"
  fi
  echo "=== run $n: $name" >>"$WORK/lego-$side.log"
  t0=$(now_ns)
  LEGO_CA_CERTIFICATES="$ca" timeout "$RUN_TIMEOUT" lego "${args[@]}" --accept-tos \
    --email bench@example.com --path "$WORK/lego-$side" --domains "$name" --key-type ec256 \
    --http run >>"$WORK/lego-$side.log" 2>&1 || rc=$?
  t1=$(now_ns)
  [ $rc -eq 0 ] || die "lego run against $side (run $n) exited $rc: $(tail -n 3 "$WORK/lego-$side.log")"
  [ -s "$WORK/lego-$side/certificates/$name.crt" ] || die "lego (run $n against $side) left no certificate"
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f\n", ns / 1e6 }' >>"$WORK/$side.ms"
}

echo
echo "$COUNT x lego run (ec256, one account per server, http-01 validated on loopback), runs"
echo "interleaved: router-ca on $R_DIRECTORY, pebble on $P_DIRECTORY"
for i in $(seq 1 "$COUNT"); do
  lego_once router "$i"
  lego_once pebble "$i"
done

# Both servers really validated http-01: lego logs one "Served key authentication" per fetch.
for side in router pebble; do
  served=$(grep -c "Served key authentication" "$WORK/lego-$side.log" || true)
  [ "$served" -ge "$COUNT" ] ||
    die "lego served only $served http-01 responses to $side for $COUNT certificates"
done
# The last router-ca certificate chains to the home root (lego's .crt holds leaf + intermediate).
LAST="$WORK/lego-router/certificates/bench$COUNT.home.arpa"
openssl verify -CAfile "$RDIR/ca/root.pem" -untrusted "$LAST.issuer.crt" "$LAST.crt" >/dev/null ||
  die "the last router-ca certificate does not verify with openssl"

read -r R_MEAN R_MED R_MIN R_MAX R_N < <(stats "$WORK/router.ms")
read -r P_MEAN P_MED P_MIN P_MAX P_N < <(stats "$WORK/pebble.ms")
TOTAL_R=$(awk '{ s += $1 } END { printf "%.0f", s }' "$WORK/router.ms")
TOTAL_P=$(awk '{ s += $1 } END { printf "%.0f", s }' "$WORK/pebble.ms")
printf '  router-ca:       %8.1f ms per certificate (total %s ms; median %.1f, min %.1f, max %.1f, n=%d)\n' \
  "$R_MEAN" "$TOTAL_R" "$R_MED" "$R_MIN" "$R_MAX" "$R_N"
printf '  peer: pebble:    %8.1f ms per certificate (total %s ms; median %.1f, min %.1f, max %.1f, n=%d)\n' \
  "$P_MEAN" "$TOTAL_P" "$P_MED" "$P_MIN" "$P_MAX" "$P_N"
RATIO=$(python3 -c "print(f'{$P_MEAN / $R_MEAN:.1f}')")
RATIO_MED=$(python3 -c "print(f'{$P_MED / $R_MED:.1f}')")
# Runs in which pebble had validated by the time it answered lego's challenge POST, so lego did not
# wait before polling (see the notes below).
P_NOWAIT=$(awk '$1 < 2000 { n++ } END { print n + 0 }' "$WORK/pebble.ms")
echo
echo "ratio (pebble / router-ca, time per certificate): ${RATIO}x (medians: ${RATIO_MED}x)"
echo "notes:"
echo "  - the first run against each server also registers the account (router-ca: with EAB)."
echo "  - lego polls an authorization after the server's Retry-After, or 5 s without one, unless the"
echo "    answer to its challenge POST is already valid. router-ca validates synchronously, so that"
echo "    answer is final; pebble validates in the background and had finished in time in"
echo "    $P_NOWAIT of $P_N runs. The wait is lego's policy, but it is what a user of the CA sees."
echo "RESULT acme_bench router_ms_per_cert=$R_MEAN router_median_ms=$R_MED pebble_ms_per_cert=$P_MEAN" \
  "pebble_median_ms=$P_MED ratio=$RATIO ratio_median=$RATIO_MED count=$COUNT pebble_nowait_runs=$P_NOWAIT"

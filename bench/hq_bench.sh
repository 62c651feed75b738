#!/usr/bin/env bash
# hq_bench: HQ's registration and record-update throughput on SQLite, over its HTTP API on
# loopback, next to the same server's HTTP floor (GET /healthz) measured in the same run.
# No public CA is involved (the ACME directory points at a closed port: registrations and record
# updates never talk to it).
#
# usage: bench/hq_bench.sh [BUILD_DIR]   (needs the hq and hq_api_bench targets built)
# Environment: THREADS (4), SECONDS_EACH (5).
set -euo pipefail
BUILD=${1:-build}
HQ="$BUILD/hq/hq"
CLIENT="$BUILD/bench/hq_api_bench"
THREADS=${THREADS:-4}
SECONDS_EACH=${SECONDS_EACH:-5}
die() { echo "hq_bench: ERROR: $*" >&2; exit 1; }
[ -x "$HQ" ] && [ -x "$CLIENT" ] || die "build the hq and hq_api_bench targets in $BUILD first"
source "$(dirname "$0")/../scripts/lib/harness.sh"
harness_init hq-bench

port=$(free_port)
"$HQ" serve --data-dir "$WORK/hq" --zone bench.test --listen "127.0.0.1:$port" \
  --dns-listen "127.0.0.1:$(free_port)" --acme-directory https://127.0.0.1:9/dir \
  --http-threads "$THREADS" >"$WORK/hq.log" 2>&1 &
PIDS+=($!)
hq_up() { curl -sf "http://127.0.0.1:$port/healthz"; }
wait_until 20 hq "${PIDS[0]}" hq_up

echo "hq_bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "hq $(git -C "$(dirname "$0")/.." rev-parse --short HEAD 2>/dev/null || echo '?'), SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1)"
for mode in healthz register record; do
  "$CLIENT" --port "$port" --threads "$THREADS" --seconds "$SECONDS_EACH" "$mode" | tee "$WORK/$mode.out"
done
rate() { sed -n 's/.*: \([0-9]*\)\/s,.*/\1/p' "$WORK/$1.out"; }
floor=$(rate healthz)
echo "hq_bench: registrations $(rate register)/s, record updates $(rate record)/s;" \
  "HTTP floor (GET /healthz) $floor/s;" \
  "ratios $(awk -v a="$(rate register)" -v b="$floor" 'BEGIN{printf "%.3f", a/b}') and" \
  "$(awk -v a="$(rate record)" -v b="$floor" 'BEGIN{printf "%.3f", a/b}') of the floor"

#!/usr/bin/env bash
# hq_bench: HQ's registration and record-update throughput over its HTTP API on loopback, on its
# SQLite store and on its PostgreSQL store in the same run, next to the same server's HTTP floor
# (GET /healthz) measured in the same run. No public CA is involved (the ACME directory points at
# a closed port: registrations and record updates never talk to it).
#
# PostgreSQL is a throwaway cluster from Debian's package (scripts/lib/postgres_cluster.sh) with
# its default durability (fsync, synchronous_commit on), like SQLite's synchronous=FULL here.
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
source "$(dirname "$0")/../scripts/lib/postgres_cluster.sh"
source "$(dirname "$0")/hq_bench_routers.sh"
harness_init hq-bench
start_pg_cluster

# start_hq_on NAME [serve options...]: hq on a free port with its data in $WORK/NAME; sets PORT.
# Not called in $(...): the PID must reach this shell's PIDS, or the exit trap leaves hq running.
start_hq_on() {
  local name=$1 port; shift
  port=$(free_port)
  "$HQ" serve --data-dir "$WORK/$name" --zone bench.test --listen "127.0.0.1:$port" \
    --dns-listen "127.0.0.1:$(free_port)" --acme-directory https://127.0.0.1:9/dir \
    --http-threads "$THREADS" "${BENCH_SOURCE_LIMIT[@]}" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  hq_up() { curl -sf "http://127.0.0.1:$port/healthz"; }
  wait_until 20 "hq ($name)" "${PIDS[-1]}" hq_up
  PORT=$port
}
write_bench_routers "$WORK/routers.list" "$THREADS"
start_hq_on sqlite
sqlite_port=$PORT
"$HQ" routers import "$WORK/routers.list" --data-dir "$WORK/sqlite" >/dev/null || die "hq routers import (SQLite) failed"
start_hq_on postgres --db "$PG_URL"
pg_port=$PORT
"$HQ" routers import "$WORK/routers.list" --data-dir "$WORK/postgres" --db "$PG_URL" >/dev/null ||
  die "hq routers import (PostgreSQL) failed"

echo "hq_bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "hq $(git -C "$(dirname "$0")/.." rev-parse --short HEAD 2>/dev/null || echo '?'), SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1)," \
  "PostgreSQL $("${PSQL[@]}" -d hq -c 'SHOW server_version' | cut -d' ' -f1)"
# The stores alternate mode by mode, so a change in the machine's load hits both alike.
for mode in healthz register record; do
  for store in sqlite postgres; do
    port=$sqlite_port; [ "$store" = postgres ] && port=$pg_port
    echo -n "$store: "
    next_first_router
    "$CLIENT" --port "$port" --threads "$THREADS" --seconds "$SECONDS_EACH" --first-router "$FIRST_ROUTER" \
      "$mode" | tee "$WORK/$store-$mode.out"
  done
done
rate() { sed -n 's/.*: \([0-9]*\)\/s,.*/\1/p' "$WORK/$1-$2.out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", a/b}'; }
for store in sqlite postgres; do
  floor=$(rate "$store" healthz)
  echo "hq_bench: $store: registrations $(rate "$store" register)/s, record updates $(rate "$store" record)/s;" \
    "HTTP floor (GET /healthz) $floor/s; ratios $(ratio "$(rate "$store" register)" "$floor") and" \
    "$(ratio "$(rate "$store" record)" "$floor") of the floor"
done
echo "hq_bench: PostgreSQL against SQLite: registrations $(ratio "$(rate postgres register)" "$(rate sqlite register)")," \
  "record updates $(ratio "$(rate postgres record)" "$(rate sqlite record)")"

#!/usr/bin/env bash
# hq_scale: does a write to HQ cost the same at HOMES_LARGE homes as at HOMES_SMALL (issue 17)?
# For each store (SQLite, PostgreSQL) HQ is filled to each size (homes seeded straight into the
# store, in one transaction, then hq restarted so its zone holds them), and the rate of record
# updates and of registrations through the HTTP API is measured (bench/hq_api_bench). Then a
# PowerDNS server reads the PostgreSQL store (hq/powerdns/pdns.conf) and is
# asked, with kdig, for a sample of the records written, each answer compared with the store; and
# dnsperf asks PowerDNS and HQ's own responder for the same records.
#
# usage: bench/hq_scale.sh [BUILD_DIR]   (needs the hq and hq_api_bench targets built)
# Environment: HOMES_SMALL (1000), HOMES_LARGE (100000), THREADS (4), SECONDS_EACH (5),
# SAMPLE (500 records asked of PowerDNS), DNSPERF_SECONDS (5).
# The last line is the issue's summary line; the goal is both ratios >= 0.8 and every record
# answered.
set -euo pipefail
BUILD=${1:-build}
HQ="$BUILD/hq/hq"
CLIENT="$BUILD/bench/hq_api_bench"
HOMES_SMALL=${HOMES_SMALL:-1000}
HOMES_LARGE=${HOMES_LARGE:-100000}
THREADS=${THREADS:-4}
SECONDS_EACH=${SECONDS_EACH:-5}
SAMPLE=${SAMPLE:-500}
DNSPERF_SECONDS=${DNSPERF_SECONDS:-5}
ZONE=scale.test
die() { echo "hq_scale: ERROR: $*" >&2; exit 1; }
[ -x "$HQ" ] && [ -x "$CLIENT" ] || die "build the hq and hq_api_bench targets in $BUILD first"
[ "$HOMES_SMALL" -lt "$HOMES_LARGE" ] || die "HOMES_SMALL must be below HOMES_LARGE"
for tool in sqlite3 kdig dnsperf psql; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/setup.sh installs it)"
done
source "$(dirname "$0")/../scripts/lib/harness.sh"
source "$(dirname "$0")/../scripts/lib/postgres_cluster.sh"
source "$(dirname "$0")/../scripts/lib/powerdns.sh"
source "$(dirname "$0")/hq_bench_routers.sh"
harness_init hq-scale
start_pg_cluster
write_bench_routers "$WORK/routers.list" "$THREADS"
sql() { "${PSQL[@]}" -d hq -c "$1"; }

# api_client PORT MODE: the API client against hq on PORT. Every registration of this bench goes
# through here: MODE register, and MODE record, which registers one home per thread before its
# clock runs, as the routers of $WORK/routers.list (bench/hq_bench_routers.sh), which start_hq imports.
# Each run registers as routers of its own from FIRST_ROUTER on: call next_first_router before it,
# outside the pipe to tee, whose subshell would lose the count.
api_client() {
  "$CLIENT" --port "$1" --threads "$THREADS" --seconds "$SECONDS_EACH" --first-router "$FIRST_ROUTER" "$2"
}

# start_hq STORE [serve options...]: hq on free ports, data in $WORK/STORE; sets HQ_PORT, HQ_DNS.
# hq is stopped and started again around each seeding (stop_hq), as its zone is read at start.
start_hq() {
  local store=$1; shift
  HQ_PORT=$(free_port) HQ_DNS=$(free_port)
  "$HQ" serve --data-dir "$WORK/$store" --zone "$ZONE" --listen "127.0.0.1:$HQ_PORT" \
    --dns-listen "127.0.0.1:$HQ_DNS" --acme-directory https://127.0.0.1:9/dir \
    --http-threads "$THREADS" "${BENCH_SOURCE_LIMIT[@]}" "$@" >>"$WORK/$store.log" 2>&1 &
  HQ_PID=$!
  PIDS+=("$HQ_PID")
  hq_up() { curl -sf "http://127.0.0.1:$HQ_PORT/healthz"; }
  wait_until 120 "hq ($store)" "$HQ_PID" hq_up
  # The serve options are the store's: --db for PostgreSQL. Importing the same list again is a no-op.
  "$HQ" routers import "$WORK/routers.list" --data-dir "$WORK/$store" "$@" >/dev/null ||
    die "hq routers import ($store) failed"
}
stop_hq() { kill "$HQ_PID"; wait "$HQ_PID" 2>/dev/null || true; }

# Seeded homes are seed-N (N from 1), each with a router record at 10.x.y.z; their token and
# credential hashes are SHA-256 of text nobody holds, so the API can never act for them.
seed_sql() {  # seed_sql NUMBERS TOKEN_HASH CREDENTIAL_HASH: NUMBERS is a SELECT of column i
  echo "INSERT INTO homes (name, token_hash, credential_hash, created_at)
          SELECT 'seed-' || i, $2, $3, 0 FROM ($1) AS s;
        INSERT INTO records (home, label, address)
          SELECT 'seed-' || i, 'router', '10.' || (i / 65536 % 256) || '.' || (i / 256 % 256) || '.' || (i % 256)
          FROM ($1) AS s;"
}
seed_sqlite() {  # seed_sqlite FROM TO
  sqlite3 "$WORK/sqlite/hq.db" "PRAGMA foreign_keys = ON; BEGIN;
    CREATE TEMP TABLE seq (i INTEGER PRIMARY KEY);
    WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
      INSERT INTO temp.seq SELECT i FROM n;
    $(seed_sql "SELECT i FROM temp.seq" "randomblob(32)" "randomblob(32)")
    COMMIT;"
}
seed_postgres() {  # seed_postgres FROM TO: one transaction; the triggers fill PowerDNS's rows too
  sql "BEGIN; $(seed_sql "SELECT generate_series($1, $2) AS i" \
        "sha256(('token ' || i || random())::bytea)" "sha256(('credential ' || i || random())::bytea)") COMMIT;" >/dev/null
}

rate() { sed -n 's/.*: \([0-9]*\)\/s,.*/\1/p' "$1"; }

# measure STORE SIZE [serve options...]: seeds STORE up to SIZE homes, restarts hq, measures.
SEEDED_sqlite=0 SEEDED_postgres=0
measure() {
  local store=$1 size=$2 seeded_var="SEEDED_$1"; shift 2
  local from=$((${!seeded_var} + 1)) t0 t1
  [ -n "${HQ_PID:-}" ] && stop_hq
  t0=$(date +%s.%N)
  "seed_$store" "$from" "$size"
  t1=$(date +%s.%N)
  printf -v "$seeded_var" '%s' "$size"
  start_hq "$store" "$@"
  echo "hq_scale: $store: seeded homes $from..$size in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s;" \
    "hq up with $(homes_in "$store") homes"
  next_first_router
  api_client "$HQ_PORT" record | tee "$WORK/$store-$size-record.out"
  next_first_router
  api_client "$HQ_PORT" register | tee "$WORK/$store-$size-register.out"
}
homes_in() {
  if [ "$1" = sqlite ]; then sqlite3 "$WORK/sqlite/hq.db" "SELECT count(*) FROM homes"
  else sql "SELECT count(*) FROM homes"; fi
}

echo "hq_scale: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "hq $(git -C "$(dirname "$0")/.." rev-parse --short HEAD 2>/dev/null || echo '?'), HOMES_SMALL=$HOMES_SMALL" \
  "HOMES_LARGE=$HOMES_LARGE THREADS=$THREADS SECONDS_EACH=$SECONDS_EACH"

# hq makes each store's schema (and, on PostgreSQL, the PowerDNS zone) on its first start.
start_hq sqlite; stop_hq; HQ_PID=""
start_hq postgres --db "$PG_URL"; stop_hq; HQ_PID=""
for store in sqlite postgres; do
  opts=(); [ "$store" = postgres ] && opts=(--db "$PG_URL")
  measure "$store" "$HOMES_SMALL" "${opts[@]}"
  measure "$store" "$HOMES_LARGE" "${opts[@]}"
  [ "$store" = sqlite ] && { stop_hq; HQ_PID=""; }
done
# hq on PostgreSQL stays up: its own responder answers beside PowerDNS below.

# --- PowerDNS: a sample of the records written, the router records seeded and the device records
# the updates wrote, each answer compared with the store ---
PDNS_PORT=$(free_port)
start_powerdns pdns "$PDNS_PORT"
sql "SELECT label || '.' || home || '.$ZONE', address FROM records ORDER BY random() LIMIT $SAMPLE" |
  tr '|' ' ' >"$WORK/sample"
asked=$(wc -l <"$WORK/sample")
# One kdig per 100 names (kdig asks every query given on its command line).
: >"$WORK/pdns-answers"
split -l 100 "$WORK/sample" "$WORK/sample-part-"
for part in "$WORK"/sample-part-*; do
  args=()
  while read -r name _; do args+=("$name" A); done <"$part"
  kdig @127.0.0.1 -p "$PDNS_PORT" +timeout=3 +retry=2 +noall +answer "${args[@]}" >>"$WORK/pdns-answers" 2>&1 || true
done
answered=$(awk 'NR==FNR { want[$1 "."] = $2; next } $4 == "A" && want[$1] == $5 { ok[$1] = 1 }
                END { print length(ok) }' "$WORK/sample" "$WORK/pdns-answers")
echo "hq_scale: PowerDNS answered $answered of $asked sampled records with the store's address"

# --- dnsperf: the same names, PowerDNS and hq's own responder (PostgreSQL instance) ---
awk '{ print $1, "A" }' "$WORK/sample" >"$WORK/dnsperf-queries"
for target in "PowerDNS:$PDNS_PORT" "hq:$HQ_DNS"; do
  dnsperf -s 127.0.0.1 -p "${target#*:}" -d "$WORK/dnsperf-queries" -l "$DNSPERF_SECONDS" -c 4 -Q 200000 \
    >"$WORK/dnsperf.out" 2>&1 || die "dnsperf against ${target%%:*}: $(tail -5 "$WORK/dnsperf.out")"
  qps=$(sed -n 's/.*Queries per second: *\([0-9.]*\).*/\1/p' "$WORK/dnsperf.out")
  lost=$(sed -n 's/.*Queries lost: *\([0-9]* ([0-9.]*%)\).*/\1/p' "$WORK/dnsperf.out")
  lat=$(sed -n 's/.*Average Latency (s): *\([0-9.]*\).*/\1/p' "$WORK/dnsperf.out")
  echo "hq_scale: dnsperf ${target%%:*}: $qps queries/s, lost $lost, average latency $lat s ($asked names, $HOMES_LARGE+ homes)"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b == 0) print "0.00"; else printf "%.2f", a/b }'; }
for store in sqlite postgres; do
  s=$(rate "$WORK/$store-$HOMES_SMALL-record.out") l=$(rate "$WORK/$store-$HOMES_LARGE-record.out")
  rs=$(rate "$WORK/$store-$HOMES_SMALL-register.out") rl=$(rate "$WORK/$store-$HOMES_LARGE-register.out")
  echo "hq_scale: $store registrations/s $rs at $HOMES_SMALL homes, $rl at $HOMES_LARGE homes (ratio $(ratio "$rl" "$rs"))"
  printf -v "UP_$store" '%s %s %s' "$s" "$l" "$(ratio "$l" "$s")"
done
read -r A B R1 <<<"$UP_sqlite"
read -r C D R2 <<<"$UP_postgres"
echo "hq_scale: sqlite updates/s $A at $HOMES_SMALL homes, $B at $HOMES_LARGE homes (ratio $R1); postgres updates/s $C at $HOMES_SMALL homes, $D at $HOMES_LARGE homes (ratio $R2); powerdns answered $answered/$asked"

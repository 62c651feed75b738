#!/usr/bin/env bash
# Two hq instances share one throwaway PostgreSQL cluster (scripts/lib/postgres_cluster.sh; as
# root it runs as the `postgres` system user, since initdb refuses root). Pebble's -dnsserver
# points at instance 1's DNS only, so a challenge published through instance 2 is validated only
# if instance 1's zone follows the database (LISTEN/NOTIFY). Checks:
#   - a home registered through 1 is used through 2 (credential, record, both DNS servers answer),
#     also after the instances' LISTEN connections were cut;
#   - 20 concurrent orders from 4 homes are each issued exactly once: every chain verifies against
#     Pebble's root, and each order has exactly one newOrder at the CA across both instances' logs;
#   - instance 2 killed with SIGKILL while it holds claims: instance 1 completes those orders after
#     the lease (--order-lease 5) runs out;
#   - the database password appears in no log; a wrong password is a clear start-up error (exit 3);
#   - an instance with an ACME account key of its own is refused (exit 4).
# 55-65 s at a load average of 5 on this 2-core machine, 110-160 s at 7 (process start-up of
# openssl, python3 and curl for 25 orders dominates; the orders themselves take seconds).
source "$(dirname "$0")/hq_lib.sh"
source "$(dirname "$0")/../../scripts/lib/postgres_cluster.sh"

start_pg_cluster -c fsync=off  # throwaway data: no need to wait for the disk
ok "PostgreSQL cluster on 127.0.0.1:$PG_PORT ($(id -un) runs the test; the cluster belongs to $( [ "$(id -u)" -eq 0 ] && echo postgres || id -un))"
sql() { "${PSQL[@]}" -d hq -c "$1"; }

LEASE=5
start_pebble_for_hq  # sets HQ_DNS_PORT: instance 1's DNS, the only one Pebble asks
start_hq hq1 --db "$PG_URL" --instance-name hq1 --order-lease "$LEASE"
HQ1_URL=$HQ_URL HQ1_DNS=$HQ_DNS_PORT
# Orders belong to the ACME account (RFC 8555 §7.1.3: only the account that made an order may
# touch it), so every instance holds the same account key: hq2 gets a copy of hq1's.
mkdir -m 700 "$WORK/hq2"
cp -p "$WORK/hq1/acme-account.key" "$WORK/hq2/acme-account.key"
HQ_PORT="" HQ_DNS_PORT=$(free_port)
start_hq hq2 --db "$PG_URL" --instance-name hq2 --order-lease "$LEASE"
HQ2_URL=$HQ_URL HQ2_DNS=$HQ_DNS_PORT HQ2_PID=$HQ_PID
# The newest version is the number of the last migration file (they are numbered 1, 2, ...).
latest=$(find "$(dirname "$0")/../../hq/store/postgres_migrations" -name '[0-9]*.sql' | wc -l)
[ "$(sql 'SELECT version FROM hq_schema_version')" = "$latest" ] ||
  fail "schema version: $(sql 'SELECT * FROM hq_schema_version'), not the newest ($latest)"
ok "two instances started on one database (schema version $latest, migrated once)"

use() {  # use 1|2: the instance the following api/dns calls go to
  if [ "$1" = 1 ]; then HQ_URL=$HQ1_URL HQ_DNS_PORT=$HQ1_DNS; else HQ_URL=$HQ2_URL HQ_DNS_PORT=$HQ2_DNS; fi
}
# dns_until SECONDS QTYPE NAME PATTERN: kdig until the answer matches (zones follow within ms).
dns_until() {
  local seconds=$1; shift 1
  for _ in $(seq 1 $((seconds * 10))); do
    dns "$1" "$2" || true
    grep -q "$3" "$WORK/dig.out" && return 0
    sleep 0.1
  done
  fail "port $HQ_DNS_PORT: $1 $2 never matched '$3': $(cat "$WORK/dig.out")"
}

# --- a home registered through 1 is served by 2 ---
TOKEN=$(new_token)
use 1; register "$TOKEN" 192.168.30.1
use 2
dns_until 5 A "router.$HOME_ZONE" "192.168.30.1"
ok "registered through 1; 2's DNS answers router.$HOME_ZONE"
status=$(api PUT "/v1/homes/$HOME_NAME/records/nas" -H "Authorization: Bearer $CREDENTIAL" \
  -H 'Content-Type: application/json' -d '{"address": "192.168.30.9"}')
[ "$status" = 200 ] || fail "PUT record through 2 answered $status: $(cat "$WORK/body")"
dns_until 5 A "nas.$HOME_ZONE" "192.168.30.9"
use 1; dns_until 5 A "nas.$HOME_ZONE" "192.168.30.9"
ok "1's credential accepted by 2; the record set through 2 is answered by both instances' DNS"
# The feeds' connections cut (as a database failover or a network blip would): the change made
# meanwhile through 2 reaches 1's DNS anyway, by the full rebuild after reconnecting.
cut=$(sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = 'LISTEN hq_zone'")
[ "$cut" = 2 ] || fail "expected the 2 feeds' LISTEN connections, terminated $cut"
use 2
status=$(api PUT "/v1/homes/$HOME_NAME/records/nas" -H "Authorization: Bearer $CREDENTIAL" \
  -H 'Content-Type: application/json' -d '{"address": "192.168.30.10"}')
[ "$status" = 200 ] || fail "PUT record through 2 answered $status: $(cat "$WORK/body")"
use 1; dns_until 15 A "nas.$HOME_ZONE" "192.168.30.10"
grep -q "zone change feed: listening again" "$WORK/hq1.log" || fail "hq1 did not say it reconnected"
ok "after both feeds' connections were cut, a change made meanwhile reached 1's DNS (reconnect and full rebuild)"
first_home=$HOME_NAME
use 2; register "$TOKEN" 192.168.30.1
[ "$HOME_NAME" = "$first_home" ] || fail "the same token through 2 gave $HOME_NAME, not $first_home"
ok "the same token through 2 returns the same home"

# --- 20 concurrent orders from 4 homes (5 each: the default per-home limit) ---
# make_csrs HOME ZONE: 5 CSRs (d1..d5.ZONE) for the home and their JSON bodies, made before any is
# sent (a PEM has no quote or backslash, so its lines only need joining with \n).
make_csrs() {
  local n
  for n in 1 2 3 4 5; do
    make_csr "$WORK/$1-$n.csr" "/CN=d$n.$2" "DNS:d$n.$2"
    printf '{"csr": "%s"}' "$(awk '{printf "%s\\n", $0}' "$WORK/$1-$n.csr")" >"$WORK/$1-$n.body"
  done
}
# launch_orders INSTANCE HOME CREDENTIAL: POSTs the home's 5 CSRs to INSTANCE, in the background.
launch_orders() {
  local n
  use "$1"
  for n in 1 2 3 4 5; do
    curl -s -o "$WORK/$2-$n.json" -w '%{http_code}' -X POST "$HQ_URL/v1/homes/$2/certificates" \
      -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
      -d @"$WORK/$2-$n.body" >"$WORK/$2-$n.status" &
    SUBMITS+=($!)
  done
}
# collect_orders HOME ZONE: after the POSTs, each answered 202; appends to ORDER_IDS/ORDER_NAMES.
collect_orders() {
  local n
  for n in 1 2 3 4 5; do
    [ "$(cat "$WORK/$1-$n.status")" = 202 ] || fail "order d$n of $1: $(cat "$WORK/$1-$n.status") $(cat "$WORK/$1-$n.json")"
    ORDER_IDS+=("$(json_get "$WORK/$1-$n.json" id)")
    ORDER_NAMES+=("d$n.$2")
  done
}
declare -a HOMES=() ORDER_IDS=() ORDER_NAMES=() SUBMITS=()
for i in 1 2 3 4; do
  use $(( (i % 2) + 1 )); register "$(new_token)" "10.0.$i.1"
  HOMES+=("$HOME_NAME $HOME_ZONE $CREDENTIAL")
  make_csrs "$HOME_NAME" "$HOME_ZONE"
done
started=$(date +%s)
for i in 0 1 2 3; do
  read -r home zone cred <<<"${HOMES[$i]}"
  launch_orders $(( (i % 2) + 1 )) "$home" "$cred"
done
for pid in "${SUBMITS[@]}"; do wait "$pid"; done
for spec in "${HOMES[@]}"; do read -r home zone _ <<<"$spec"; collect_orders "$home" "$zone"; done
ok "20 orders accepted at once, 10 through each instance, from 4 homes"
use 1
wait_all_issued 120 "${ORDER_IDS[@]}"
issued_in=$(( $(date +%s) - started ))
for i in "${!ORDER_IDS[@]}"; do verify_issued "${ORDER_IDS[$i]}" "${ORDER_NAMES[$i]}"; done
ok "all 20 issued within $issued_in s; each chain verifies against Pebble's root for its name"
cat "$WORK/hq1.log" "$WORK/hq2.log" >"$WORK/both.txt"
for id in "${ORDER_IDS[@]}"; do
  count=$(grep -c "order $id for .*: new order at the CA" "$WORK/both.txt" || true)
  [ "$count" = 1 ] || fail "order $id had $count newOrder requests at the CA across both instances"
done
# The CA's own count: Pebble logs each order it creates.
at_ca=$(grep -c 'Added order ".*" to the db' "$WORK/pebble.log" || true)
[ "$at_ca" = 20 ] || fail "Pebble created $at_ca orders for 20 HQ orders"
by1=$(grep -c ": new order at the CA" "$WORK/hq1.log" || true)
by2=$(grep -c ": new order at the CA" "$WORK/hq2.log" || true)
txt2=$(grep -c "challenge TXT published" "$WORK/hq2.log" || true)
[ "$txt2" -ge 1 ] || fail "instance 2 published no challenge: nothing showed that 1's DNS follows 2's changes"
ok "each order had exactly one newOrder at the CA, and Pebble created exactly 20 (instance 1 made $by1, instance 2 made $by2); $txt2 challenges published through 2 were validated by Pebble through 1's DNS"

# --- SIGKILL instance 2 while it holds claims; 1 completes them after the lease ---
# 5 more orders from the first home (its earlier ones are all issued), through instance 2, which
# is woken by them and claims them at once.
read -r home zone cred <<<"${HOMES[0]}"
for n in 1 2 3 4 5; do rm -f "$WORK/$home-$n.csr"; done
make_csrs "$home" "$zone"
ORDER_IDS=() ORDER_NAMES=() SUBMITS=()
# The test looks often: one psql session fed through a coprocess, not a process per look.
# exec: WATCH_PID is psql itself, so the exit trap ends the session; an orphaned psql would keep
# the server's smart shutdown (SIGTERM) waiting for it, and the trap waiting for the server.
coproc WATCH { exec "${PSQL[@]}" -d hq 2>&1; }
PIDS+=("$WATCH_PID")
watch_sql() {  # watch_sql QUERY: its rows, through the coprocess
  local line
  echo "$1; SELECT '--end--';" >&"${WATCH[1]}"
  while IFS= read -r line <&"${WATCH[0]}"; do [ "$line" = --end-- ] && break; echo "$line"; done
}
# A claim lasts one step's call to the CA (tens of ms). To kill instance 2 while it holds some, the
# database is made slow for it alone: a trigger delays each of its releases by 1 s, during which
# the other orders of its batch stay claimed.
sql "CREATE FUNCTION slow_release() RETURNS trigger LANGUAGE plpgsql AS \$\$
     BEGIN PERFORM pg_sleep(1); RETURN NEW; END \$\$;
     CREATE TRIGGER slow_hq2 BEFORE UPDATE ON orders FOR EACH ROW
     WHEN (OLD.claimed_by = 'hq2' AND NEW.lease_until IS NULL) EXECUTE FUNCTION slow_release()" >/dev/null
launch_orders 2 "$home" "$cred"
for pid in "${SUBMITS[@]}"; do wait "$pid"; done
held="" looks=0
claims="SELECT id FROM orders WHERE claimed_by = 'hq2' AND lease_until IS NOT NULL AND status = 'pending'"
deadline=$(( $(date +%s) + 60 ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  looks=$((looks + 1))
  sleep 0.05
  if [ -n "$(watch_sql "$claims")" ]; then
    # Frozen, instance 2 can neither take nor release claims: read them again, then kill it.
    kill -STOP "$HQ2_PID"
    held=$(watch_sql "$claims")
    [ -n "$held" ] && break
    kill -CONT "$HQ2_PID"
  fi
  [ -n "$(watch_sql "SELECT 1 FROM orders WHERE status = 'pending' LIMIT 1")" ] || break
done
[ -n "$held" ] || fail "instance 2 was never caught holding a claim"
kill -KILL "$HQ2_PID"
kill -CONT "$HQ2_PID" 2>/dev/null || true
wait "$HQ2_PID" 2>/dev/null || true
killed_at=$(date +%s)
ok "instance 2 killed with SIGKILL while holding claims on $(echo "$held" | wc -l) order(s) (caught at look $looks)"
collect_orders "$home" "$zone"
use 1
wait_all_issued 120 "${ORDER_IDS[@]}"
for i in "${!ORDER_IDS[@]}"; do verify_issued "${ORDER_IDS[$i]}" "${ORDER_NAMES[$i]}"; done
for id in $held; do
  [ "$(sql "SELECT claimed_by || ' ' || status FROM orders WHERE id = '$id'")" = "hq1 issued" ] ||
    fail "order $id: $(sql "SELECT claimed_by, status, step FROM orders WHERE id = '$id'")"
done
ok "instance 1 completed the orphaned orders after their $LEASE s lease ($(( $(date +%s) - killed_at )) s after the kill); all 5 chains verify"

# --- the password stays secret; a wrong one is a clear error ---
for log in "$WORK"/hq*.log; do
  grep -qF "$PG_PASSWORD" "$log" && fail "$log contains the database password"
done
bad_url="postgresql://hq:wrong-$PG_PASSWORD@127.0.0.1:$PG_PORT/hq"
# refused_start NAME CODE WHAT DB: an hq with data in $WORK/NAME on database DB must exit CODE.
refused_start() {
  local name=$1 expected=$2 what=$3 db=$4 code=0
  "$HQ" serve --data-dir "$WORK/$name" --zone "$ZONE" --listen "127.0.0.1:$(free_port)" \
    --dns-listen "127.0.0.1:$(free_port)" --acme-directory "$P_DIRECTORY" --db "$db" \
    >"$WORK/$name.log" 2>&1 || code=$?
  [ "$code" = "$expected" ] || fail "$what: exit $code, expected $expected: $(cat "$WORK/$name.log")"
}
refused_start hq3 3 "a wrong database password" "$bad_url"
grep -q "password authentication failed" "$WORK/hq3.log" || fail "no clear error: $(cat "$WORK/hq3.log")"
grep -qF "$PG_PASSWORD" "$WORK/hq3.log" && fail "the failed start logged the password"
ok "no log holds the database password; a wrong password exits 3 saying why"

# --- an instance with an ACME account key of its own is refused ---
refused_start hq4 4 "an instance with another account key" "$PG_URL"
grep -q "is not the one the other instances on this database use" "$WORK/hq4.log" ||
  fail "no clear error: $(cat "$WORK/hq4.log")"
ok "an instance whose ACME account key differs from the others' exits 4 saying which file to copy"
finish

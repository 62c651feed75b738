#!/usr/bin/env bash
# Router credentials (issue 17, docs/hq.md "Router credentials"), end to end with curl against the
# real hq, on the store named by HQ_TEST_STORE: sqlite (default) or postgres (a throwaway cluster,
# scripts/lib/postgres_cluster.sh). No public CA: the ACME directory is a closed port, so orders
# are accepted and stay pending. Checks:
#   - POST /v1/homes anonymous, with a wrong secret, or as an unknown router: 401 problem+json with
#     WWW-Authenticate Basic, the same detail for all three, nothing stored;
#   - `hq routers import` of a malformed or conflicting list: exit 7 naming the line or router,
#     nothing imported (the table read back); a list imported twice changes nothing;
#   - a genuine router registers; `hq routers revoke` then makes its registration 401 (revoked),
#     its home's record updates and certificate orders 403 router-refused, nothing changed; an
#     unknown id exits 7;
#   - a wrong secret with a malformed body: 401 (the credential is checked first);
#   - one new home a day: a second fresh token the same day is 429 with Retry-After, the router's
#     own token again is 200;
#   - another genuine router presenting the revoked router's home token: 403 router-refused; the
#     order accepted before the revocation fails (router-refused) before it reaches the CA;
#   - the per-source limit on unauthenticated endpoints: 429 with Retry-After past the burst, for
#     registration and order polls (HEAD as GET) alike; /healthz and a home's authenticated calls
#     unaffected.
# About 10 s (SQLite) and 20 s (PostgreSQL, initdb) on an idle machine.
source "$(dirname "$0")/hq_lib.sh"
STORE=${HQ_TEST_STORE:-sqlite}
DB_ARGS=()
if [ "$STORE" = postgres ]; then
  source "$(dirname "$0")/../../scripts/lib/postgres_cluster.sh"
  start_pg_cluster -c fsync=off
  # A short lease: an order claimed by a pass whose account attempt failed (the closed port) is
  # free again soon, so the given-up order below is seen within the wait.
  DB_ARGS=(--db "$PG_URL" --order-lease 2)
fi
# The per-source limit of the last part: a burst of 30, then 1 a minute, so that no budget comes
# back while the test runs. Everything before it sends fewer than 30 unauthenticated requests.
start_hq hq "${DB_ARGS[@]}" --source-burst 30 --source-rate 1

# rows TABLE: the number of rows in hq's TABLE.
rows() {
  if [ "$STORE" = postgres ]; then
    "${PSQL[@]}" -d hq -c "SELECT count(*) FROM $1"
  else
    python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(f"SELECT count(*) FROM {sys.argv[2]}").fetchone()[0])' \
      "$HQ_DIR/hq.db" "$1"
  fi
}
# problem STATUS TYPE: the last answer is an RFC 7807 document of this status and type; prints
# its detail.
problem() {
  python3 - "$WORK/body" "$1" "$2" <<'PY' || fail "not a $1 $2 problem: $(cat "$WORK/body")"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["status"] == int(sys.argv[2]) and p["type"] == "urn:hq:problem:" + sys.argv[3], p
print(p["detail"])
PY
}
register_as() {  # register_as USER:PASS TOKEN: POST /v1/homes; the status to stdout
  hq_api POST /v1/homes -D "$WORK/headers" -H 'Content-Type: application/json' ${1:+-u "$1"} \
    -d "{\"token\": \"$2\", \"address\": \"192.168.40.1\"}"
}

# --- who may register ---
make_router_credential R-1
TOKEN=$(new_token)
details=()
for who in "" "R-1:${ROUTER_SECRET}0" "R-2:$ROUTER_SECRET"; do
  status=$(register_as "$who" "$TOKEN")
  [ "$status" = 401 ] || fail "registration as '${who%%:*}' (no or bad credential): HTTP $status $(cat "$WORK/body")"
  grep -qi '^WWW-Authenticate: Basic realm="hq routers"' "$WORK/headers" ||
    fail "401 without WWW-Authenticate Basic: $(cat "$WORK/headers")"
  grep -qi '^Content-Type: application/problem+json' "$WORK/headers" || fail "401 not problem+json"
  details+=("$(problem 401 router-unauthenticated)")
done
[ "${details[0]}" = "${details[1]}" ] && [ "${details[1]}" = "${details[2]}" ] ||
  fail "the 401s differ, telling which router ids exist: ${details[*]}"
# The credential is checked before the body is read: a wrong secret with a malformed body is 401.
status=$(hq_api POST /v1/homes -H 'Content-Type: application/json' -u "R-1:${ROUTER_SECRET}0" -d 'not json')
[ "$status" = 401 ] || fail "wrong secret, malformed body: HTTP $status (the body was read first) $(cat "$WORK/body")"
[ "$(rows homes)" = 0 ] || fail "a refused registration stored a home"
ok "anonymous, wrong secret, unknown router: 401 problem+json, WWW-Authenticate Basic, one detail for all, nothing stored"

# --- importing the factory's list ---
hash_of() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
import_list() {  # import_list FILE: `hq routers import`, exit code to stdout, output in $WORK/import.out
  set +e
  "$HQ" routers import "$1" "${HQ_STORE_ARGS[@]}" >"$WORK/import.out" 2>&1
  echo $?
  set -e
}
before=$(rows routers)
printf '# batch 2\nR-10 %s\nR-11 not-a-hash\n' "$(hash_of secret-10-0123456789abcdef)" >"$WORK/malformed.list"
[ "$(import_list "$WORK/malformed.list")" = 7 ] || fail "malformed list: $(cat "$WORK/import.out")"
grep -q "line 3: the hash must be SHA-256" "$WORK/import.out" || fail "no line named: $(cat "$WORK/import.out")"
printf 'R-12 %s\nR-1 %s\n' "$(hash_of secret-12-0123456789abcdef)" "$(hash_of another-secret-0123456789)" >"$WORK/conflict.list"
[ "$(import_list "$WORK/conflict.list")" = 7 ] || fail "conflicting list: $(cat "$WORK/import.out")"
grep -q "router R-1 is already known with another secret hash; nothing was imported" "$WORK/import.out" ||
  fail "no conflict named: $(cat "$WORK/import.out")"
[ "$(rows routers)" = "$before" ] || fail "a refused import left rows: $(rows routers), was $before"
ok "malformed and conflicting lists: exit 7 naming line 3 / router R-1, nothing imported ($before routers)"
[ "$(import_list "$WORK/routers/R-1.list")" = 0 ] && grep -q "imported 0 router(s); 1 already known" "$WORK/import.out" ||
  fail "importing R-1 again: $(cat "$WORK/import.out")"
ok "the same list imported again: 0 added, 1 already known"

# --- a genuine router, then revoked ---
status=$(register_as "R-1:$ROUTER_SECRET" "$TOKEN")
[ "$status" = 201 ] || fail "R-1's registration: HTTP $status $(cat "$WORK/body")"
HOME_NAME=$(json_get "$WORK/body" home) CREDENTIAL=$(json_get "$WORK/body" credential)
put_cam() { hq_api PUT "/v1/homes/$HOME_NAME/records/cam" -H "Authorization: Bearer $CREDENTIAL" -d "{\"address\": \"$1\"}"; }
status=$(put_cam 192.168.40.20)
[ "$status" = 200 ] || fail "record before revocation: HTTP $status $(cat "$WORK/body")"
make_csr "$WORK/cam.csr" "/CN=cam.$HOME_NAME.$ZONE" "DNS:cam.$HOME_NAME.$ZONE"
order() { hq_api POST "/v1/homes/$HOME_NAME/certificates" -H "Authorization: Bearer $CREDENTIAL" -d "$(csr_body "$WORK/cam.csr")"; }
status=$(order)
[ "$status" = 202 ] || fail "order before revocation: HTTP $status $(cat "$WORK/body")"
ok "router R-1 registered home $HOME_NAME: record 200, order 202"
ORDER_ID=$(json_get "$WORK/body" id)
# One new home a day: a fresh token is refused with Retry-After, the router's own token is not.
status=$(register_as "R-1:$ROUTER_SECRET" "$(new_token)")
[ "$status" = 429 ] && problem 429 rate-limited | grep -q "one new home a day" ||
  fail "a second new home the same day: HTTP $status $(cat "$WORK/body")"
retry=$(sed -n 's/^Retry-After: \([0-9]*\).*/\1/Ip' "$WORK/headers")
[ "$retry" -gt 86000 ] && [ "$retry" -le 86400 ] || fail "Retry-After '$retry', not about 24 h: $(cat "$WORK/headers")"
[ "$(rows homes)" = 1 ] || fail "the refused new home was stored"
status=$(register_as "R-1:$ROUTER_SECRET" "$TOKEN")
[ "$status" = 200 ] || fail "R-1 re-registering its own home: HTTP $status $(cat "$WORK/body")"
ok "a second new home within 24 h: 429 rate-limited, Retry-After $retry s, nothing stored; its own home again: 200"
! grep -q "$ROUTER_SECRET" "$WORK/hq.log" || fail "the router's secret is in hq's log"
grep -q "registered home $HOME_NAME for router R-1" "$WORK/hq.log" || fail "no log line names the router"
ok "hq's log names router R-1, never its secret"

"$HQ" routers revoke R-1 "${HQ_STORE_ARGS[@]}" >"$WORK/revoke.out" 2>&1 || fail "revoke: $(cat "$WORK/revoke.out")"
grep -q "revoked router R-1; home $HOME_NAME can order nothing more" "$WORK/revoke.out" || fail "revoke said: $(cat "$WORK/revoke.out")"
status=$(register_as "R-1:$ROUTER_SECRET" "$TOKEN")
[ "$status" = 401 ] && problem 401 router-unauthenticated | grep -q "revoked" ||
  fail "a revoked router registering again: HTTP $status $(cat "$WORK/body")"
status=$(register_as "R-1:$ROUTER_SECRET" "$(new_token)")
[ "$status" = 401 ] || fail "a revoked router registering a new home: HTTP $status $(cat "$WORK/body")"
ok "revoked R-1 registering again (same or new token): 401 saying revoked"
orders_before=$(rows orders)
status=$(put_cam 192.168.40.21)
[ "$status" = 403 ] && problem 403 router-refused | grep -q "R-1.*was revoked" || fail "record after revocation: HTTP $status $(cat "$WORK/body")"
status=$(order)
[ "$status" = 403 ] && problem 403 router-refused | grep -q "revoked" || fail "order after revocation: HTTP $status $(cat "$WORK/body")"
[ "$(rows orders)" = "$orders_before" ] || fail "a refused order was stored"
dns A "cam.$HOME_NAME.$ZONE"
grep -q "192.168.40.20" "$WORK/dig.out" || fail "the refused update changed the record: $(cat "$WORK/dig.out")"
ok "the revoked router's home: record update and certificate order 403 router-refused, nothing changed"
# Another genuine router presenting the revoked router's home token does not take the home over.
make_router_credential R-2
status=$(register_as "R-2:$ROUTER_SECRET" "$TOKEN")
[ "$status" = 403 ] && problem 403 router-refused | grep -q "R-1 was revoked.*operator" ||
  fail "another router taking over the revoked router's home: HTTP $status $(cat "$WORK/body")"
status=$(put_cam 192.168.40.23)
[ "$status" = 403 ] || fail "the home orders again after a takeover attempt: HTTP $status $(cat "$WORK/body")"
ok "router R-2 with the revoked router's home token: 403 router-refused, the home stays refused"
# The order accepted before the revocation is given up before it reaches the CA (the worker
# looks again once its account attempt's backoff, a few seconds here, and on PostgreSQL the
# order's lease are over).
for _ in $(seq 1 120); do
  grep -q "order $ORDER_ID for .* failed: .*router-refused" "$WORK/hq.log" && break
  sleep 0.5
done
grep -q "order $ORDER_ID for .* failed: .*R-1.*was revoked; the order was given up before it was placed at the CA.*router-refused" "$WORK/hq.log" ||
  fail "the revoked home's pending order was not given up: $(grep "$ORDER_ID" "$WORK/hq.log")"
ok "the order accepted before the revocation: failed (router-refused) before it was placed at the CA"
set +e
"$HQ" routers revoke R-404 "${HQ_STORE_ARGS[@]}" >"$WORK/revoke.out" 2>&1
code=$?
set -e
[ "$code" = 7 ] && grep -q "no router has the id R-404" "$WORK/revoke.out" || fail "revoking an unknown id: exit $code $(cat "$WORK/revoke.out")"
ok "revoking an unknown router: exit 7, saying so"

# --- the per-source limit: burst 30, then 1 a minute ---
# HEAD polls: cpp-httplib answers them with the GET handler, so they count like GETs.
limited=""
for i in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' --head "$HQ_URL/v1/certificates/nonexistent-$i" -D "$WORK/headers")
  if [ "$status" = 429 ]; then limited=$i; break; fi
done
[ -n "$limited" ] || fail "40 unauthenticated requests and no 429"
retry=$(sed -n 's/^Retry-After: \([0-9]*\).*/\1/Ip' "$WORK/headers")
[ -n "$retry" ] && [ "$retry" -ge 1 ] || fail "429 without Retry-After: $(cat "$WORK/headers")"
status=$(hq_api GET /v1/certificates/nonexistent-get -D "$WORK/headers")
[ "$status" = 429 ] && problem 429 rate-limited >/dev/null || fail "a GET poll past the budget: HTTP $status"
# The budget refills continuously (1/60 a second): a token may have come back since the last
# refusal, which one registration spends (401: it reaches the credential check); the next is 429.
for _ in 1 2; do
  status=$(register_as "" "$(new_token)")
  [ "$status" = 429 ] && break
  [ "$status" = 401 ] || fail "registration at the end of the budget: HTTP $status $(cat "$WORK/body")"
done
[ "$status" = 429 ] || fail "registration past the budget: HTTP $status"
ok "HEAD order polls past the burst: 429 at request $limited with Retry-After $retry; registration 429 too"
status=$(hq_api GET /healthz)
[ "$status" = 200 ] || fail "/healthz limited: $status"
status=$(put_cam 192.168.40.22)
[ "$status" = 403 ] && problem 403 router-refused >/dev/null ||
  fail "an authenticated call while the source is limited should reach the home's checks: $status $(cat "$WORK/body")"
ok "/healthz and a home's authenticated calls are not limited (the revoked home's update still gets its 403)"
finish

#!/usr/bin/env bash
# A flood of unauthenticated enrolment requests cannot fill the router's flash (issue 14): 300
# requests of 40 KiB CSRs from three loopback addresses leave at most the caps' worth of undecided
# requests (4 per address, 32 in all), no CSR in the store, and the data folder within 2 MiB of
# where it started. The oldest request of an address is told it expired; the newest still waits;
# bad input still gets its 4xx; a real device asking after the flood is approved by the admin.
source "$(dirname "$0")/lib.sh"
start_router router

data_bytes() { du -sb "$ROUTER_DIR" | cut -f1; }
before=$(data_bytes)

# One key and one large CSR per source: 600 DNS names make a CSR of about 40 KiB, which the
# router accepts (it builds a leaf's extensions itself and never copies a CSR's).
for n in 2 3 4; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/k$n.pem" 2>/dev/null
  sans=$(python3 -c 'print(",".join("DNS:padding-%04d-%s.example" % (i, "x" * 40) for i in range(600)))')
  openssl req -new -key "$WORK/k$n.pem" -subj "/CN=flood$n" -addext "subjectAltName=$sans" \
    -out "$WORK/flood$n.csr" 2>/dev/null
  openssl req -new -key "$WORK/k$n.pem" -subj "/CN=small$n" -out "$WORK/small$n.csr" 2>/dev/null
done
csr_bytes=$(stat -c %s "$WORK/flood2.csr")
[ "$csr_bytes" -gt 35000 ] || fail "the flood CSR is only $csr_bytes bytes"

cat >"$WORK/flood.py" <<'PY'
import http.client, json, ssl, sys, threading
port, ca, work, per_source, kind = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
results = {}

def flood(n):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.check_hostname = False
    body = json.dumps({"csr": open(f"{work}/{kind}{n}.csr").read(), "name": f"flood{n}"})
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx,
                                       source_address=(f"127.0.0.{n}", 0), timeout=30)
    ids = []
    for _ in range(per_source):
        conn.request("POST", "/api/v1/enrolments", body, {"Content-Type": "application/json"})
        r = conn.getresponse()
        answer = json.loads(r.read())
        if r.status != 202:
            raise SystemExit(f"127.0.0.{n}: status {r.status}: {answer}")
        ids.append((answer["id"], answer["token"]))
    results[n] = ids

threads = [threading.Thread(target=flood, args=(n,)) for n in (2, 3, 4)]
for t in threads: t.start()
for t in threads: t.join()
if len(results) != 3:
    raise SystemExit("a flooding thread failed")
json.dump({str(n): ids for n, ids in results.items()}, open(f"{work}/{kind}_ids.json", "w"))
PY
python3 "$WORK/flood.py" "$ROUTER_PORT" "$ROUTER_DIR/ca/root.pem" "$WORK" 100 flood ||
  fail "the flood did not complete"
ok "300 requests of $csr_bytes-byte CSRs from 127.0.0.2-4 each answered 202"

rca status --json >"$WORK/status.json"
python3 - "$WORK/status.json" <<'PY' || fail "undecided requests are not within the caps"
import json, sys, collections
requests = json.load(open(sys.argv[1]))["requests"]
by_source = collections.Counter(r["source"] for r in requests)
assert len(requests) <= 32, len(requests)
assert all(count <= 4 for count in by_source.values()), by_source
assert set(by_source) == {"127.0.0.2", "127.0.0.3", "127.0.0.4"}, by_source
print(f"{len(requests)} undecided: {dict(by_source)}")
PY
ok "undecided requests within the caps (4 per address): $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["requests"]))' "$WORK/status.json") listed by router-ca status"

# within_budget WHAT: the data folder has grown by at most 2 MiB since the start.
within_budget() {
  local after growth
  after=$(data_bytes)
  growth=$((after - before))
  [ "$growth" -le $((2 * 1024 * 1024)) ] ||
    fail "the data folder grew by $growth bytes after $1 (from $before to $after; $(cd "$ROUTER_DIR" && ls -l router-ca.db*)); the budget is 2 MiB"
  ok "data folder grew by $growth bytes after $1 (budget 2 MiB)"
}
within_budget "300 requests ($((300 * csr_bytes)) bytes of CSRs sent)"

python3 - "$ROUTER_DIR/router-ca.db" <<'PY' || fail "the store keeps more than a decision needs"
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
columns = [row[1] for row in db.execute("PRAGMA table_info(enrolment_requests)")]
assert "csr_der" not in columns, columns
largest = db.execute("SELECT max(length(public_key)) FROM enrolment_requests").fetchone()[0]
assert largest is not None and largest < 200, largest  # a P-256 SubjectPublicKeyInfo: 91 octets
audit = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
print(f"largest stored key {largest} octets, {audit} audit events")
PY
ok "the store keeps keys, not CSRs (no csr_der column; largest key under 200 octets)"

# 127.0.0.2's fifth newest request gave way to its four newest, which still wait; its oldest is
# gone altogether (only the newest 256 decided requests stay), and its poller is told so.
read -r old_id old_token gone_id gone_token new_id new_token < <(python3 -c '
import json, sys
ids = json.load(open(sys.argv[1]))["2"]
print(ids[-5][0], ids[-5][1], ids[0][0], ids[0][1], ids[-1][0], ids[-1][1])' "$WORK/flood_ids.json")
code=$(api GET "/api/v1/enrolments/$old_id" -H "Authorization: Bearer $old_token")
[ "$code" = 200 ] && [ "$(json_get "$WORK/body" status)" = expired ] ||
  fail "the fifth newest flood request: $code $(cat "$WORK/body")"
ok "127.0.0.2's fifth newest request is expired: $(json_get "$WORK/body" detail)"
code=$(api GET "/api/v1/enrolments/$gone_id" -H "Authorization: Bearer $gone_token")
[ "$code" = 404 ] || fail "the oldest flood request: $code $(cat "$WORK/body")"
ok "127.0.0.2's oldest request is gone: 404 $(json_get "$WORK/body" detail)"
code=$(api GET "/api/v1/enrolments/$new_id" -H "Authorization: Bearer $new_token")
[ "$code" = 200 ] && [ "$(json_get "$WORK/body" status)" = pending ] ||
  fail "the newest flood request: $code $(cat "$WORK/body")"
ok "the newest request of 127.0.0.2 still pending"

# Long enough for the audit log to come round its ring (two events a request): what is stored
# stops growing.
python3 "$WORK/flood.py" "$ROUTER_PORT" "$ROUTER_DIR/ca/root.pem" "$WORK" 800 small ||
  fail "the second flood did not complete"
within_budget "2,400 more requests, the audit log full circle"

# ACME accounts, which anyone may make too: those not approved are capped the same way.
for n in 2 3 4; do
  python3 "$(dirname "$0")/acme_account_flood.py" --url "$ROUTER_URL" --root "$ROUTER_DIR/ca/root.pem" \
    --source "127.0.0.$n" --count 40 >"$WORK/acme$n.out" || fail "the ACME account flood from 127.0.0.$n failed"
  [ "$(cat "$WORK/acme$n.out")" = "201:40" ] || fail "127.0.0.$n's new accounts: $(cat "$WORK/acme$n.out")"
done
rca acme accounts --json >"$WORK/accounts.json"
python3 - "$WORK/accounts.json" <<'PY' || fail "unapproved ACME accounts are not within the caps"
import json, sys, collections
accounts = json.load(open(sys.argv[1]))["accounts"]
by_source = collections.Counter(a["source"] for a in accounts)
assert len(accounts) <= 32 and all(c <= 4 for c in by_source.values()), by_source
print(f"{len(accounts)} accounts kept: {dict(by_source)}")
PY
ok "120 new ACME accounts from 127.0.0.2-4 (each 201) leave $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["accounts"]))' "$WORK/accounts.json") unapproved, at most 4 per address"
within_budget "120 ACME accounts"

code=$(api POST /api/v1/enrolments -H 'Content-Type: application/json' -d '{"csr": "not a CSR"}')
[ "$code" = 400 ] || fail "a malformed CSR got $code: $(cat "$WORK/body")"
ok "a malformed CSR still gets 400: $(json_get "$WORK/body" detail)"

# A real device asking after the flood (from 127.0.0.1) is not pushed out; the admin approves it.
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$WORK/real" --name camera \
  --ca-fingerprint "$(root_fingerprint)" --timeout 30 >"$WORK/real.out" 2>&1 &
real_pid=$!
real_id=""
for _ in $(seq 1 100); do
  real_id=$(rca status --json | python3 -c '
import json, sys
print(next((r["id"] for r in json.load(sys.stdin)["requests"] if r["source"] == "127.0.0.1"), ""))')
  [ -n "$real_id" ] && break
  sleep 0.1
done
[ -n "$real_id" ] || fail "the real device's request never appeared: $(cat "$WORK/real.out")"
rca approve "$real_id" >/dev/null || fail "approving the real device failed"
wait "$real_pid" || fail "device-enrol pair failed after approval: $(cat "$WORK/real.out")"
ok "a real device asking after the flood was approved by the admin and paired"
finish

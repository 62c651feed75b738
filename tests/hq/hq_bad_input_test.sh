#!/usr/bin/env bash
# Bad input to hq (about 20 s idle, a few minutes on a loaded 2-core machine): public addresses, names outside the home, CSRs with extra names or
# IP addresses, wrong or missing credentials, oversized and malformed bodies, bad tokens. Each gets
# a clear problem document, and nothing is stored (the database is read back with python's sqlite3
# and DNS is asked). The ACME directory points at a closed port: orders stay pending, which also
# shows that an unreachable CA costs no home its order, and the per-home limit answers 429.
source "$(dirname "$0")/hq_lib.sh"
start_hq hq --max-pending-orders 2

# expect STATUS PATTERN WHAT: the last api call answered STATUS with a problem whose detail
# matches PATTERN (case-insensitive).
expect() {
  local want=$1 pattern=$2 what=$3 detail
  [ "$status" = "$want" ] || fail "$what: HTTP $status, expected $want: $(cat "$WORK/body")"
  detail=$(python3 - "$WORK/body" "$pattern" "$want" <<'PY'
import json, re, sys
p = json.load(open(sys.argv[1]))
assert p["status"] == int(sys.argv[3]), "status member"
assert p["type"].startswith("urn:hq:problem:"), "type"
assert re.search(sys.argv[2], p["detail"], re.I), "detail does not match " + sys.argv[2]
print(p["detail"][:90])
PY
) || fail "$what: $(cat "$WORK/body")"
  ok "$what: $want, \"$detail\""
}
# post_json PATH BODY [curl args...]
post_json() {
  local path=$1 body=$2; shift 2
  api POST "$path" -H 'Content-Type: application/json' -d "$body" "$@"
}

# counts: "homes records orders challenges" as stored.
counts() {
  python3 - "$HQ_DIR/hq.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(" ".join(str(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in ("homes", "records", "orders", "challenges")))
PY
}

# The bad bodies come from a genuine router: its credential does not excuse bad input.
make_router_credential bad-input-router
ROUTER=(-u "$ROUTER_ID:$ROUTER_SECRET")
status=$(post_json /v1/homes '{"token": "0123456789abcdef", "address": "192.168.1.1"}' "${ROUTER[@]}")
expect 400 "128 bits" "a 64-bit token"
status=$(post_json /v1/homes "{\"token\": \"$(new_token)\", \"address\": \"8.8.8.8\"}" "${ROUTER[@]}")
expect 400 "not private" "a public router address"
status=$(post_json /v1/homes "{\"token\": \"$(new_token)\", \"address\": \"192.168.1.1\", \"admin\": \"yes\"}" "${ROUTER[@]}")
expect 400 "unknown member" "an unknown member"
status=$(post_json /v1/homes "{\"token\": \"$(new_token)\", \"token\": \"$(new_token)\", \"address\": \"192.168.1.1\"}" "${ROUTER[@]}")
expect 400 "duplicate" "a duplicated member"
status=$(post_json /v1/homes '{"token": 5, "address": "192.168.1.1"}' "${ROUTER[@]}")
expect 400 "must be a string" "a number for the token"
status=$(post_json /v1/homes '{"token": "' "${ROUTER[@]}")
expect 400 "." "truncated JSON"
# A detail quotes an unknown member's name cut to 40 octets; cut inside "é" it is not UTF-8, and
# the problem document used to throw on it: 500 (issue 14, found by fuzz_hq_registration).
status=$(post_json /v1/homes "{\"token\": \"$(new_token)\", \"address\": \"192.168.1.1\", \"$(printf 'a%.0s' {1..39})\u00e9\": \"x\"}" "${ROUTER[@]}")
expect 400 "unknown member" "an unknown member whose quoted name is cut inside a UTF-8 character"
[ "$(counts)" = "0 0 0 0" ] || fail "refused registrations stored something: $(counts)"
ok "nothing stored after the refused registrations"

register "$(new_token)" 192.168.1.1
A=$HOME_NAME A_CRED=$CREDENTIAL A_ZONE=$HOME_ZONE
register "$(new_token)" 10.1.1.1
B=$HOME_NAME B_CRED=$CREDENTIAL
[ "$(counts)" = "2 2 0 0" ] || fail "two registrations should store 2 homes and 2 records: $(counts)"

put_record() { api PUT "/v1/homes/$1/records/$2" -H "Authorization: Bearer $3" -d "{\"address\": \"$4\"}"; }
status=$(put_record "$A" cam "$A_CRED" 203.0.113.5)
expect 400 "not private" "a public address in a record"
status=$(put_record "$A" cam "$A_CRED" 127.0.0.1)
expect 400 "not private" "a loopback address in a record"
status=$(put_record "$A" "Cam" "$A_CRED" 192.168.1.20)
expect 400 "lowercase DNS label" "an uppercase label"
status=$(put_record "$A" "_acme-challenge" "$A_CRED" 192.168.1.20)
expect 400 "lowercase DNS label" "the _acme-challenge label"
# A path label is any octets once percent-decoded; quoted in the detail, Latin-1 "é" is not UTF-8
# (500 before, issue 14, found by fuzz_hq_records).
status=$(put_record "$A" "caf%E9" "$A_CRED" 192.168.1.20)
expect 400 "lowercase DNS label" "a label that is not UTF-8"
status=$(api PUT "/v1/homes/$A/records/cam" -d '{"address": "192.168.1.20"}')
expect 401 "Bearer" "no credential"
status=$(put_record "$A" cam "wrong-credential" 192.168.1.20)
expect 403 "not the credential" "a wrong credential"
status=$(put_record "$A" cam "$B_CRED" 192.168.1.20)
expect 403 "not the credential" "another home's credential"
status=$(put_record no-such-home cam "$A_CRED" 192.168.1.20)
expect 404 "no home" "an unknown home"
head -c 20000 /dev/zero | tr '\0' 'a' >"$WORK/big"
status=$(api PUT "/v1/homes/$A/records/cam" -H "Authorization: Bearer $A_CRED" --data-binary @"$WORK/big")
expect 413 "larger than 16384" "a 20 kB body"
[ "$(counts)" = "2 2 0 0" ] || fail "refused record updates stored something: $(counts)"
dns A "cam.$A_ZONE"
grep -q "status: NXDOMAIN" "$WORK/dig.out" || fail "cam.$A_ZONE resolves after refusals: $(cat "$WORK/dig.out")"
ok "nothing stored after the refused record updates; cam.$A_ZONE is NXDOMAIN"

post_csr() {
  api POST "/v1/homes/$1/certificates" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    -d "$(csr_body "$3")"
}
make_csr "$WORK/other.csr" "/CN=cam.$B.$ZONE" "DNS:cam.$B.$ZONE"
status=$(post_csr "$A" "$A_CRED" "$WORK/other.csr")
expect 400 "not under this home" "a CSR for another home's name"
make_csr "$WORK/outside.csr" "/CN=www.bank.example" "DNS:www.bank.example"
status=$(post_csr "$A" "$A_CRED" "$WORK/outside.csr")
expect 400 "not under this home" "a CSR for a name outside the zone"
make_csr "$WORK/extra.csr" "/CN=cam.$A_ZONE" "DNS:cam.$A_ZONE,DNS:nas.$A_ZONE"
status=$(post_csr "$A" "$A_CRED" "$WORK/extra.csr")
expect 400 "nas\\.$A_ZONE" "a CSR with an extra name"
make_csr "$WORK/ip.csr" "/CN=cam.$A_ZONE" "DNS:cam.$A_ZONE,IP:192.168.1.20"
status=$(post_csr "$A" "$A_CRED" "$WORK/ip.csr")
expect 400 "IP" "a CSR with an IP address"
make_csr "$WORK/cn.csr" "/CN=www.bank.example" "DNS:cam.$A_ZONE"
status=$(post_csr "$A" "$A_CRED" "$WORK/cn.csr")
expect 400 "www.bank.example" "a CSR whose CN is another name"
make_csr "$WORK/deep.csr" "/CN=a.b.$A_ZONE" "DNS:a.b.$A_ZONE"
status=$(post_csr "$A" "$A_CRED" "$WORK/deep.csr")
expect 400 "lowercase DNS label" "a CSR two labels below the home"
make_csr "$WORK/cn-only.csr" "/CN=cam.$A_ZONE"
status=$(post_csr "$A" "$A_CRED" "$WORK/cn-only.csr")
expect 400 "subjectAltName" "a CSR naming cam only in its commonName"
status=$(post_json "/v1/homes/$A/certificates" '{"csr": "not a CSR"}' -H "Authorization: Bearer $A_CRED")
expect 400 "PEM CERTIFICATE REQUEST" "a body that is not a CSR"
make_csr "$WORK/cam.csr" "/CN=cam.$A_ZONE" "DNS:cam.$A_ZONE"
status=$(post_csr "$A" "$B_CRED" "$WORK/cam.csr")
expect 403 "not the credential" "a good CSR with another home's credential"
[ "$(counts)" = "2 2 0 0" ] || fail "refused certificate requests stored something: $(counts)"
ok "nothing stored after the refused certificate requests"

status=$(post_csr "$A" "$A_CRED" "$WORK/cam.csr")
[ "$status" = 202 ] || fail "a good CSR answered $status: $(cat "$WORK/body")"
id=$(json_get "$WORK/body" id)
status=$(post_csr "$A" "$A_CRED" "$WORK/cam.csr")
[ "$status" = 202 ] || fail "a second good CSR answered $status: $(cat "$WORK/body")"
status=$(post_csr "$A" "$A_CRED" "$WORK/cam.csr")
expect 429 "in progress" "a third order while two are pending (--max-pending-orders 2)"
status=$(api GET "/v1/certificates/$id")
[ "$status" = 200 ] && [ "$(json_get "$WORK/body" status)" = pending ] ||
  fail "GET /v1/certificates/$id: $status $(cat "$WORK/body")"
ok "with the CA unreachable the orders stay pending (not failed)"
status=$(api GET "/v1/certificates/AAAAAAAAAAAAAAAAAAAAAA")
expect 404 "no certificate order" "an unknown certificate id"
status=$(api GET "/v1/nothing-here")
expect 404 "no such resource" "an unknown path"
# The error handler quotes the path: one that is not UTF-8 used to throw from it and end hq.
status=$(api GET "/v1/nothing-%FF-here")
expect 404 "no such resource" "an unknown path that is not UTF-8"
kill -0 "$HQ_PID" 2>/dev/null && curl -sf "$HQ_URL/healthz" >/dev/null || fail "hq stopped serving"
ok "hq still serves after paths and labels that are not UTF-8"
finish

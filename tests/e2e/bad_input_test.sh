#!/usr/bin/env bash
# Hostile and broken requests get a clear 4xx problem document; nothing is stored; the daemon
# keeps serving.
source "$(dirname "$0")/lib.sh"
start_router router

pending_requests() {
  rca status --json >"$WORK/status.json"
  python3 -c 'import json; print(len(json.load(open("'"$WORK/status.json"'"))["requests"]))'
}

expect_problem() {  # expect_problem DESCRIPTION STATUS WORDS-IN-DETAIL
  local description=$1 want=$2 words=$3 got=$4
  [ "$got" = "$want" ] || fail "$description: HTTP $got, expected $want: $(cat "$WORK/body")"
  python3 - "$WORK/body" "$words" "$want" <<'PY' || fail "$description: not a problem document naming '$words' with status $want: $(cat "$WORK/body")"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["type"].startswith("urn:router-ca:problem:"), doc
assert sys.argv[2].lower() in doc["detail"].lower(), doc
assert doc["status"] == int(sys.argv[3]), doc  # RFC 7807 3.1: the response's own status
PY
  ok "$description -> $want ($words)"
}

post_enrolment() { api POST /api/v1/enrolments -H 'Content-Type: application/json' --data-binary "@$1"; }

echo '{"csr": ' >"$WORK/malformed.json"
expect_problem "malformed JSON" 400 "not valid JSON" "$(post_enrolment "$WORK/malformed.json")"

echo '[1,2,3]' >"$WORK/array.json"
expect_problem "JSON that is not an object" 400 "JSON object" "$(post_enrolment "$WORK/array.json")"

echo '{"csr": 42}' >"$WORK/wrongtype.json"
expect_problem "csr of the wrong type" 400 "must be a string" "$(post_enrolment "$WORK/wrongtype.json")"
# A client that sends its body only after "100 Continue" (RFC 9110 10.1.1) gets it at once, though
# the router gathers a response's bytes before sending them: curl would wait 60 s, -m 20 fails.
expect_problem "a body sent after 100 Continue" 400 "must be a string" \
  "$(api POST /api/v1/enrolments -H 'Content-Type: application/json' -H 'Expect: 100-continue' \
    --expect100-timeout 60 -m 20 --data-binary "@$WORK/wrongtype.json")"

# 30,000 levels of nesting fit in the 64 KiB limit, and would cost the router some 2 MiB to build.
python3 -c 'print("{\"csr\": " + "[" * 30000 + "]" * 30000 + "}")' >"$WORK/deep.json"
expect_problem "JSON nested 30,000 deep" 400 "nested deeper than 32" "$(post_enrolment "$WORK/deep.json")"

echo '{"csr": "a", "csr": "b"}' >"$WORK/duplicate.json"
expect_problem "a member named twice" 400 "duplicate member" "$(post_enrolment "$WORK/duplicate.json")"

head -c 200000 /dev/zero | tr '\0' 'a' >"$WORK/huge.json"
expect_problem "oversized body" 413 "larger than" "$(post_enrolment "$WORK/huge.json")"

echo '{"csr": "-----BEGIN CERTIFICATE REQUEST-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE REQUEST-----\n"}' >"$WORK/garbage.json"
expect_problem "CSR garbage" 400 "not a PEM or DER PKCS#10" "$(post_enrolment "$WORK/garbage.json")"

make_csr "$WORK/rsa1024.csr" rsa:1024
enrolment_body "$WORK/rsa1024.csr" >"$WORK/rsa1024.json"
expect_problem "RSA-1024 key" 400 "at least 2048" "$(post_enrolment "$WORK/rsa1024.json")"

make_csr "$WORK/p521.csr" ec:P-521
enrolment_body "$WORK/p521.csr" >"$WORK/p521.json"
expect_problem "unsupported curve P-521" 400 "unsupported curve" "$(post_enrolment "$WORK/p521.json")"

# A valid CSR with one bit of its signature flipped.
make_csr "$WORK/good.csr" ec:P-256
python3 - "$WORK/good.csr" "$WORK/badsig.json" <<'PY'
import base64, json, sys
pem = open(sys.argv[1]).read().splitlines()
der = bytearray(base64.b64decode("".join(l for l in pem if not l.startswith("-----"))))
der[-5] ^= 1
body = "\n".join(base64.encodebytes(bytes(der)).decode().split())
csr = "-----BEGIN CERTIFICATE REQUEST-----\n" + body + "\n-----END CERTIFICATE REQUEST-----\n"
json.dump({"csr": csr}, open(sys.argv[2], "w"))
PY
expect_problem "CSR with a bad signature" 400 "signature does not verify" "$(post_enrolment "$WORK/badsig.json")"

python3 -c 'import json; print(json.dumps({"csr": open("'"$WORK/good.csr"'").read(), "ipv4": "8.8.8.8"}))' >"$WORK/wan.json"
expect_problem "a stated address that is not the source" 400 "not the address this request came from" \
  "$(post_enrolment "$WORK/wan.json")"

[ "$(pending_requests)" = 0 ] || fail "a rejected request was stored"
ok "no rejected request was stored"

# A good request, then polls with the wrong token and an unknown id.
enrolment_body "$WORK/good.csr" camera >"$WORK/good.json"
[ "$(post_enrolment "$WORK/good.json")" = 202 ] || fail "a good CSR was refused: $(cat "$WORK/body")"
cp "$WORK/body" "$WORK/submitted.json"
id=$(json_get "$WORK/submitted.json" id)
expect_problem "poll with a wrong token" 401 "does not belong" \
  "$(api GET "/api/v1/enrolments/$id" -H 'Authorization: Bearer 00ff')"
expect_problem "poll without a token" 401 "Bearer" "$(api GET "/api/v1/enrolments/$id")"
expect_problem "poll of an unknown id" 404 "no enrolment request" \
  "$(api GET /api/v1/enrolments/0123456789abcdef0123456789abcdef -H 'Authorization: Bearer 00ff')"
expect_problem "unknown path" 404 "no such resource" "$(api GET /api/v1/nothing)"
# The error handler quotes the path; one that is not UTF-8 used to throw from it and end the
# daemon (issue 14; HQ's fuzz targets found the same in HQ's problem documents).
expect_problem "unknown path that is not UTF-8" 404 "no such resource" "$(api GET /api/v1/nothing-%FF)"
[ "$(api POST /acme/nothing-%FF -H "Content-Type: application/jose+json" -d "{}")" = 404 ] || fail "ACME path that is not UTF-8: $(cat "$WORK/body")"
python3 - "$WORK/body" <<'PY' || fail "ACME path that is not UTF-8: not its ACME problem: $(cat "$WORK/body")"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["type"].startswith("urn:ietf:params:acme:error:"), doc
assert "no ACME resource" in doc["detail"], doc
assert doc["status"] == 404, doc
PY
ok "ACME path that is not UTF-8 -> 404 ACME problem (no ACME resource)"
expect_problem "renewal without a client certificate" 401 "client certificate" \
  "$(api POST /api/v1/renewals --data-binary "@$WORK/good.json")"

[ "$(pending_requests)" = 1 ] || fail "expected exactly the one good request pending"
ok "exactly the good request is pending"
curl -sf --cacert "$ROUTER_DIR/ca/root.pem" "$ROUTER_URL/healthz" >/dev/null || fail "daemon stopped answering"
ok "daemon still healthy after hostile input"
finish

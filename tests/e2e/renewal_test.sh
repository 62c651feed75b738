#!/usr/bin/env bash
# Renewal over mutual TLS with a new key; refused for certificates this router did not issue and
# after revocation; the revoked serial is in the CRL.
source "$(dirname "$0")/lib.sh"
start_router other --pair-guard 0
OTHER_DIR=$ROUTER_DIR OTHER_URL=$ROUTER_URL
enrol_device "$WORK/stranger" stranger
start_router router --pair-guard 0
enrol_device "$WORK/nas" nas

old_serial=$(serial_of "$WORK/nas/cert.pem")
old_key=$(openssl pkey -in "$WORK/nas/key.pem" -pubout | sha256sum)
"$DEVICE_ENROL" renew --out "$WORK/nas" >"$WORK/notdue.out" 2>&1 || fail "renew (not due) failed"
[ "$(serial_of "$WORK/nas/cert.pem")" = "$old_serial" ] || fail "renewed although not due"
ok "renew without --force, early in the lifetime: nothing to do ($(tail -n 1 "$WORK/notdue.out"))"

"$DEVICE_ENROL" renew --out "$WORK/nas" --force >"$WORK/renew.out" 2>&1 || fail "renew: $(cat "$WORK/renew.out")"
new_serial=$(serial_of "$WORK/nas/cert.pem")
[ "$new_serial" != "$old_serial" ] || fail "serial did not change"
[ "$(openssl pkey -in "$WORK/nas/key.pem" -pubout | sha256sum)" != "$old_key" ] || fail "key did not change"
openssl x509 -in "$WORK/nas/cert.pem" -noout -ext subjectAltName | grep -q "DNS:nas.home.arpa" ||
  fail "renewed certificate lost its name"
verify_chain "$WORK/nas/cert.pem" "$ROUTER_DIR/ca/root.pem" "$WORK/nas/chain.pem" >/dev/null ||
  fail "renewed chain does not verify"
ok "renew --force over mutual TLS: new serial $new_serial, new key, same name, chain verifies"

# A certificate from another router's CA is refused.
python3 -c 'import json; print(json.dumps({"csr": open("'"$WORK/nas/cert.pem"'").read()}))' >"$WORK/any.json"
code=$(api POST /api/v1/renewals --cert "$WORK/stranger/cert.pem" --key "$WORK/stranger/key.pem" \
  --data-binary "@$WORK/any.json")
[ "$code" = 401 ] || fail "another CA's certificate got HTTP $code: $(cat "$WORK/body")"
grep -q "not issued by this router" "$WORK/body" || fail "unclear error: $(cat "$WORK/body")"
ok "renewal with another router's certificate: 401 (not issued by this router)"

rca revoke nas >"$WORK/revoke.out" || fail "revoke failed"
ok "router-ca revoke nas: $(cat "$WORK/revoke.out")"
set +e
"$DEVICE_ENROL" renew --out "$WORK/nas" --force >"$WORK/revoked.out" 2>&1
code=$?
set -e
[ $code = 9 ] || fail "renewal after revocation gave exit $code: $(cat "$WORK/revoked.out")"
grep -q "revoked" "$WORK/revoked.out" || fail "unclear error: $(cat "$WORK/revoked.out")"
ok "renewal after revocation refused (exit 9): $(tail -n 1 "$WORK/revoked.out")"
[ "$(serial_of "$WORK/nas/cert.pem")" = "$new_serial" ] || fail "a refused renewal changed the files"
ok "a refused renewal leaves the device's files as they were"

curl -sf --cacert "$ROUTER_DIR/ca/root.pem" "$ROUTER_URL/crl" -o "$WORK/crl.der"
openssl crl -inform DER -in "$WORK/crl.der" -noout -text >"$WORK/crl.txt"
for s in "$old_serial" "$new_serial"; do
  tr 'A-Z' 'a-z' <"$WORK/crl.txt" | grep -q "serial number: 0*$s" || fail "serial $s missing from the CRL"
done
openssl crl -inform DER -in "$WORK/crl.der" -noout -CAfile "$ROUTER_DIR/ca/intermediate.pem" -verify 2>&1 |
  grep -q "verify OK" || fail "the CRL's signature does not verify with the intermediate"
ok "GET /crl lists both serials of nas, signed by the intermediate"
openssl verify -crl_check -CRLfile "$WORK/crl.der" -CAfile "$ROUTER_DIR/ca/root.pem" \
  -untrusted "$ROUTER_DIR/ca/intermediate.pem" "$WORK/nas/cert.pem" >"$WORK/crlcheck.out" 2>&1 &&
  fail "openssl accepted a revoked certificate with -crl_check"
grep -q "certificate revoked" "$WORK/crlcheck.out" || fail "unexpected: $(cat "$WORK/crlcheck.out")"
ok "openssl verify -crl_check: certificate revoked"
finish

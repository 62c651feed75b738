#!/usr/bin/env bash
# The root key moved offline and brought back for a rotation (docs/ca-keys.md): `root export`
# writes it encrypted (openssl needs the passphrase) and removes it from the router, the daemon
# still enrols and renews with the root offline, `intermediate rotate --root-key` makes a new
# intermediate; afterwards leaves of both intermediates verify with openssl, renewals come from the
# new one, and a revoked old leaf appears in the CRL its distribution point names, signed by its
# issuer. 13 to 48 s on this 2-core machine, by its load (at a load average of 13 each python3 start
# takes 2 s); the PBKDF2 rounds of export and rotate (600,000 each) cost under a second each.
source "$(dirname "$0")/lib.sh"
start_router router --pair-guard 0
CA="$ROUTER_DIR/ca"
EXPORT="$WORK/root-offline.pem"
printf 'correct horse battery staple\n' >"$WORK/pass"
printf 'wrong horse battery staple\n' >"$WORK/wrong"
printf 'short\n' >"$WORK/short"

enrol_device "$WORK/nas" nas
rca status >"$WORK/status.out"
grep -q "^root key: *online" "$WORK/status.out" || fail "status: $(cat "$WORK/status.out")"
ok "a new router holds its root key: status says root key: online"

# key_id CERT: the certificate's subjectKeyIdentifier as router-ca names it (lowercase hex).
key_id() { openssl x509 -in "$1" -noout -ext subjectKeyIdentifier | tail -n 1 | tr -d ' :' | tr 'A-F' 'a-f'; }
# issuer_id CERT: the authorityKeyIdentifier, the same way.
issuer_id() { openssl x509 -in "$1" -noout -ext authorityKeyIdentifier | tail -n 1 | sed 's/keyid://' | tr -d ' :' | tr 'A-F' 'a-f'; }
OLD_ID=$(key_id "$CA/intermediate.pem")

# --- export -------------------------------------------------------------------------------------
if rca root export --out "$EXPORT" --passphrase-file "$WORK/short" >"$WORK/short.out" 2>&1; then
  fail "a 5-character passphrase was accepted"
fi
grep -q "at least" "$WORK/short.out" || fail "unclear: $(cat "$WORK/short.out")"
[ ! -e "$EXPORT" ] && [ -f "$CA/root.key.pem" ] || fail "a refused export changed files"
ok "a short passphrase is refused, nothing written, the key stays: $(cat "$WORK/short.out")"

rca root export --out "$EXPORT" --passphrase-file "$WORK/pass" >"$WORK/export.out" 2>&1 ||
  fail "root export: $(cat "$WORK/export.out")"
[ "$(stat -c %a "$EXPORT")" = 600 ] || fail "the export has mode $(stat -c %a "$EXPORT")"
grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$EXPORT" || fail "the export is not encrypted PKCS#8"
[ ! -e "$CA/root.key.pem" ] || fail "the root key is still in the data directory"
ok "root export: $EXPORT is mode 600, encrypted PKCS#8, and root.key.pem is gone"

openssl asn1parse -in "$EXPORT" >"$WORK/asn1.txt"
grep -q ":PBES2" "$WORK/asn1.txt" && grep -q ":aes-256-cbc" "$WORK/asn1.txt" &&
  grep -q ":hmacWithSHA256" "$WORK/asn1.txt" || fail "not PBES2/AES-256-CBC/SHA-256: $(cat "$WORK/asn1.txt")"
ok "the export is PBES2 with PBKDF2-HMAC-SHA-256 and AES-256-CBC (openssl asn1parse)"
openssl pkey -in "$EXPORT" -passin "file:$WORK/pass" -pubout >"$WORK/export.pub" 2>"$WORK/pkey.err" ||
  fail "openssl cannot read the export with the passphrase: $(cat "$WORK/pkey.err")"
openssl x509 -in "$CA/root.pem" -noout -pubkey >"$WORK/root.pub"
cmp -s "$WORK/export.pub" "$WORK/root.pub" || fail "the exported key is not the root's"
ok "openssl pkey -passin reads the export, and it is the root certificate's key"
if openssl pkey -in "$EXPORT" -passin "file:$WORK/wrong" -noout 2>/dev/null; then
  fail "openssl read the export with a wrong passphrase"
fi
if openssl pkey -in "$EXPORT" -passin pass: -noout 2>/dev/null; then
  fail "openssl read the export without a passphrase"
fi
ok "openssl refuses the export with a wrong or empty passphrase"

if rca root export --out "$EXPORT" --passphrase-file "$WORK/pass" >"$WORK/again.out" 2>&1; then
  fail "a second export succeeded"
fi
grep -q "refusing to overwrite" "$WORK/again.out" || fail "unclear: $(cat "$WORK/again.out")"
ok "a second export refuses to overwrite: $(cat "$WORK/again.out")"
rca status >"$WORK/status.out"
grep -q "^root key: *offline" "$WORK/status.out" || fail "status: $(cat "$WORK/status.out")"
ok "the running daemon forgot the key: status says root key: offline"

# --- the router keeps working with the root offline ---------------------------------------------
enrol_device "$WORK/cam" cam
"$DEVICE_ENROL" renew --out "$WORK/nas" --force >"$WORK/renew1.out" 2>&1 ||
  fail "renew with the root offline: $(cat "$WORK/renew1.out")"
ok "with the root offline the daemon enrols (cam) and renews (nas)"

stop_router
ROUTER_PORT_OVERRIDE=$ROUTER_PORT start_router router --pair-guard 0
grep -q "root key: offline" "$WORK/router.log" || fail "the start does not say the root is offline"
enrol_device "$WORK/tv" tv
ok "restarted with the root offline (log: $(grep -o 'loaded the CA.*' "$WORK/router.log" | tail -n 1 | cut -c1-40)...), enrols tv"

# --- rotation -----------------------------------------------------------------------------------
if rca intermediate rotate >"$WORK/norot.out" 2>&1; then fail "rotated without a root key"; fi
grep -q "root key is offline" "$WORK/norot.out" || fail "unclear: $(cat "$WORK/norot.out")"
ok "rotate without --root-key while offline: $(cat "$WORK/norot.out")"
if rca intermediate rotate --root-key "$EXPORT" --passphrase-file "$WORK/wrong" >"$WORK/badpass.out" 2>&1; then
  fail "rotated with a wrong passphrase"
fi
grep -q "cannot decrypt" "$WORK/badpass.out" || fail "unclear: $(cat "$WORK/badpass.out")"
ok "rotate with a wrong passphrase: $(cat "$WORK/badpass.out")"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/stranger.key" 2>/dev/null
if rca intermediate rotate --root-key "$WORK/stranger.key" >"$WORK/stranger.out" 2>&1; then
  fail "rotated with a key that is not the root's"
fi
grep -q "not the key of this router's root" "$WORK/stranger.out" || fail "unclear: $(cat "$WORK/stranger.out")"
ok "rotate with another key: refused"

rca intermediate rotate --root-key "$EXPORT" --passphrase-file "$WORK/pass" >"$WORK/rotate.out" 2>&1 ||
  fail "rotate: $(cat "$WORK/rotate.out")"
NEW_ID=$(ls "$CA/intermediates" | grep -v key | sed 's/\.pem$//')
[ -n "$NEW_ID" ] && [ "$NEW_ID" != "$OLD_ID" ] || fail "no new intermediate in $CA/intermediates"
[ "$(stat -c %a "$CA/intermediates/$NEW_ID.key.pem")" = 600 ] || fail "the new key is not mode 600"
[ ! -e "$CA/root.key.pem" ] || fail "the rotation left the root key on the router"
ok "rotate --root-key: $(head -c 60 "$WORK/rotate.out")...; new key mode 600, root still offline"

curl -sf --cacert "$CA/root.pem" "$ROUTER_URL/ca/chain.pem" -o "$WORK/served.pem"
[ "$(grep -c 'BEGIN CERTIFICATE' "$WORK/served.pem")" = 3 ] || fail "chain.pem does not hold both intermediates and the root"
ok "GET /ca/chain.pem serves both intermediates and the root"

# The router's own HTTPS certificate moved to the new intermediate (seen on the wire).
sleep 0.5
openssl s_client -connect "127.0.0.1:$ROUTER_PORT" -servername router.home.arpa </dev/null 2>/dev/null |
  openssl x509 >"$WORK/router-cert.pem" || fail "no certificate from the router"
[ "$(issuer_id "$WORK/router-cert.pem")" = "$NEW_ID" ] || fail "the router's certificate is still from $(issuer_id "$WORK/router-cert.pem")"
ok "the router's TLS certificate now comes from the new intermediate"

# Leaves from before the rotation still verify; renewals and enrolments come from the new one.
for dev in nas cam tv; do
  [ "$(issuer_id "$WORK/$dev/cert.pem")" = "$OLD_ID" ] || fail "$dev was not from the old intermediate"
  openssl verify -CAfile "$CA/root.pem" -untrusted "$WORK/served.pem" "$WORK/$dev/cert.pem" >/dev/null ||
    fail "old leaf $dev does not verify against the served intermediates"
  verify_chain "$WORK/$dev/cert.pem" "$CA/root.pem" "$WORK/$dev/chain.pem" >/dev/null ||
    fail "old leaf $dev does not verify with its own chain"
done
ok "old leaves (nas, cam, tv) still verify: openssl verify against the root and the served intermediates"
cp "$WORK/nas/cert.pem" "$WORK/nas-old.pem"
"$DEVICE_ENROL" renew --out "$WORK/cam" --force >"$WORK/renew2.out" 2>&1 ||
  fail "renew after rotation: $(cat "$WORK/renew2.out")"
enrol_device "$WORK/printer" printer
for dev in cam printer; do
  [ "$(issuer_id "$WORK/$dev/cert.pem")" = "$NEW_ID" ] || fail "$dev is not from the new intermediate"
  openssl verify -CAfile "$CA/root.pem" -untrusted "$WORK/served.pem" "$WORK/$dev/cert.pem" >/dev/null ||
    fail "new leaf $dev does not verify"
  verify_chain "$WORK/$dev/cert.pem" "$CA/root.pem" "$WORK/$dev/chain.pem" >/dev/null ||
    fail "$dev's chain.pem does not verify"
  openssl x509 -in "$WORK/$dev/chain.pem" -noout >/dev/null
done
ok "after rotation: renewed cam and new printer come from the new intermediate; both verify with their chains"

# --- revocation of an old leaf reaches the CRL its distribution point names ---------------------
rca revoke nas >/dev/null || fail "revoke nas failed"
cdp=$(openssl x509 -in "$WORK/nas-old.pem" -noout -ext crlDistributionPoints | grep -o 'URI:.*' | cut -c5-)
[ "$cdp" = "https://router.home.arpa:$ROUTER_PORT/crl/$OLD_ID" ] || fail "unexpected CDP $cdp"
curl -sf --cacert "$CA/root.pem" --resolve "router.home.arpa:$ROUTER_PORT:127.0.0.1" "$cdp" -o "$WORK/old.crl" ||
  fail "GET $cdp failed"
openssl crl -inform DER -in "$WORK/old.crl" -noout -CAfile "$CA/intermediate.pem" -verify 2>&1 |
  grep -q "verify OK" || fail "the old leaf's CRL is not signed by the old intermediate"
openssl verify -crl_check -CRLfile "$WORK/old.crl" -CAfile "$CA/root.pem" -untrusted "$WORK/served.pem" \
  "$WORK/nas-old.pem" >"$WORK/crlcheck.out" 2>&1 && fail "openssl accepted the revoked old leaf"
grep -q "certificate revoked" "$WORK/crlcheck.out" || fail "unexpected: $(cat "$WORK/crlcheck.out")"
ok "revoked old leaf nas: its CDP $cdp serves a CRL signed by the old intermediate; openssl -crl_check: revoked"
curl -sf --cacert "$CA/root.pem" "$ROUTER_URL/crl" -o "$WORK/plain.crl"
cmp -s <(openssl crl -inform DER -in "$WORK/plain.crl" -noout -issuer) <(openssl crl -inform DER -in "$WORK/old.crl" -noout -issuer) ||
  fail "/crl is not the first intermediate's CRL"
ok "GET /crl (in leaves issued before per-issuer CDPs) is still the first intermediate's CRL"
new_cdp=$(openssl x509 -in "$WORK/printer/cert.pem" -noout -ext crlDistributionPoints | grep -o 'URI:.*' | cut -c5-)
curl -sf --cacert "$CA/root.pem" --resolve "router.home.arpa:$ROUTER_PORT:127.0.0.1" "$new_cdp" -o "$WORK/new.crl"
openssl crl -inform DER -in "$WORK/new.crl" -noout -CAfile "$CA/intermediates/$NEW_ID.pem" -verify 2>&1 |
  grep -q "verify OK" || fail "the new leaves' CRL is not signed by the new intermediate"
openssl verify -crl_check -CRLfile "$WORK/new.crl" -CAfile "$CA/root.pem" -untrusted "$WORK/served.pem" \
  "$WORK/printer/cert.pem" >/dev/null || fail "printer fails the CRL check"
ok "new leaves' CDP $new_cdp: CRL signed by the new intermediate, printer passes -crl_check"
code=$(api GET /crl/00ff)
[ "$code" = 404 ] || fail "an unknown CRL id gave $code"
ok "GET /crl/<unknown id>: 404"

# --- a restart keeps both --------------------------------------------------------------------------
stop_router
ROUTER_PORT_OVERRIDE=$ROUTER_PORT start_router router --pair-guard 0
enrol_device "$WORK/lamp" lamp
[ "$(issuer_id "$WORK/lamp/cert.pem")" = "$NEW_ID" ] || fail "after a restart lamp is not from the new intermediate"
curl -sf --cacert "$CA/root.pem" "$ROUTER_URL/ca/chain.pem" | grep -c 'BEGIN CERTIFICATE' | grep -qx 3 ||
  fail "after a restart chain.pem lost an intermediate"
"$DEVICE_ENROL" renew --out "$WORK/tv" --force >"$WORK/renew3.out" 2>&1 ||
  fail "an old leaf cannot renew after a restart: $(cat "$WORK/renew3.out")"
[ "$(issuer_id "$WORK/tv/cert.pem")" = "$NEW_ID" ] || fail "tv's renewal is not from the new intermediate"
ok "after a restart: new enrolments from the new intermediate, both served, old tv renews onto the new one"
if grep -q "PRIVATE KEY" "$WORK/router.log"; then fail "a private key reached the log"; fi
ok "no key material in the log"
finish

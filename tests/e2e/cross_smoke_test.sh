#!/usr/bin/env bash
# One pass over every wire format the project writes by hand, each judged by a host peer: the
# daemon's DER (certificates with their constraints and CRL distribution point) by openssl verify,
# its DNS wire format by kdig (PTR too), renewal over mutual TLS, and the CRL's DER with the
# revoked serial. scripts/cross-test.sh runs it with ROUTER_CA and DEVICE_ENROL cross-built and
# started under qemu-user (s390x is big-endian, armhf and mipsel have 32-bit size_t and time_t);
# CTest runs it natively.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dns_lib.sh"
start_router router --pair-guard 0
ok "router-ca serve answers on $ROUTER_URL"

# From 127.0.0.2: the router is at 127.0.0.1, its own address, which no device's certificate names.
enrol_device "$WORK/cam" camera --ipv4 127.0.0.2
ok "router-ca pair, then device-enrol pair: $(tail -n 1 "$WORK/device.log")"

verify_chain "$WORK/cam/cert.pem" "$ROUTER_DIR/ca/root.pem" "$WORK/cam/chain.pem" \
  >"$WORK/verify.out" 2>&1 || fail "openssl verify: $(cat "$WORK/verify.out")"
openssl x509 -in "$WORK/cam/cert.pem" -noout -ext subjectAltName | grep -q "DNS:camera.home.arpa" ||
  fail "no camera.home.arpa in the SAN"
ok "openssl verify accepts the device's chain against the root alone: $(cat "$WORK/verify.out")"

DNS_PORT=$ROUTER_DNS_PORT
dns_query a.out camera.home.arpa A
expect_dns "kdig camera.home.arpa A" a.out NOERROR 'IN[[:space:]]+A[[:space:]]+127\.0\.0\.2$'
dns_query ptr.out -x 127.0.0.2
expect_dns "kdig -x 127.0.0.2" ptr.out NOERROR 'PTR[[:space:]]+camera\.home\.arpa\.$'

old_serial=$(serial_of "$WORK/cam/cert.pem")
"$DEVICE_ENROL" renew --out "$WORK/cam" --force >"$WORK/renew.out" 2>&1 ||
  fail "device-enrol renew: $(cat "$WORK/renew.out")"
new_serial=$(serial_of "$WORK/cam/cert.pem")
[ "$new_serial" != "$old_serial" ] || fail "the serial did not change"
verify_chain "$WORK/cam/cert.pem" "$ROUTER_DIR/ca/root.pem" "$WORK/cam/chain.pem" >/dev/null ||
  fail "the renewed chain does not verify"
ok "device-enrol renew over mutual TLS: serial $old_serial -> $new_serial, chain verifies"

rca revoke camera >"$WORK/revoke.out" || fail "router-ca revoke: $(cat "$WORK/revoke.out")"
fetch_crl
crl_reason "$new_serial" >/dev/null || fail "serial $new_serial is not in the CRL: $(cat "$WORK/crl.txt")"
openssl crl -inform DER -in "$WORK/crl.der" -noout -CAfile "$ROUTER_DIR/ca/intermediate.pem" \
  -verify 2>&1 | grep -q "verify OK" || fail "the CRL's signature does not verify"
ok "router-ca revoke camera: serial $new_serial is in the CRL, signed by the intermediate"
finish

#!/usr/bin/env bash
# ACME with lego (docs/acme.md): with the pairing button pressed, lego registers and gets a
# certificate for nas.home.arpa over http-01; it chains to the root with openssl, nas is a device
# (source acme) in the home zone at the address lego connected from (names only from the router's
# own); lego renews (new serial) and revokes for keyCompromise (serial in the CRL with that reason;
# router-ca devices shows nas revoked for it).
source "$(dirname "$0")/acme_lib.sh"
start_acme_router router
LEGO="$WORK/lego"
CERTS="$LEGO/certificates"
# lego on 127.0.0.1, the router's own address: its certificate carries names only (issue 15,
# part 2), and the daemon's log says why.
rca pair >"$WORK/pair.out" || fail "router-ca pair: $(cat "$WORK/pair.out")"
lego_acme "$WORK/lego-on-router" "$WORK/on-router.out" -d printer.home.arpa run ||
  fail "lego run from 127.0.0.1: $(tail -n 5 "$WORK/on-router.out")"
openssl x509 -in "$WORK/lego-on-router/certificates/printer.home.arpa.crt" -noout -ext subjectAltName |
  grep -q "IP Address" && fail "a certificate for lego on the router's address names an address"
grep -q "warning: address.withheld printer: 127.0.0.1 is the router's own address" "$WORK/router.log" ||
  fail "the daemon's log does not say why: $(grep warning "$WORK/router.log")"
ok "lego from the router's own address 127.0.0.1: printer.home.arpa with names only, logged"
# From here lego reaches the router from 127.0.0.40, as a NAS on the LAN would.
acme_from 127.0.0.40

rca pair >"$WORK/pair.out" || fail "router-ca pair: $(cat "$WORK/pair.out")"
lego_acme "$LEGO" "$WORK/run.out" -d nas.home.arpa run || fail "lego run: $(tail -n 5 "$WORK/run.out")"
grep -q "Served key authentication" "$WORK/run.out" ||
  fail "the router never fetched lego's http-01 response: $(cat "$WORK/run.out")"
grep -q "Server responded with a certificate" "$WORK/run.out" ||
  fail "lego did not report a certificate: $(tail -n 5 "$WORK/run.out")"
ok "lego run with the window open: registered, http-01 fetched by the router, certificate issued"

check_issued "$CERTS/nas.home.arpa.crt" "$CERTS/nas.home.arpa.issuer.crt" nas.home.arpa
first_serial=$(serial_of "$CERTS/nas.home.arpa.crt")
ok "openssl verify accepts nas.home.arpa.crt under root.pem with lego's issuer.crt (serial $first_serial)"

check_acme_device nas
ok "router-ca devices lists nas, source acme"
openssl x509 -in "$CERTS/nas.home.arpa.crt" -noout -ext subjectAltName | grep -q "IP Address:127.0.0.40" ||
  fail "nas.home.arpa.crt does not name 127.0.0.40"
check_dns_a nas.home.arpa 127.0.0.40
ok "the certificate names 127.0.0.40, where lego connected from, and the router's DNS answers nas.home.arpa A 127.0.0.40"

# --days above the leaf lifetime forces the renewal; --no-random-sleep: lego otherwise sleeps up
# to 8 minutes when not on a terminal.
lego_acme "$LEGO" "$WORK/renew.out" -d nas.home.arpa renew --days 1000 --no-random-sleep ||
  fail "lego renew: $(tail -n 5 "$WORK/renew.out")"
grep -q "Server responded with a certificate" "$WORK/renew.out" ||
  fail "lego renew did not get a certificate: $(tail -n 5 "$WORK/renew.out")"
check_issued "$CERTS/nas.home.arpa.crt" "$CERTS/nas.home.arpa.issuer.crt" nas.home.arpa
renewed_serial=$(serial_of "$CERTS/nas.home.arpa.crt")
[ "$renewed_serial" != "$first_serial" ] || fail "lego renew kept serial $first_serial"
check_acme_device nas
ok "lego renew --days 1000: new serial $renewed_serial, verifies, still one device nas"

lego_acme "$LEGO" "$WORK/revoke.out" -d nas.home.arpa revoke --reason 1 ||
  fail "lego revoke: $(tail -n 5 "$WORK/revoke.out")"
grep -q "Certificate was revoked" "$WORK/revoke.out" ||
  fail "lego revoke did not report a revocation: $(tail -n 5 "$WORK/revoke.out")"
check_in_crl "$renewed_serial"
[ "$(crl_reason "$renewed_serial")" = "Key Compromise" ] ||
  fail "the CRL entry of $renewed_serial says '$(crl_reason "$renewed_serial")', not Key Compromise"
ok "lego revoke --reason 1: serial $renewed_serial is in the CRL, reason Key Compromise"
check_revoked_device nas keyCompromise
ok "router-ca devices shows nas revoked (keyCompromise), not its revoked certificate as current"
finish

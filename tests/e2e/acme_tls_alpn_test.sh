#!/usr/bin/env bash
# ACME tls-alpn-01 (RFC 8737, docs/acme.md) with lego: the router handshakes with lego's
# acme-tls/1 responder on --acme-tls-port and issues; with nobody answering there, the challenge
# is invalid with a "connection" problem that names the address, and nothing is issued.
source "$(dirname "$0")/acme_lib.sh"
start_acme_router router
LEGO="$WORK/lego"
CERTS="$LEGO/certificates"
export LEGO_CHALLENGE=tls

rca pair >"$WORK/pair.out" || fail "router-ca pair: $(cat "$WORK/pair.out")"
lego_acme "$LEGO" "$WORK/run.out" -d cam.home.arpa run || fail "lego run: $(tail -n 5 "$WORK/run.out")"
grep -q "Trying to solve TLS-ALPN-01" "$WORK/run.out" ||
  fail "lego did not solve tls-alpn-01: $(cat "$WORK/run.out")"
grep -q "Server responded with a certificate" "$WORK/run.out" ||
  fail "lego did not report a certificate: $(tail -n 5 "$WORK/run.out")"
check_issued "$CERTS/cam.home.arpa.crt" "$CERTS/cam.home.arpa.issuer.crt" cam.home.arpa
check_acme_device cam
ok "lego over tls-alpn-01: the router validated the acme-tls/1 handshake and issued cam.home.arpa"

# The same account asks for another name, but answers on a port where nothing listens: the router
# cannot connect, and says so. A pairing-approved account holds one name, so the admin lets it have
# more first (docs/acme.md).
rca acme approve "$(lego_account_id "$LEGO")" >"$WORK/approve.out" 2>&1 ||
  fail "router-ca acme approve: $(cat "$WORK/approve.out")"
ACME_TLS_PORT=$(free_port)
lego_refused "$LEGO" "$WORK/refused.out" "cannot connect to tv.home.arpa at 127.0.0.1" -d tv.home.arpa run
rca devices --json >"$WORK/devices.json" || fail "router-ca devices failed"
! grep -q '"tv"' "$WORK/devices.json" || fail "tv was issued: $(cat "$WORK/devices.json")"
ok "nobody on the tls-alpn-01 port: invalid with the connection detail, nothing issued"
finish

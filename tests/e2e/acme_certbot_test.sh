#!/usr/bin/env bash
# ACME with certbot (docs/acme.md): with the pairing button pressed, certbot --standalone registers
# and gets a certificate for nas.home.arpa over http-01; it chains to the root with openssl, nas is
# a device (source acme) in the home zone; certbot renews (new serial) and revokes for superseded
# (serial in the CRL with that reason; router-ca devices shows nas revoked for it).
source "$(dirname "$0")/acme_lib.sh"
start_acme_router router
# certbot reaches the router from 127.0.0.41, as a NAS on the LAN would (127.0.0.1 is the router's).
acme_from 127.0.0.41
LIVE="$WORK/certbot/config/live/nas.home.arpa"

# certbot_acme OUT ARGS...: certbot trusting the home root, all its state under $WORK/certbot.
certbot_acme() {
  local out=$1; shift
  REQUESTS_CA_BUNDLE="$ROUTER_DIR/ca/root.pem" timeout 60 certbot "$@" \
    --config-dir "$WORK/certbot/config" --work-dir "$WORK/certbot/work" \
    --logs-dir "$WORK/certbot/logs" --non-interactive >"$out" 2>&1
}

rca pair >"$WORK/pair.out" || fail "router-ca pair: $(cat "$WORK/pair.out")"
certbot_acme "$WORK/certonly.out" certonly --standalone --server "$ACME_DIRECTORY" \
  --http-01-port "$ACME_HTTP_PORT" --http-01-address "$ACME_CLIENT_ADDRESS" --agree-tos \
  --register-unsafely-without-email -d nas.home.arpa ||
  fail "certbot certonly: $(cat "$WORK/certonly.out")"
grep -q "Successfully received certificate" "$WORK/certonly.out" ||
  fail "certbot did not report a certificate: $(cat "$WORK/certonly.out")"
ok "certbot certonly --standalone with the window open: account registered, certificate received"

check_issued "$LIVE/cert.pem" "$LIVE/chain.pem" nas.home.arpa
first_serial=$(serial_of "$LIVE/cert.pem")
ok "openssl verify accepts live/nas.home.arpa/cert.pem under root.pem with chain.pem (serial $first_serial)"

check_acme_device nas
ok "router-ca devices lists nas, source acme"
check_dns_a nas.home.arpa 127.0.0.41
ok "the router's DNS answers nas.home.arpa A 127.0.0.41, where certbot connected from"

# renew reads the server, port and address back from certbot's renewal configuration.
certbot_acme "$WORK/renew.out" renew --force-renewal --no-random-sleep-on-renew ||
  fail "certbot renew: $(cat "$WORK/renew.out")"
grep -q "all renewals succeeded" "$WORK/renew.out" || fail "certbot renew said: $(cat "$WORK/renew.out")"
check_issued "$LIVE/cert.pem" "$LIVE/chain.pem" nas.home.arpa
renewed_serial=$(serial_of "$LIVE/cert.pem")
[ "$renewed_serial" != "$first_serial" ] || fail "certbot renew kept serial $first_serial"
check_acme_device nas
ok "certbot renew --force-renewal: new serial $renewed_serial, verifies, still one device nas"

certbot_acme "$WORK/revoke.out" revoke --server "$ACME_DIRECTORY" --cert-path "$LIVE/cert.pem" \
  --reason superseded --no-delete-after-revoke || fail "certbot revoke: $(cat "$WORK/revoke.out")"
grep -q "successfully revoked" "$WORK/revoke.out" || fail "certbot revoke said: $(cat "$WORK/revoke.out")"
check_in_crl "$renewed_serial"
[ "$(crl_reason "$renewed_serial")" = Superseded ] ||
  fail "the CRL entry of $renewed_serial says '$(crl_reason "$renewed_serial")', not Superseded"
ok "certbot revoke --reason superseded: serial $renewed_serial is in the CRL, reason Superseded"
check_revoked_device nas superseded
ok "router-ca devices shows nas revoked (superseded), not its revoked certificate as current"
finish

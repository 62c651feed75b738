#!/usr/bin/env bash
# The real daemon's DNS follows its devices: an enrolled device resolves at once, an address update
# (mutual TLS) is visible in the next query, a revoked device is gone, and nothing outside the
# zone is answered.
source "$(dirname "$0")/lib.sh"
command -v kdig >/dev/null || fail "kdig is not installed (scripts/setup.sh installs knot-dnsutils)"
start_router router --pair-guard 0 --router-address 192.168.1.1
q() { kdig @127.0.0.1 -p "$ROUTER_DNS_PORT" +timeout=2 +retry=0 "$@"; }
short() { q "$@" +short | tr '\n' ' ' | sed 's/ $//'; }
status_of() { q "$@" | sed -n 's/.*status: \([A-Z]*\).*/\1/p'; }

[ "$(short router.home.arpa)" = "192.168.1.1" ] || fail "router.home.arpa: $(short router.home.arpa)"
ok "router.home.arpa A 192.168.1.1 (--router-address)"

# The device connects from 127.0.0.20 (the router is at 127.0.0.1): that is its address.
enrol_device "$WORK/cam" camera --ipv4 127.0.0.20
[ "$(short camera.home.arpa)" = "127.0.0.20" ] || fail "camera.home.arpa: $(short camera.home.arpa)"
ok "an enrolled device resolves at once: camera.home.arpa A 127.0.0.20"
[ "$(short +tcp camera.home.arpa)" = "127.0.0.20" ] || fail "TCP answer differs"
ok "same answer over TCP"
[ "$(short -x 127.0.0.20)" = "camera.home.arpa." ] || fail "PTR: $(short -x 127.0.0.20)"
ok "PTR 127.0.0.20 -> camera.home.arpa"

# Address update over mutual TLS with the device's certificate, from its new address.
code=$(api PUT /api/v1/address --interface 127.0.0.21 --cert "$WORK/cam/cert.pem" \
  --key "$WORK/cam/key.pem" -H 'Content-Type: application/json' --data '')
[ "$code" = 204 ] || fail "address update: HTTP $code $(cat "$WORK/body")"
[ "$(short camera.home.arpa)" = "127.0.0.21" ] || fail "after update: $(short camera.home.arpa)"
ok "PUT /api/v1/address (mTLS) from 127.0.0.21 -> 204; the next query answers 127.0.0.21"
code=$(api PUT /api/v1/address --interface 127.0.0.21 --cert "$WORK/cam/cert.pem" \
  --key "$WORK/cam/key.pem" --data '{"ipv4": "8.8.8.8"}')
[ "$code" = 400 ] || fail "a stated public address accepted: HTTP $code"
code=$(api PUT /api/v1/address --interface 127.0.0.22 --data '')
[ "$code" = 401 ] || fail "address update without a client certificate: HTTP $code"
[ "$(short camera.home.arpa)" = "127.0.0.21" ] || fail "a refused update changed the zone"
ok "a stated address other than the source -> 400, no client certificate -> 401, zone unchanged"

[ "$(status_of example.com)" = REFUSED ] || fail "example.com: $(status_of example.com)"
[ "$(status_of -x 8.8.8.8)" = REFUSED ] || fail "8.8.8.8 PTR: $(status_of -x 8.8.8.8)"
ok "outside the zone: REFUSED (never a resolver)"
[ "$(status_of nothing.home.arpa)" = NXDOMAIN ] || fail "unknown name: $(status_of nothing.home.arpa)"
ok "unknown home name: NXDOMAIN"

rca revoke camera >/dev/null
[ "$(status_of camera.home.arpa)" = NXDOMAIN ] || fail "revoked device still answers: $(short camera.home.arpa)"
ok "revoked device gone from the zone at once (NXDOMAIN)"
code=$(api PUT /api/v1/address --interface 127.0.0.23 --cert "$WORK/cam/cert.pem" \
  --key "$WORK/cam/key.pem" --data '')
[ "$code" = 403 ] || fail "revoked device updated its address: HTTP $code"
ok "revoked device cannot update its address (403)"

rca status | grep -q "DNS: *127.0.0.1:$ROUTER_DNS_PORT" || fail "status does not show DNS: $(rca status)"
ok "router-ca status shows the DNS endpoint"
finish

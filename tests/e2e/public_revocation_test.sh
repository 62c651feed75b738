#!/usr/bin/env bash
# Revoking a device also revokes its public certificate and removes its public name at HQ (issue
# 15, part 6; docs/hq.md "Withdrawing a name"), end to end with the real Pebble, hq, kdig and
# device-enrol: after `router-ca revoke cam --reason keyCompromise`, cam.<home>.<ZONE> is NXDOMAIN
# at HQ and Pebble's management port says cam's public certificate is Revoked with reason 1,
# while another device's name and certificate stay; a device revoked while HQ is down, with the
# router restarted before HQ is back, is withdrawn once HQ answers, for its own reason. About 60 s.
source "$(dirname "$0")/hq_router_lib.sh"

start_registered_router
# pair_public NAME ADDRESS: device-enrol pairs NAME at ADDRESS and installs its public certificate.
pair_public() {
  rca pair >/dev/null
  "$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$WORK/$1" --name "$1" --ipv4 "$2" \
    --ca-fingerprint "$(root_fingerprint)" --timeout 30 --public-wait 120 >"$WORK/$1-pair.log" 2>&1 ||
    fail "device-enrol pair $1: $(cat "$WORK/$1-pair.log")"
  [ -s "$WORK/$1/public-cert.pem" ] || fail "$1 got no public certificate: $(cat "$WORK/$1-pair.log")"
}
pair_public cam 192.168.1.20
pair_public nas 192.168.1.22
for d in cam:192.168.1.20 nas:192.168.1.22; do
  [ "$(hq_short "${d%%:*}.$HOME_ZONE")" = "${d#*:}" ] || fail "HQ: ${d%%:*}.$HOME_ZONE: $(hq_short "${d%%:*}.$HOME_ZONE")"
  [ "$(pebble_status "$WORK/${d%%:*}/public-cert.pem")" = "Valid -" ] || fail "Pebble: $(cat "$WORK/pebble-status.json")"
done
ok "cam and nas paired with public certificates: their names answer at HQ, their certificates Valid at Pebble"

rca revoke cam --reason keyCompromise >/dev/null || fail "router-ca revoke cam failed"
cam_gone() { [ "$(kdig @127.0.0.1 -p "$HQ_DNS_PORT" +timeout=2 +retry=0 "cam.$HOME_ZONE" A | sed -n 's/.*status: \([A-Z]*\).*/\1/p')" = NXDOMAIN ]; }
wait_for 30 "cam.$HOME_ZONE still answers at HQ" cam_gone
cam_revoked() { [ "$(pebble_status "$WORK/cam/public-cert.pem")" = "Revoked 1" ]; }
wait_for 90 "Pebble does not say cam's public certificate is revoked for keyCompromise ($(cat "$WORK/pebble-status.json"))" cam_revoked
grep -q "withdrew cam at HQ (revoked, reason keyCompromise)" "$WORK/router.log" || fail "the router did not log the withdrawal"
ok "router-ca revoke cam --reason keyCompromise: cam.$HOME_ZONE NXDOMAIN at HQ; Pebble: cam's public certificate Revoked, reason 1"
[ "$(hq_short "nas.$HOME_ZONE")" = 192.168.1.22 ] && [ "$(pebble_status "$WORK/nas/public-cert.pem")" = "Valid -" ] ||
  fail "nas was touched: $(hq_short "nas.$HOME_ZONE") $(cat "$WORK/pebble-status.json")"
fetch_crl
[ "$(crl_reason "$(serial_of "$WORK/cam/cert.pem")")" = "Key Compromise" ] || fail "the router's CRL: $(cat "$WORK/crl.txt")"
ok "nas still answers at HQ and its certificate is Valid; the router's own CRL lists cam for Key Compromise"

# HQ down: the revocation waits in the router's database, through a restart of the router.
kill "$HQ_PID"
wait "$HQ_PID" 2>/dev/null || true
rca revoke nas --reason cessationOfOperation >/dev/null || fail "router-ca revoke nas failed"
stop_router
start_hq hq
[ "$(hq_short "nas.$HOME_ZONE")" = 192.168.1.22 ] || fail "nas.$HOME_ZONE went before the router could tell HQ"
hq_link_args
start_router router --pair-guard 0 --router-address 192.168.1.1 "${HQ_LINK_ARGS[@]}"
nas_revoked() { [ "$(pebble_status "$WORK/nas/public-cert.pem")" = "Revoked 5" ]; }
wait_for 90 "Pebble does not say nas's public certificate is revoked for cessationOfOperation ($(cat "$WORK/pebble-status.json"))" nas_revoked
[ "$(kdig @127.0.0.1 -p "$HQ_DNS_PORT" +timeout=2 +retry=0 "nas.$HOME_ZONE" A | sed -n 's/.*status: \([A-Z]*\).*/\1/p')" = NXDOMAIN ] ||
  fail "nas.$HOME_ZONE still answers at HQ"
[ "$(grep -c "withdrew cam at HQ" "$WORK/router.log")" = 1 ] || fail "cam was withdrawn again: $(grep withdrew "$WORK/router.log")"
ok "nas revoked with HQ down and the router restarted: withdrawn once HQ is back (NXDOMAIN; Pebble: Revoked, reason 5); cam not again"
finish

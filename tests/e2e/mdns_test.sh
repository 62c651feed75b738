#!/usr/bin/env bash
# mDNS end to end (issue 3, mDNS through Avahi): the real daemon in one network namespace and a
# device in another, each with its own D-Bus and avahi-daemon, joined by a veth pair
# (mdns_lib.sh), so every answer really crosses a link as multicast DNS (RFC 6762).
#
# Checks: router-ca advertises _router-ca._tcp with TXT fp=<root SHA-256> (avahi-browse from the
# device's side) and the web UI as _https._tcp; `device-enrol pair` with no --router finds it
# there and enrols; <name>.local then resolves to the device's address and follows its address
# updates (`device-enrol address`, and `device-enrol run` when the device's address changes) and
# its revocation; restarting avahi-daemon brings the records back; a rogue
# announcement whose fp= differs from the root actually served is refused (exit 4).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/mdns_lib.sh"

"$ROUTER_CA" serve --help 2>&1 | grep -q -- "--mdns" ||
  fail "router-ca serve has no --mdns option: the daemon does not publish over mDNS yet"

mdns_require
mdns_lan
start_bus router
start_bus device
start_avahi router
start_avahi device
ok "two namespaces joined by a veth pair ($MDNS_SUBNET), each with its own D-Bus and avahi-daemon"

ROUTER_DIR="$WORK/router"
ROUTER_PORT=8443  # the namespace is ours alone
ROUTER_URL="https://$MDNS_ROUTER_IP:$ROUTER_PORT"

# start_router_ns [serve options...]: router-ca serve in the router namespace; sets ROUTER_PID.
start_router_ns() {
  spawn_in_ns router "$WORK/router.log" "$ROUTER_CA" serve --data-dir "$ROUTER_DIR" \
    --listen "$MDNS_ROUTER_IP:$ROUTER_PORT" --lan-subnet "$MDNS_SUBNET" --dns-listen none "$@"
  ROUTER_PID=$SPAWNED
  local _
  for _ in $(seq 1 100); do
    if [ -f "$ROUTER_DIR/ca/root.pem" ] &&
       in_ns router curl -sf --cacert "$ROUTER_DIR/ca/root.pem" "$ROUTER_URL/healthz" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$ROUTER_PID" 2>/dev/null || fail "router-ca exited at start: $(tail -n 5 "$WORK/router.log")"
    sleep 0.1
  done
  fail "router-ca did not answer on $ROUTER_URL within 10 s"
}
stop_router_ns() {
  kill -TERM "$ROUTER_PID"
  wait "$ROUTER_PID" || fail "router-ca did not exit cleanly on SIGTERM"
}

start_router_ns --mdns on
if grep -q "built without Avahi" "$WORK/router.log"; then
  fail "NOT TESTED: this router-ca was built with ROUTER_CA_AVAHI=OFF, so it cannot publish over mDNS"
fi
FP=$(root_fingerprint)
ok "router-ca serves $ROUTER_URL in the router namespace (root $FP)"

# 1. The advertisement, as the device's avahi-daemon receives it.
wait_for 20 "_router-ca._tcp with the root fingerprint, seen from the device" \
  browse_has device _router-ca._tcp "_router-ca._tcp;local;rca-router.local;$MDNS_ROUTER_IP;$ROUTER_PORT;" \
  "\"fp=$FP\"" '"domain=home.arpa"' '"path=/api/v1"'
ok "avahi-browse -rpt _router-ca._tcp (device side): $MDNS_ROUTER_IP:$ROUTER_PORT, TXT fp=$FP domain=home.arpa path=/api/v1"
wait_for 10 "_https._tcp seen from the device" browse_has device _https._tcp "$MDNS_ROUTER_IP;$ROUTER_PORT;" '"path=/"'
ok "the web UI is advertised as _https._tcp on port $ROUTER_PORT"

# 2. Pairing with no --router: found over mDNS, the served root checked against the announced one.
DEV="$WORK/camera"
rca pair >/dev/null
in_ns device "$DEVICE_ENROL" pair --out "$DEV" --name camera --timeout 30 >"$WORK/pair.log" 2>&1 ||
  fail "device-enrol pair without --router: $(cat "$WORK/pair.log")"
grep -q "found .* at $ROUTER_URL announcing root fingerprint $FP" "$WORK/pair.log" ||
  fail "pair did not say where it found the router: $(cat "$WORK/pair.log")"
grep -q "matches the fingerprint it announced over mDNS" "$WORK/pair.log" ||
  fail "pair did not check the served root against the announced one: $(cat "$WORK/pair.log")"
[ "$(json_get "$DEV/state.json" router)" = "$ROUTER_URL" ] || fail "state.json: $(cat "$DEV/state.json")"
ok "device-enrol pair with no --router (device namespace) found $ROUTER_URL over mDNS, checked fp=, enrolled"

set +e
in_ns device "$DEVICE_ENROL" pair --out "$WORK/wrongfp" --ca-fingerprint "$(printf '0%.0s' $(seq 1 64))" \
  --timeout 5 >"$WORK/wrongfp.log" 2>&1
code=$?
set -e
[ $code = 4 ] || fail "a --ca-fingerprint other than the announced one gave exit $code: $(cat "$WORK/wrongfp.log")"
ok "a --ca-fingerprint other than the announced fp= is refused before contact (exit 4)"

# 3. <name>.local follows the device: its enrolment address, an address update, a revocation.
wait_for 20 "camera.local from the device side" resolves device camera.local "$MDNS_DEVICE_IP"
wait_for 10 "camera.local from the router side" resolves router camera.local "$MDNS_DEVICE_IP"
ok "avahi-resolve -n camera.local -> $MDNS_DEVICE_IP (the address it enrolled from), on both sides"
rca status --json >"$WORK/status.json"
python3 - "$WORK/status.json" <<'PY' || fail "router-ca status --json: $(cat "$WORK/status.json")"
import json, sys
m = json.load(open(sys.argv[1]))["mdns"]
assert m["enabled"] and m["daemon_running"] and not m["collisions"], m
PY
ok "router-ca status --json: mDNS enabled, avahi-daemon running, no collisions"

# A second address on the device's side: `address --ipv4` connects from it, and the router takes
# the address from the connection.
ip -n "$NS_DEVICE" addr add 192.168.77.50/24 dev "$IF_DEVICE"
in_ns device "$DEVICE_ENROL" address --out "$DEV" --ipv4 192.168.77.50 >"$WORK/address.log" 2>&1 ||
  fail "device-enrol address: $(cat "$WORK/address.log")"
wait_for 20 "camera.local moved to 192.168.77.50" resolves router camera.local 192.168.77.50
ip -n "$NS_DEVICE" addr del 192.168.77.50/24 dev "$IF_DEVICE"
ok "after device-enrol address --ipv4 192.168.77.50 (connecting from it), camera.local resolves to it"

# `device-enrol run` reports the address it really reaches the router from at once (the router
# has .50 from above), then notices when the device's LAN address changes (it looks every 30 s).
spawn_in_ns device "$WORK/run.log" "$DEVICE_ENROL" run --out "$DEV"
RUN_PID=$SPAWNED
wait_for 20 "run reports the address it reaches the router from" resolves router camera.local "$MDNS_DEVICE_IP"
ok "device-enrol run reported $MDNS_DEVICE_IP at start: $(grep -m1 "LAN address is now" "$WORK/run.log")"
# Delete first, then add: deleting a primary address also deletes its secondaries.
ip -n "$NS_DEVICE" addr del "$MDNS_DEVICE_IP/24" dev "$IF_DEVICE"
ip -n "$NS_DEVICE" addr add 192.168.77.60/24 dev "$IF_DEVICE"
wait_for 60 "run notices the new address" resolves router camera.local 192.168.77.60
grep -q "LAN address is now 192.168.77.60 (was $MDNS_DEVICE_IP)" "$WORK/run.log" || fail "run.log: $(cat "$WORK/run.log")"
[ "$(json_get "$DEV/state.json" reported_ipv4)" = 192.168.77.60 ] || fail "state.json: $(cat "$DEV/state.json")"
kill -TERM "$RUN_PID"
wait "$RUN_PID" || fail "device-enrol run did not stop cleanly: $(tail -n 3 "$WORK/run.log")"
ok "the device moved to 192.168.77.60: device-enrol run told the router and camera.local follows"

# 4. avahi-daemon restarts: router-ca publishes again. The new daemon starts with an empty
# cache, so what it answers was published anew.
stop_avahi router
start_avahi router
wait_for 30 "_router-ca._tcp back after an avahi-daemon restart" browse_has router _router-ca._tcp "\"fp=$FP\""
wait_for 10 "camera.local back after an avahi-daemon restart" resolves router camera.local 192.168.77.60
wait_for 10 "seen again from the device side" browse_has device _router-ca._tcp "\"fp=$FP\""
grep -q "avahi-daemon" "$WORK/router.log" || fail "router-ca logged nothing about avahi-daemon"
ok "after an avahi-daemon restart the service and camera.local are back ($(grep -m1 -o 'mDNS: lost[^;]*\|mDNS: avahi-daemon went away' "$WORK/router.log" || true))"

rca revoke camera >/dev/null
wait_for 20 "camera.local withdrawn after revocation" bash -c "! DBUS_SYSTEM_BUS_ADDRESS=$(bus_address router) ip netns exec $NS_ROUTER avahi-resolve -4 -n camera.local 2>/dev/null | grep -q 192.168.77.60"
ok "after router-ca revoke, camera.local is no longer published"

# 5. A rogue announcement: someone on the LAN announces _router-ca._tcp pointing at the real
# router but with another fingerprint. router-ca itself stays quiet (--mdns off) so the rogue is
# the only answer; the device must refuse the root the router really serves.
stop_router_ns
start_router_ns --mdns off
wait_for 20 "router-ca's own announcement gone" bash -c "! DBUS_SYSTEM_BUS_ADDRESS=$(bus_address device) ip netns exec $NS_DEVICE avahi-browse -rpt _router-ca._tcp 2>/dev/null | grep -q '^='"
ROGUE_FP=$(printf 'f%.0s' $(seq 1 64))
spawn_in_ns device "$WORK/rogue.log" avahi-publish -s -H rca-router.local "Rogue Router" \
  _router-ca._tcp "$ROUTER_PORT" "fp=$ROGUE_FP" "domain=home.arpa" "path=/api/v1"
wait_for 10 "the rogue announcement is up" grep -q "Established" "$WORK/rogue.log"
rca pair >/dev/null
set +e
in_ns device "$DEVICE_ENROL" pair --out "$WORK/victim" --timeout 10 >"$WORK/victim.log" 2>&1
code=$?
set -e
[ $code = 4 ] || fail "a root other than the announced one gave exit $code: $(cat "$WORK/victim.log")"
grep -q "announced $ROGUE_FP over mDNS; refusing" "$WORK/victim.log" || fail "unclear refusal: $(cat "$WORK/victim.log")"
[ ! -e "$WORK/victim/key.pem" ] || fail "the refused pairing left a key behind"
ok "an announcement whose fp= is not the root actually served is refused (exit 4): $(tail -n 1 "$WORK/victim.log")"
finish

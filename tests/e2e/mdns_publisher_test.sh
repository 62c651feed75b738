#!/usr/bin/env bash
# The Avahi publisher alone (router-ca/mdns) against real avahi-daemons in two network namespaces
# (mdns_lib.sh): it starts before avahi-daemon and publishes when it appears, survives an
# avahi-daemon restart and a D-Bus restart, applies host-set changes, and reports name conflicts
# (RFC 6762 section 9) instead of ignoring them. The whole daemon is tested by mdns_test.sh.
# Environment (set by CTest): MDNS_PUBLISH_TOOL, tests/router-ca/mdns/mdns_publish_tool.
source "$(dirname "$0")/mdns_lib.sh"
: "${MDNS_PUBLISH_TOOL:?set MDNS_PUBLISH_TOOL to the mdns_publish_tool binary}"
command -v python3 >/dev/null || fail "python3 is not installed"

mdns_require
mdns_lan
start_bus router
start_bus device
start_avahi device
ok "two namespaces joined by a veth pair, each with its own D-Bus; avahi-daemon runs on the device side"

FP=$(printf '%s' "router-ca mdns test" | sha256sum | cut -d' ' -f1)
printf 'camera %s\nnas 192.168.77.30\n' "$MDNS_DEVICE_IP" >"$WORK/hosts"

# status_field FILE EXPR: a Python expression over the status JSON `s`.
status_is() {
  python3 - "$1" "$2" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(1)
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

# start_tool NAME [tool options...]: the publisher in the router namespace.
start_tool() {
  local name=$1; shift
  spawn_in_ns router "$WORK/$name.log" "$MDNS_PUBLISH_TOOL" --status-file "$WORK/$name.json" \
    --port 8443 --fp "$FP" --domain home.arpa "$@"
  eval "TOOL_PID_$name=$SPAWNED"
}

# 1. avahi-daemon is not running yet: the publisher starts anyway and says so once.
start_tool pub --name "Test Router" --hosts-file "$WORK/hosts"
wait_for 10 "status says avahi-daemon is not running" \
  status_is "$WORK/pub.json" 's["enabled"] and not s["daemon_running"] and "not running" in s["detail"]'
sleep 2
[ "$(grep -c "avahi-daemon is not running" "$WORK/pub.log")" = 1 ] ||
  fail "expected one 'not running' line: $(cat "$WORK/pub.log")"
ok "without avahi-daemon the publisher runs and says so once: $(grep "not running" "$WORK/pub.log")"

start_avahi router
wait_for 20 "_router-ca._tcp with fp= seen from the device" \
  browse_has device _router-ca._tcp 'Test\032Router;_router-ca._tcp;local;rca-router.local;' \
  ";$MDNS_ROUTER_IP;8443;\"fp=$FP\" \"domain=home.arpa\" \"path=/api/v1\""
ok "once avahi-daemon appears, the device sees _router-ca._tcp at $MDNS_ROUTER_IP:8443 with TXT fp=$FP domain=home.arpa path=/api/v1"
wait_for 10 "_https._tcp seen from the device" browse_has device _https._tcp 'Test\032Router;' \
  ";$MDNS_ROUTER_IP;8443;\"path=/\""
ok "the web UI is advertised as _https._tcp on the same port"
wait_for 10 "camera.local from the device" resolves device camera.local "$MDNS_DEVICE_IP"
wait_for 10 "nas.local from the device" resolves device nas.local 192.168.77.30
ok "camera.local -> $MDNS_DEVICE_IP and nas.local -> 192.168.77.30 resolve from the other namespace"
wait_for 5 "status running" status_is "$WORK/pub.json" 's["daemon_running"] and "2 of 2 .local names" in s["detail"] and not s["collisions"]'
ok "status: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["detail"])' "$WORK/pub.json")"

# 2. avahi-daemon restarts: the records come back. The new daemon starts empty, so what it
# knows must have been published again (checked in the router's own namespace, whose cache
# cannot hold an old answer).
stop_avahi router
wait_for 10 "status notices avahi-daemon went away" status_is "$WORK/pub.json" 'not s["daemon_running"]'
start_avahi router
wait_for 20 "_router-ca._tcp back after the restart" browse_has router _router-ca._tcp "fp=$FP"
wait_for 10 "camera.local back after the restart" resolves router camera.local "$MDNS_DEVICE_IP"
wait_for 10 "device side sees it again" browse_has device _router-ca._tcp "fp=$FP"
ok "after an avahi-daemon restart the service and the host names are published again"

# 3. The host set changes: nas goes, camera moves, and a name avahi-daemon on the device side
# already holds (its own host name) is asked for: a conflict, reported, never ignored.
printf 'camera 192.168.77.21\nrca-device 192.168.77.99\n' >"$WORK/hosts"
kill -HUP "$TOOL_PID_pub"
wait_for 20 "the conflict for rca-device.local is reported" \
  status_is "$WORK/pub.json" 'any("rca-device.local is already in use" in c for c in s["collisions"])'
grep -q "rca-device.local is already in use" "$WORK/pub.log" || fail "conflict not logged: $(cat "$WORK/pub.log")"
ok "a name another host holds is reported in the log and status: $(grep -m1 "rca-device.local" "$WORK/pub.log")"
resolves device rca-device.local "$MDNS_DEVICE_IP" || fail "the device lost its own name to the publisher"
ok "rca-device.local still resolves to the device's own address"
wait_for 10 "camera.local moved" resolves router camera.local 192.168.77.21
# Avahi removes the moved and the withdrawn records one after the other; on a loaded machine the
# second can trail the first by a moment, so the withdrawal gets the same bounded wait.
wait_for 10 "nas.local withdrawn" not resolves router nas.local 192.168.77.30
ok "camera.local moved to 192.168.77.21 and nas.local was withdrawn"

# 4. A service instance name already taken on the LAN: the publisher takes Avahi's alternative
# name (RFC 6763 section 9) and says so.
spawn_in_ns device "$WORK/taken.log" avahi-publish -s "Taken Name" _router-ca._tcp 9999 "fp=00"
wait_for 10 "the competing service is established" grep -q "Established" "$WORK/taken.log"
start_tool second --name "Taken Name"
wait_for 20 "the rename is reported" \
  status_is "$WORK/second.json" 'any("\"Taken Name\" is already in use" in c for c in s["collisions"])'
wait_for 20 "the renamed service is visible" browse_has device _router-ca._tcp \
  'Taken\032Name\032\0352;_router-ca._tcp' "fp=$FP"
ok "a taken service name is renamed and reported: $(grep -m1 "collided" "$WORK/second.log")"

# 5. The system D-Bus restarts: the publisher finds it again and publishes once more.
lines_before=$(wc -l <"$WORK/pub.log")
since_restart() { tail -n "+$((lines_before + 1))" "$WORK/pub.log"; }
stop_avahi router
stop_bus router
wait_for 15 "the lost bus is logged" bash -c "tail -n +$((lines_before + 1)) '$WORK/pub.log' | grep -q 'cannot connect to avahi-daemon'"
start_bus router
start_avahi router
wait_for 30 "records back after the D-Bus restart" browse_has router _router-ca._tcp 'Test\032Router;' "fp=$FP"
wait_for 10 "camera.local back after the D-Bus restart" resolves router camera.local 192.168.77.21
[ "$(since_restart | grep -c "cannot connect to avahi-daemon")" = 1 ] ||
  fail "the D-Bus outage was not said exactly once: $(since_restart)"
ok "after a D-Bus restart the publisher reconnects (said once: $(since_restart | grep -m1 "cannot connect")) and publishes again"
finish

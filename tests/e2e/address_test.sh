#!/usr/bin/env bash
# Address updates end to end (issue 3, Keeping addresses current): `device-enrol address` tells the
# real daemon the device's LAN address over mutual TLS with its certificate; the router records it
# (router-ca devices), refuses an address outside the LAN subnets with a clear message, and
# refuses a revoked device.
source "$(dirname "$0")/lib.sh"
start_router router
DEV="$WORK/camera"
enrol_device "$DEV" camera
ok "camera enrolled"

# device_ipv4 NAME: the address `router-ca devices --json` shows for NAME.
device_ipv4() {
  rca devices --json >"$WORK/devices.json"
  python3 - "$WORK/devices.json" "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
devices = doc["devices"] if isinstance(doc, dict) else doc
for d in devices:
    if d.get("name") == sys.argv[2]:
        print(d.get("ipv4") or "")
PY
}

"$DEVICE_ENROL" address --out "$DEV" --ipv4 192.168.1.77 >"$WORK/address.out" 2>&1 ||
  fail "device-enrol address --ipv4 192.168.1.77: $(cat "$WORK/address.out")"
grep -q "192.168.1.77" "$WORK/address.out" || fail "no confirmation: $(cat "$WORK/address.out")"
ok "device-enrol address --ipv4 192.168.1.77: $(cat "$WORK/address.out")"
[ "$(device_ipv4 camera)" = 192.168.1.77 ] ||
  fail "router-ca devices shows $(device_ipv4 camera), not 192.168.1.77: $(cat "$WORK/devices.json")"
ok "router-ca devices --json shows camera at 192.168.1.77"
[ "$(json_get "$DEV/state.json" reported_ipv4)" = 192.168.1.77 ] || fail "state.json: $(cat "$DEV/state.json")"
ok "state.json remembers the reported address"

# Without --ipv4: the address the kernel uses towards the router (loopback here).
"$DEVICE_ENROL" address --out "$DEV" >"$WORK/address2.out" 2>&1 ||
  fail "device-enrol address: $(cat "$WORK/address2.out")"
[ "$(device_ipv4 camera)" = 127.0.0.1 ] || fail "router-ca devices shows $(device_ipv4 camera), not 127.0.0.1"
ok "without --ipv4 the device reports the address it reaches the router from: 127.0.0.1"

# The same update with curl and the device's own certificate, as any client would do it.
code=$(curl -s -o "$WORK/body" -w '%{http_code}' --cacert "$DEV/root.pem" --cert "$DEV/chain.pem" \
  --key "$DEV/key.pem" -X PUT -H 'Content-Type: application/json' -d '{"ipv4": "192.168.1.78"}' \
  "$ROUTER_URL/api/v1/address")
[ "$code" = 204 ] || fail "curl PUT /api/v1/address gave HTTP $code: $(cat "$WORK/body")"
[ "$(device_ipv4 camera)" = 192.168.1.78 ] || fail "curl's update not recorded"
ok "curl PUT /api/v1/address with the device's certificate: 204, recorded"
code=$(curl -s -o "$WORK/body" -w '%{http_code}' --cacert "$DEV/root.pem" -X PUT \
  -d '{"ipv4": "192.168.1.79"}' "$ROUTER_URL/api/v1/address")
[ "$code" = 401 ] || [ "$code" = 403 ] || fail "an update without a client certificate gave HTTP $code"
[ "$(device_ipv4 camera)" = 192.168.1.78 ] || fail "an unauthenticated update changed the address"
ok "without a client certificate: HTTP $code, nothing changes"

set +e
"$DEVICE_ENROL" address --out "$DEV" --ipv4 8.8.8.8 >"$WORK/outside.out" 2>&1
code_outside=$?
set -e
[ $code_outside = 9 ] || fail "8.8.8.8 gave exit $code_outside: $(cat "$WORK/outside.out")"
grep -q "8.8.8.8" "$WORK/outside.out" && grep -q "HTTP 400" "$WORK/outside.out" ||
  fail "unclear refusal: $(cat "$WORK/outside.out")"
[ "$(device_ipv4 camera)" = 192.168.1.78 ] || fail "a refused address was recorded"
ok "an address outside the LAN subnets is refused (exit 9): $(cat "$WORK/outside.out")"

rca revoke camera >/dev/null
set +e
"$DEVICE_ENROL" address --out "$DEV" --ipv4 192.168.1.80 >"$WORK/revoked.out" 2>&1
code_revoked=$?
set -e
[ $code_revoked = 9 ] || fail "a revoked device gave exit $code_revoked: $(cat "$WORK/revoked.out")"
grep -q "HTTP 403" "$WORK/revoked.out" || fail "revoked: expected HTTP 403: $(cat "$WORK/revoked.out")"
ok "after router-ca revoke the update is refused (exit 9): $(cat "$WORK/revoked.out")"
finish

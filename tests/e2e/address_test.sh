#!/usr/bin/env bash
# Address updates end to end (issue 3, Keeping addresses current): `device-enrol address` tells the
# real daemon the device's LAN address over mutual TLS with its certificate, connecting from it
# (the router takes the address from the connection: issue 15, part 2); the router records it
# (router-ca devices), refuses its own address and a stated address other than the source with
# a clear message, and refuses a revoked device. The router is at 127.0.0.1; the device's addresses are others of
# 127.0.0.0/8.
source "$(dirname "$0")/lib.sh"
start_router router
DEV="$WORK/camera"
enrol_device "$DEV" camera --ipv4 127.0.0.70
ok "camera enrolled from 127.0.0.70"

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

"$DEVICE_ENROL" address --out "$DEV" --ipv4 127.0.0.77 >"$WORK/address.out" 2>&1 ||
  fail "device-enrol address --ipv4 127.0.0.77: $(cat "$WORK/address.out")"
grep -q "127.0.0.77" "$WORK/address.out" || fail "no confirmation: $(cat "$WORK/address.out")"
ok "device-enrol address --ipv4 127.0.0.77: $(cat "$WORK/address.out")"
[ "$(device_ipv4 camera)" = 127.0.0.77 ] ||
  fail "router-ca devices shows $(device_ipv4 camera), not 127.0.0.77: $(cat "$WORK/devices.json")"
ok "router-ca devices --json shows camera at 127.0.0.77"
[ "$(json_get "$DEV/state.json" reported_ipv4)" = 127.0.0.77 ] || fail "state.json: $(cat "$DEV/state.json")"
ok "state.json remembers the reported address"

# Without --ipv4: the address the kernel uses towards the router, 127.0.0.1 on loopback, which is
# the router's own: refused with the reason (409), and camera keeps its address.
set +e
"$DEVICE_ENROL" address --out "$DEV" >"$WORK/address2.out" 2>&1
code_own=$?
set -e
[ $code_own = 9 ] && grep -q "127.0.0.1 is the router's own address" "$WORK/address2.out" &&
  grep -q "HTTP 409" "$WORK/address2.out" || fail "device-enrol address from 127.0.0.1: exit $code_own $(cat "$WORK/address2.out")"
[ "$(device_ipv4 camera)" = 127.0.0.77 ] || fail "router-ca devices shows $(device_ipv4 camera), not 127.0.0.77"
ok "without --ipv4 the device reports the address it reaches the router from, here the router's own: $(cat "$WORK/address2.out")"

# The same update with curl and the device's own certificate, as any client would do it.
code=$(curl -s -o "$WORK/body" -w '%{http_code}' --interface 127.0.0.78 --cacert "$DEV/root.pem" \
  --cert "$DEV/chain.pem" --key "$DEV/key.pem" -X PUT -H 'Content-Type: application/json' -d '' \
  "$ROUTER_URL/api/v1/address")
[ "$code" = 204 ] || fail "curl PUT /api/v1/address gave HTTP $code: $(cat "$WORK/body")"
[ "$(device_ipv4 camera)" = 127.0.0.78 ] || fail "curl's update not recorded"
ok "curl --interface 127.0.0.78 PUT /api/v1/address with the device's certificate: 204, recorded"
code=$(curl -s -o "$WORK/body" -w '%{http_code}' --interface 127.0.0.79 --cacert "$DEV/root.pem" \
  -X PUT -d '' "$ROUTER_URL/api/v1/address")
[ "$code" = 401 ] || [ "$code" = 403 ] || fail "an update without a client certificate gave HTTP $code"
[ "$(device_ipv4 camera)" = 127.0.0.78 ] || fail "an unauthenticated update changed the address"
ok "without a client certificate: HTTP $code, nothing changes"

# A stated address must be the connection's source: 8.8.8.8 never is here.
code=$(curl -s -o "$WORK/body" -w '%{http_code}' --interface 127.0.0.79 --cacert "$DEV/root.pem" \
  --cert "$DEV/chain.pem" --key "$DEV/key.pem" -X PUT -H 'Content-Type: application/json' \
  -d '{"ipv4": "8.8.8.8"}' "$ROUTER_URL/api/v1/address")
[ "$code" = 400 ] && grep -q "8.8.8.8" "$WORK/body" || fail "a stated 8.8.8.8: HTTP $code $(cat "$WORK/body")"
[ "$(device_ipv4 camera)" = 127.0.0.78 ] || fail "a refused address was recorded"
ok "a stated address other than the source (8.8.8.8) is refused: HTTP 400"

rca revoke camera >/dev/null
set +e
"$DEVICE_ENROL" address --out "$DEV" --ipv4 127.0.0.80 >"$WORK/revoked.out" 2>&1
code_revoked=$?
set -e
[ $code_revoked = 9 ] || fail "a revoked device gave exit $code_revoked: $(cat "$WORK/revoked.out")"
grep -q "HTTP 403" "$WORK/revoked.out" || fail "revoked: expected HTTP 403: $(cat "$WORK/revoked.out")"
ok "after router-ca revoke the update is refused (exit 9): $(cat "$WORK/revoked.out")"
finish

#!/usr/bin/env bash
# A restart keeps the CA, the devices, the router's certificate and renewals working.
source "$(dirname "$0")/lib.sh"
start_router router --pair-guard 0
enrol_device "$WORK/printer" printer
fp=$(root_fingerprint)
server_serial=$(serial_of "$ROUTER_DIR/server/chain.pem")
stop_router
ok "router-ca stops cleanly on SIGTERM"

ROUTER_PORT_OVERRIDE=$ROUTER_PORT ROUTER_DNS_PORT_OVERRIDE=$ROUTER_DNS_PORT start_router router --pair-guard 0
[ "$(root_fingerprint)" = "$fp" ] || fail "the root changed across a restart"
ok "same root after restart"
[ "$(serial_of "$ROUTER_DIR/server/chain.pem")" = "$server_serial" ] || fail "router certificate re-issued needlessly"
ok "the router's own certificate is reused"
rca devices | grep -q "printer.home.arpa" || fail "device lost across restart"
ok "devices survive the restart"
"$DEVICE_ENROL" renew --out "$WORK/printer" --force >"$WORK/renew.out" 2>&1 || fail "renew after restart: $(cat "$WORK/renew.out")"
ok "renewal works after restart"
enrol_device "$WORK/printer2" printer
grep -q '"printer-2.home.arpa"' "$WORK/printer2/state.json" || fail "name uniqueness lost across restart: $(cat "$WORK/printer2/state.json")"
ok "a second device asking for 'printer' is named printer-2"
finish

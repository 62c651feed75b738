#!/usr/bin/env bash
# router-ca's side of the HQ fallback (issue 6, docs/hq.md "Router side"), end to end on loopback
# with the real Pebble, hq, curl, openssl and kdig: the router registers its home (the same home
# after a restart), keeps HQ's record for a paired device, answers router.<home>.<ZONE> and the
# device's public alias in its own DNS without becoming a resolver for the rest of the vendor
# zone, relays a paired device's CSR for its public name to HQ (mutual TLS; the chain verifies
# against Pebble's root; other names, no client certificate and bad ids refused), and reports it
# all in `router-ca status`; with HQ unreachable, pairing works, the status says why the public
# side is missing and a CSR gets 503. About 20 s here on a loaded 2-core machine.
HQ_LIB="$(dirname "$0")/../hq/hq_lib.sh"
source "$HQ_LIB"  # Pebble and hq (start_pebble_for_hq, start_hq, verify_public_chain)
hq_work=$WORK
source "$(dirname "$0")/lib.sh"  # the router: a new WORK and PIDS, and the router's api/make_csr
rmdir "$hq_work" 2>/dev/null || true
command -v kdig >/dev/null || fail "kdig is not installed (scripts/setup.sh installs knot-dnsutils)"

q() { kdig @127.0.0.1 -p "$ROUTER_DNS_PORT" +timeout=2 +retry=0 "$@"; }
short() { q "$@" +short | tr '\n' ' ' | sed 's/ $//'; }
status_of() { q "$@" | sed -n 's/.*status: \([A-Z]*\).*/\1/p'; }
# public_member KEY: a member of `router-ca status --json`'s "public" part.
public_member() {
  rca status --json >"$WORK/status.json" || return 1
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["public"].get(sys.argv[2], ""))' \
    "$WORK/status.json" "$1"
}
registered() { [ "$(public_member state)" = registered ]; }
wait_for() {  # wait_for SECONDS WHAT CMD...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  fail "$what within $seconds s: $(cat "$WORK/status.json" 2>/dev/null)"
}

start_pebble_for_hq
start_hq hq
start_router router --pair-guard 0 --router-address 192.168.1.1 --hq-url "$HQ_URL"
wait_for 30 "the router did not register at HQ" registered
HOME_ZONE=$(public_member zone)
HOME_NAME=$(public_member home)
[ "$HOME_ZONE" = "$HOME_NAME.$ZONE" ] || fail "status zone '$HOME_ZONE' is not $HOME_NAME.$ZONE"
rca status >"$WORK/status.txt"
grep -q "public zone: *$HOME_ZONE" "$WORK/status.txt" || fail "router-ca status: $(cat "$WORK/status.txt")"
ok "registered at HQ: home $HOME_NAME, zone $HOME_ZONE, shown by router-ca status"
mode=$(stat -c %a "$ROUTER_DIR/hq/token")
[ "$mode" = 600 ] || fail "hq/token has mode $mode"
[[ "$(cat "$ROUTER_DIR/hq/token")" =~ ^[0-9a-f]{32}$ ]] || fail "hq/token is not 128 bits of hex"
! grep -q "$(cat "$ROUTER_DIR/hq/token")" "$WORK/router.log" || fail "the token is in the log"
ok "DATA/hq/token: 128 bits, mode 0600, not logged"

# HQ's own DNS and the router's answer router.<home>.<ZONE> with the router's LAN address.
hq_short() { kdig @127.0.0.1 -p "$HQ_DNS_PORT" +timeout=2 +retry=0 +short "$@"; }
[ "$(hq_short "router.$HOME_ZONE")" = 192.168.1.1 ] || fail "HQ: router.$HOME_ZONE: $(hq_short "router.$HOME_ZONE")"
[ "$(short "router.$HOME_ZONE")" = 192.168.1.1 ] || fail "router: router.$HOME_ZONE: $(short "router.$HOME_ZONE")"
ok "router.$HOME_ZONE A 192.168.1.1 at HQ and in the router's own DNS"

enrol_device "$WORK/cam" cam --ipv4 192.168.1.20
cam_at_hq() { [ "$(hq_short "cam.$HOME_ZONE")" = 192.168.1.20 ]; }
wait_for 20 "HQ has no record for cam.$HOME_ZONE" cam_at_hq
[ "$(short "cam.$HOME_ZONE")" = 192.168.1.20 ] || fail "router: cam.$HOME_ZONE: $(short "cam.$HOME_ZONE")"
[ "$(short cam.home.arpa)" = 192.168.1.20 ] || fail "cam.home.arpa: $(short cam.home.arpa)"
ok "a paired device: cam.$HOME_ZONE A 192.168.1.20 at HQ (PUT by the router) and locally"

# Only this home's zone is answered: the rest of the vendor zone, and anything else, is REFUSED.
[ "$(status_of "cam.other-home.$ZONE")" = REFUSED ] || fail "another home: $(status_of "cam.other-home.$ZONE")"
[ "$(status_of "$ZONE")" = REFUSED ] || fail "the vendor zone's apex: $(status_of "$ZONE")"
[ "$(status_of example.com)" = REFUSED ] || fail "example.com: $(status_of example.com)"
[ "$(status_of "nothing.$HOME_ZONE")" = NXDOMAIN ] || fail "unknown alias: $(status_of "nothing.$HOME_ZONE")"
ok "REFUSED for other homes, the vendor apex and example.com; NXDOMAIN inside $HOME_ZONE"

# The device's public certificate through the router (mutual TLS with its local certificate):
# an openssl CSR for its public name, relayed to HQ, issued by Pebble through DNS-01.
make_public_csr() {  # make_public_csr FILE NAME
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
  openssl req -new -key "$1.key" -subj "/CN=$2" -addext "subjectAltName=DNS:$2" -out "$1" 2>/dev/null
}
csr_json() { python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read()}))' "$1"; }
mtls=(--cert "$WORK/cam/cert.pem" --key "$WORK/cam/key.pem")
make_public_csr "$WORK/cam-public.csr" "cam.$HOME_ZONE"
code=$(api POST /api/v1/public-certificates "${mtls[@]}" -D "$WORK/headers" \
  -H 'Content-Type: application/json' -d "$(csr_json "$WORK/cam-public.csr")")
[ "$code" = 202 ] || fail "POST public-certificates: HTTP $code $(cat "$WORK/body")"
order=$(json_get "$WORK/body" id)
grep -qi "^Location: /api/v1/public-certificates/$order" "$WORK/headers" || fail "no Location: $(cat "$WORK/headers")"
[ "$(json_get "$WORK/body" name)" = "cam.$HOME_ZONE" ] || fail "order name: $(cat "$WORK/body")"
ok "POST /api/v1/public-certificates (mTLS, CSR for cam.$HOME_ZONE) -> 202, Location, order $order"
issued() {
  [ "$(api GET "/api/v1/public-certificates/$order" "${mtls[@]}")" = 200 ] &&
    [ "$(json_get "$WORK/body" status)" = issued ]
}
wait_for 60 "the public certificate was not issued" issued
json_get "$WORK/body" chain >"$WORK/cam-public-chain.pem"
verify_public_chain "$WORK/cam-public-chain.pem" "cam.$HOME_ZONE"
ok "GET through the router: issued; the chain verifies for cam.$HOME_ZONE against Pebble's root"

make_public_csr "$WORK/other.csr" "nas.$HOME_ZONE"
code=$(api POST /api/v1/public-certificates "${mtls[@]}" -d "$(csr_json "$WORK/other.csr")")
[ "$code" = 400 ] && grep -q "cam.$HOME_ZONE" "$WORK/body" || fail "another name: HTTP $code $(cat "$WORK/body")"
code=$(api POST /api/v1/public-certificates -d "$(csr_json "$WORK/cam-public.csr")")
[ "$code" = 401 ] || fail "no client certificate: HTTP $code $(cat "$WORK/body")"
code=$(api GET "/api/v1/public-certificates/$order")
[ "$code" = 401 ] || fail "GET without a client certificate: HTTP $code"
code=$(api GET "/api/v1/public-certificates/not%20an%20id%3F" "${mtls[@]}")
[ "$code" = 400 ] || fail "a malformed id: HTTP $code $(cat "$WORK/body")"
code=$(api GET "/api/v1/public-certificates/..%2F..%2Fv1%2Fhomes" "${mtls[@]}")
[ "$code" = 404 ] || fail "a path in the id: HTTP $code $(cat "$WORK/body")"
code=$(api GET "/api/v1/public-certificates/AAAAAAAAAAAAAAAAAAAAAA" "${mtls[@]}")
[ "$code" = 404 ] || fail "an unknown id: HTTP $code $(cat "$WORK/body")"
ok "another device's name -> 400 naming cam.$HOME_ZONE; no client certificate -> 401; bad id -> 400 (404 for a path), never relayed; unknown id -> 404 (HQ's)"

stop_router
start_router router --pair-guard 0 --router-address 192.168.1.1 --hq-url "$HQ_URL"
wait_for 30 "the restarted router did not register" registered
[ "$(public_member zone)" = "$HOME_ZONE" ] || fail "after a restart: $(public_member zone), was $HOME_ZONE"
ok "after a restart: the same home $HOME_NAME (the token is kept)"

# HQ unreachable: a router pointed at a closed port. Everything local works; status says why.
dead_url="http://127.0.0.1:$(free_port)"
start_router offline --pair-guard 0 --router-address 192.168.1.1 --hq-url "$dead_url"
enrol_device "$WORK/printer" printer --ipv4 192.168.1.30
[ "$(short printer.home.arpa)" = 192.168.1.30 ] || fail "offline: printer.home.arpa: $(short printer.home.arpa)"
ok "HQ unreachable: pairing and local DNS work"
unreachable() { [ "$(public_member state)" = unreachable ] && [ -n "$(public_member next_attempt)" ]; }
wait_for 20 "status does not say HQ is unreachable" unreachable
public_member error | grep -q "cannot reach HQ at $dead_url" || fail "status error: $(public_member error)"
rca status | grep -q "HQ unreachable: *since" || fail "router-ca status: $(rca status)"
ok "status: unreachable since T, with the error and the next attempt"
make_public_csr "$WORK/printer-public.csr" "printer.nowhere.$ZONE"
code=$(api POST /api/v1/public-certificates --cert "$WORK/printer/cert.pem" --key "$WORK/printer/key.pem" \
  -d "$(csr_json "$WORK/printer-public.csr")")
[ "$code" = 503 ] && grep -q "has not reached HQ" "$WORK/body" || fail "HQ down: HTTP $code $(cat "$WORK/body")"
ok "a public certificate while HQ is unreachable -> 503 saying why"
finish

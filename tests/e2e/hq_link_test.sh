#!/usr/bin/env bash
# router-ca's HQ link (issue 6, docs/hq.md "Router side"), end to end on loopback with the real
# Pebble, hq, kdig and device-enrol: the router registers its home with a 0600 token (the same
# home after a restart), keeps HQ's record for a paired device, answers router.<home>.<ZONE> and
# the device's public alias in its own DNS without becoming a resolver for the rest of the vendor
# zone, and reports it in `router-ca status`; with HQ unreachable, pairing works and the status
# says why the public side is missing (a device's CSR gets 503 saying why). 47-93 s here
# beside hq_public_certificates on a 2-core machine shared with three other engineers' builds.
source "$(dirname "$0")/hq_router_lib.sh"

start_registered_router
[ "$HOME_ZONE" = "$HOME_NAME.$ZONE" ] || fail "status zone '$HOME_ZONE' is not $HOME_NAME.$ZONE"
rca status >"$WORK/status.txt"
grep -q "public zone: *$HOME_ZONE" "$WORK/status.txt" || fail "router-ca status: $(cat "$WORK/status.txt")"
ok "registered at HQ: home $HOME_NAME, zone $HOME_ZONE, shown by router-ca status"
mode=$(stat -c %a "$ROUTER_DIR/hq/token")
[ "$mode" = 600 ] || fail "hq/token has mode $mode"
[[ "$(cat "$ROUTER_DIR/hq/token")" =~ ^[0-9a-f]{32}$ ]] || fail "hq/token is not 128 bits of hex"
! grep -q "$(cat "$ROUTER_DIR/hq/token")" "$WORK/router.log" || fail "the token is in the log"
ok "DATA/hq/token: 128 bits, mode 0600, not logged"
# The factory credential (docs/hq.md, "Router credentials"), read from --hq-credential-file (UCI
# hq_credential_file), is what let it register; its secret is in neither log.
! grep -q "$ROUTER_SECRET" "$WORK/router.log" "$WORK/hq.log" || fail "the router's secret is in a log"
grep -q "registered home $HOME_NAME for router $ROUTER_ID" "$WORK/hq.log" || fail "hq did not register it as $ROUTER_ID"
ok "registered with the factory credential of $ROUTER_ID from its 0600 file; the secret in no log"

# HQ's own DNS and the router's answer router.<home>.<ZONE> with the router's LAN address.
[ "$(hq_short "router.$HOME_ZONE")" = 192.168.1.1 ] || fail "HQ: router.$HOME_ZONE: $(hq_short "router.$HOME_ZONE")"
[ "$(short "router.$HOME_ZONE")" = 192.168.1.1 ] || fail "router: router.$HOME_ZONE: $(short "router.$HOME_ZONE")"
ok "router.$HOME_ZONE A 192.168.1.1 at HQ and in the router's own DNS"

# Registered and idle, the link's thread sleeps until its next deadline: a busy loop (as once on
# an unset deadline) would burn a core. 60 ticks (0.6 s of CPU at CLK_TCK 100) in 3 s is far
# above an idle router's use and far below a spinning thread's, even on a loaded machine.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$ROUTER_PID/stat"; }
before=$(cpu_ticks)
sleep 3
used=$(( $(cpu_ticks) - before ))
[ "$used" -lt 60 ] || fail "the registered router used $used CPU ticks in 3 s while idle"
ok "registered and idle: $used CPU ticks in 3 s (no busy loop)"

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

stop_router
hq_link_args
start_router router --pair-guard 0 --router-address 192.168.1.1 "${HQ_LINK_ARGS[@]}"
first_zone=$HOME_ZONE
wait_registered 30
[ "$HOME_ZONE" = "$first_zone" ] || fail "after a restart: $HOME_ZONE, was $first_zone"
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
ok "a device's CSR for its public name while HQ is unreachable -> 503 saying why"

# A router without a factory credential: HQ refuses its registration (401), and the status says
# why. It keeps working locally, like a router whose HQ is down.
start_router anonymous --pair-guard 0 --router-address 192.168.1.1 --hq-url "$HQ_URL"
refused() { public_member error | grep -q "401"; }
wait_for 20 "status does not show HQ's 401" refused
public_member error | grep -q "factory credential" || fail "status error: $(public_member error)"
grep -q "no --hq-credential-file" "$WORK/anonymous.log" || fail "no start-up warning: $(head -n 20 "$WORK/anonymous.log")"
ok "no credential: HQ answers 401, the status says it needs the factory credential"

# Start-up refusals (exit 9, before anything listens): no private address for router.<home>.<ZONE>,
# and a token file that is not a token (never replaced silently: it is the home's ownership).
refused_start() {  # refused_start DIR [serve options...]: runs serve, expecting exit 9
  local dir=$1; shift
  set +e
  "$ROUTER_CA" serve --data-dir "$dir" --listen "127.0.0.1:$(free_port)" --lan-subnet 127.0.0.0/8 \
    --lan-subnet 192.168.0.0/16 --dns-listen none --mdns off --hq-url "$dead_url" "$@" >"$WORK/refused.log" 2>&1
  local code=$?
  set -e
  [ "$code" = 9 ] || fail "serve exited $code, not 9: $(tail -n 3 "$WORK/refused.log")"
}
refused_start "$WORK/no-address"
grep -q "needs a private (RFC 1918) address.*127.0.0.1 is not one" "$WORK/refused.log" ||
  fail "no reason given: $(cat "$WORK/refused.log")"
mkdir -p "$WORK/no-address/hq"
printf 'not a token\n' >"$WORK/no-address/hq/token"
refused_start "$WORK/no-address" --router-address 192.168.1.1
grep -q "does not hold an HQ token" "$WORK/refused.log" || fail "no reason given: $(cat "$WORK/refused.log")"
ok "exit 9 with the reason: a loopback-only router address, a token file that is not a token"
# The credential file must be 0600: a readable one is refused before anything starts.
make_router_credential loose-router
chmod 644 "$ROUTER_CREDENTIAL_FILE"
refused_start "$WORK/loose" --router-address 192.168.1.1 --hq-credential-file "$ROUTER_CREDENTIAL_FILE"
grep -q "HQ router credential $ROUTER_CREDENTIAL_FILE has mode 0644.*chmod 600" "$WORK/refused.log" ||
  fail "no reason given: $(cat "$WORK/refused.log")"
! grep -q "$ROUTER_SECRET" "$WORK/refused.log" || fail "the secret is in the log"
chmod 600 "$ROUTER_CREDENTIAL_FILE"
printf 'no colon here\n' >"$ROUTER_CREDENTIAL_FILE"
refused_start "$WORK/loose" --router-address 192.168.1.1 --hq-credential-file "$ROUTER_CREDENTIAL_FILE"
grep -q "must be one line ROUTER_ID:SECRET" "$WORK/refused.log" || fail "no reason given: $(cat "$WORK/refused.log")"
ok "exit 9: a credential file readable by others (chmod 600, secret not logged), one that is malformed"
finish

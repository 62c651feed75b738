#!/usr/bin/env bash
# device-enrol's public certificate end to end (issue 6, the device's part) on loopback with the
# real Pebble, hq and router-ca --hq-url: `device-enrol pair` leaves a local chain that verifies
# against the home root and a public chain for <name>.<home>.<ZONE> that verifies against Pebble's
# root (from its management port), made for a key of its own (0600, not key.pem); status shows
# it; serve-demo answers each SNI with the right chain; a forced local renewal leaves the public
# certificate alone; a pairing that stops waiting keeps its order, which `run` then polls and
# installs; with HQ down, or a router without HQ, a device pairs locally with no public side and
# no error.
# About 60 s alone, 90 s beside other e2e tests, on a loaded 2-core machine (mostly starting
# Pebble, hq and two routers; one issuance takes about 7 s).
source "$(dirname "$0")/public_lib.sh"  # Pebble, hq, the router, device-enrol, wait_registered
source "$(dirname "$0")/sni_lib.sh"

start_pebble_for_hq
start_hq hq
hq_link_args
start_router router --pair-guard 0 --router-address 192.168.1.1 "${HQ_LINK_ARGS[@]}"
wait_registered 30
PUBLIC_NAME="cam.$HOME_ZONE"
ok "router-ca registered its home at HQ: $HOME_ZONE"

DEV="$WORK/cam"
rca pair >/dev/null
start=$(date +%s.%N)
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$DEV" --name cam --ipv4 192.168.1.20 \
  --ca-fingerprint "$(root_fingerprint)" --timeout 30 --public-wait 120 >"$WORK/pair.log" 2>&1 ||
  fail "device-enrol pair: $(cat "$WORK/pair.log")"
seconds=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
grep -q "installed public certificate [0-9a-f]* for $PUBLIC_NAME" "$WORK/pair.log" ||
  fail "pair did not install a public certificate: $(cat "$WORK/pair.log")"
ok "device-enrol pair: local and public certificate in $seconds s ($(grep 'installed public' "$WORK/pair.log"))"

for f in public-key.pem public-cert.pem public-chain.pem; do [ -s "$DEV/$f" ] || fail "missing $f"; done
[ "$(stat -c %a "$DEV/public-key.pem")" = 600 ] || fail "public-key.pem is not 0600"
[ ! -e "$DEV/public-order-key.pem" ] && [ ! -e "$DEV/public-order.json" ] ||
  fail "the installed order left public-order-key.pem or public-order.json behind"
pub_of() { openssl pkey -in "$1" -pubout 2>/dev/null; }
[ "$(pub_of "$DEV/public-key.pem")" != "$(pub_of "$DEV/key.pem")" ] || fail "the public certificate reuses key.pem"
[ "$(openssl x509 -in "$DEV/public-cert.pem" -noout -pubkey)" = "$(pub_of "$DEV/public-key.pem")" ] ||
  fail "public-cert.pem is not for public-key.pem"
! grep -q "PRIVATE KEY" "$WORK/pair.log" || fail "a private key is in pair's output"
ok "public-key.pem (0600, its own key), public-cert.pem, public-chain.pem installed; no order files left"

verify_public_chain "$DEV/public-chain.pem" "$PUBLIC_NAME"
cmp -s "$WORK/leaf.pem" "$DEV/public-cert.pem" || fail "public-chain.pem does not start with public-cert.pem"
ok "public-chain.pem verifies for $PUBLIC_NAME against Pebble's root (/roots/0): $(cat "$WORK/verify.out")"
openssl x509 -in "$DEV/public-cert.pem" -noout -ext subjectAltName >"$WORK/san.txt"
grep -q "DNS:$PUBLIC_NAME" "$WORK/san.txt" && [ "$(grep -o 'DNS:' "$WORK/san.txt" | wc -l)" = 1 ] ||
  fail "public SAN: $(cat "$WORK/san.txt")"
verify_chain "$DEV/cert.pem" "$DEV/root.pem" "$DEV/chain.pem" >"$WORK/local.out" 2>&1 ||
  fail "the local chain: $(cat "$WORK/local.out")"
cmp -s "$DEV/root.pem" "$ROUTER_DIR/ca/root.pem" || fail "root.pem is not the router's root"
ok "the public leaf names exactly $PUBLIC_NAME; the local chain verifies against the home root"

"$DEVICE_ENROL" status --out "$DEV" >"$WORK/status.txt"
grep -q "^public: *$PUBLIC_NAME, certificate [0-9a-f]* valid until .*, renewal at " "$WORK/status.txt" ||
  fail "status: $(cat "$WORK/status.txt")"
ok "device-enrol status: $(grep '^public:' "$WORK/status.txt")"

DEMO_PORT=$(free_port)
"$DEVICE_ENROL" serve-demo --out "$DEV" --listen "127.0.0.1:$DEMO_PORT" >"$WORK/demo.log" 2>&1 &
DEMO_PID=$!
PIDS+=("$DEMO_PID")
wait_until 20 "serve-demo" "$DEMO_PID" grep -q "get public certificate" "$WORK/demo.log"
expect_served "$DEMO_PORT" "$PUBLIC_NAME" "$DEV/public-cert.pem" "$WORK/pebble-root.pem"
ok "serve-demo, SNI $PUBLIC_NAME: the public chain, verifying against Pebble's root"
for sni in cam.home.arpa ""; do
  expect_served "$DEMO_PORT" "$sni" "$DEV/cert.pem" "$DEV/root.pem"
  ok "serve-demo, SNI '${sni:-none}': the local chain, verifying against the home root"
done

public_serial=$(openssl x509 -in "$DEV/public-cert.pem" -noout -serial)
"$DEVICE_ENROL" renew --out "$DEV" --force >"$WORK/renew.log" 2>&1 || fail "renew --force: $(cat "$WORK/renew.log")"
grep -q "^renewed: " "$WORK/renew.log" && grep -q "public certificate [0-9a-f]* for $PUBLIC_NAME valid until" "$WORK/renew.log" ||
  fail "renew --force: $(cat "$WORK/renew.log")"
[ "$(openssl x509 -in "$DEV/public-cert.pem" -noout -serial)" = "$public_serial" ] || fail "renew --force replaced the public certificate"
ok "renew --force: a new local certificate; the public one is not due and stays ($(grep 'public certificate' "$WORK/renew.log"))"

# Not issued within --public-wait: pair succeeds for the local part and keeps the order; `run`
# then polls that same order (no second one) and installs it, running the hook.
NAS="$WORK/nas"
rca pair >/dev/null
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$NAS" --name nas --ipv4 192.168.1.22 \
  --ca-fingerprint "$(root_fingerprint)" --timeout 30 --public-wait 0 >"$WORK/nas-pair.log" 2>&1 ||
  fail "pair --public-wait 0: $(cat "$WORK/nas-pair.log")"
grep -q "the public certificate for nas.$HOME_ZONE is not issued yet" "$WORK/nas-pair.log" &&
  [ -s "$NAS/cert.pem" ] && [ ! -e "$NAS/public-cert.pem" ] && [ -s "$NAS/public-order.json" ] ||
  fail "pair --public-wait 0: $(cat "$WORK/nas-pair.log"; ls "$NAS")"
[ "$(stat -c %a "$NAS/public-order-key.pem")" = 600 ] || fail "public-order-key.pem is not 0600"
order_key=$(pub_of "$NAS/public-order-key.pem")
ok "pair --public-wait 0: paired locally (exit 0), the order kept in public-order.json with its key (0600)"
"$DEVICE_ENROL" run --out "$NAS" --ipv4 192.168.1.22 --hook "touch '$WORK/hook-ran'" >"$WORK/nas-run.log" 2>&1 &
RUN_PID=$!
PIDS+=("$RUN_PID")
wait_until 60 "device-enrol run" "$RUN_PID" test -s "$NAS/public-cert.pem"
wait_until 10 "device-enrol run" "$RUN_PID" test -e "$WORK/hook-ran"
kill -TERM "$RUN_PID"
wait "$RUN_PID" || fail "run did not stop cleanly on SIGTERM: $(tail -n 5 "$WORK/nas-run.log")"
grep -q "polling the public certificate order for nas.$HOME_ZONE placed earlier" "$WORK/nas-run.log" &&
  ! grep -q "asking the router for a public certificate" "$WORK/nas-run.log" ||
  fail "run did not poll the kept order: $(cat "$WORK/nas-run.log")"
[ "$(pub_of "$NAS/public-key.pem")" = "$order_key" ] || fail "run installed another key than the kept one"
[ ! -e "$NAS/public-order.json" ] && [ ! -e "$NAS/public-order-key.pem" ] || fail "order files left after the install"
verify_public_chain "$NAS/public-chain.pem" "nas.$HOME_ZONE"
ok "run polled the kept order (no new one), installed it with the kept key, ran the hook; the chain verifies against Pebble's root"

# The router's renewal answer names the public alias too (an openssl CSR, mutual TLS with the
# NAS's certificate; the NAS is not used after this).
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/renewal.key" \
  -subj /CN=nas -out "$WORK/renewal.csr" 2>/dev/null
code=$(api POST /api/v1/renewals --cert "$NAS/chain.pem" --key "$NAS/key.pem" \
  -H 'Content-Type: application/json' -d "$(enrolment_body "$WORK/renewal.csr")")
[ "$code" = 200 ] && [ "$(json_get "$WORK/body" public_name)" = "nas.$HOME_ZONE" ] ||
  fail "renewal answer: HTTP $code $(cat "$WORK/body")"
ok "the router's renewal answer carries public_name nas.$HOME_ZONE"

# HQ down after the home was registered: pairing still succeeds locally and says why there is no
# public certificate; status names the public name still missing.
kill "$HQ_PID"
wait "$HQ_PID" 2>/dev/null || true
rca pair >/dev/null
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$WORK/printer" --name printer --ipv4 192.168.1.23 \
  --ca-fingerprint "$(root_fingerprint)" --timeout 30 >"$WORK/printer.log" 2>&1 ||
  fail "pair with HQ down: $(cat "$WORK/printer.log")"
grep -q "no public certificate for printer.$HOME_ZONE now: .*HTTP 503" "$WORK/printer.log" &&
  [ -s "$WORK/printer/cert.pem" ] && [ ! -e "$WORK/printer/public-cert.pem" ] ||
  fail "pair with HQ down: $(cat "$WORK/printer.log")"
"$DEVICE_ENROL" status --out "$WORK/printer" | grep -q "^public: *none yet for printer.$HOME_ZONE" ||
  fail "status with HQ down: $("$DEVICE_ENROL" status --out "$WORK/printer")"
ok "HQ down: pair succeeds locally (exit 0) and says $(grep -o 'no public certificate for .*' "$WORK/printer.log" | cut -c1-120)..."

# A router without HQ: local pairing only, no public files, exit 0.
start_router plain --pair-guard 0
rca pair >/dev/null
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$WORK/plain-cam" --name cam --ipv4 192.168.1.21 \
  --ca-fingerprint "$(root_fingerprint)" --timeout 30 >"$WORK/plain.log" 2>&1 ||
  fail "pair with a router without HQ: $(cat "$WORK/plain.log")"
[ -s "$WORK/plain-cam/cert.pem" ] && [ ! -e "$WORK/plain-cam/public-cert.pem" ] &&
  [ ! -e "$WORK/plain-cam/public-order.json" ] || fail "router without HQ: $(ls "$WORK/plain-cam")"
"$DEVICE_ENROL" status --out "$WORK/plain-cam" | grep -q "^public: *none (the router offers none" ||
  fail "status without HQ: $("$DEVICE_ENROL" status --out "$WORK/plain-cam")"
ok "a router without HQ: local certificate only, exit 0, status says the router offers none"
finish

#!/usr/bin/env bash
# Button-press enrolment end to end: the chain verifies with openssl, curl reaches the device by its
# home name trusting only the root, and no verifier accepts the CA's signature for a name outside
# the home domain.
source "$(dirname "$0")/lib.sh"
start_router router --pair-guard 1
DEV="$WORK/camera"

# A short window: it watches for its whole length after approving (issue 15), and the failure
# cases below need it closed.
rca pair --seconds 6 >/dev/null
# From 127.0.0.2: the router is at 127.0.0.1, its own address, which no device's certificate names.
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$DEV" --name "Camera" --ipv4 127.0.0.2 \
  --ca-fingerprint "$(root_fingerprint)" --timeout 30 >"$WORK/pair.out" 2>&1 ||
  fail "device-enrol pair: $(cat "$WORK/pair.out")"
ok "device-enrol pair succeeded: $(head -n 1 "$WORK/pair.out")"

for f in key.pem cert.pem chain.pem root.pem state.json; do [ -s "$DEV/$f" ] || fail "missing $f"; done
[ "$(stat -c %a "$DEV/key.pem")" = 600 ] || fail "key.pem is not 0600"
ok "installed key.pem (0600), cert.pem, chain.pem, root.pem, state.json"
cmp -s "$DEV/root.pem" "$ROUTER_DIR/ca/root.pem" || fail "pinned root differs from the router's"
ok "pinned root is the router's root"

verify_chain "$DEV/cert.pem" "$ROUTER_DIR/ca/root.pem" "$DEV/chain.pem" >"$WORK/verify.out" 2>&1 ||
  fail "openssl verify: $(cat "$WORK/verify.out")"
ok "openssl verify accepts the chain: $(cat "$WORK/verify.out")"

openssl x509 -in "$DEV/cert.pem" -noout -text >"$WORK/leaf.txt"
grep -q "DNS:camera.home.arpa, DNS:camera.local, IP Address:127.0.0.2" "$WORK/leaf.txt" ||
  fail "unexpected SAN: $(grep -A1 'Alternative Name' "$WORK/leaf.txt")"
grep -q "CA:FALSE" "$WORK/leaf.txt" || fail "leaf is not CA:FALSE"
grep -q "TLS Web Server Authentication, TLS Web Client Authentication" "$WORK/leaf.txt" ||
  fail "EKU is not serverAuth+clientAuth"
grep -q "URI:https://router.home.arpa:$ROUTER_PORT/crl" "$WORK/leaf.txt" || fail "no CRL distribution point"
ok "leaf: SAN camera.home.arpa + camera.local + 127.0.0.2 (the connection's source), CA:FALSE, serverAuth+clientAuth, CRL DP"

# The router's own API certificate verifies by IP (127.0.0.0/8 is a LAN subnet here) and by name.
curl -sf --cacert "$ROUTER_DIR/ca/root.pem" --resolve "router.home.arpa:$ROUTER_PORT:127.0.0.1" \
  "https://router.home.arpa:$ROUTER_PORT/healthz" >/dev/null || fail "router.home.arpa does not verify"
ok "curl trusts https://router.home.arpa with only the home root"

DEMO_PORT=$(free_port)
"$DEVICE_ENROL" serve-demo --out "$DEV" --listen "127.0.0.1:$DEMO_PORT" >"$WORK/demo.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do
  curl -s --cacert "$DEV/root.pem" --resolve "camera.home.arpa:$DEMO_PORT:127.0.0.1" \
    "https://camera.home.arpa:$DEMO_PORT/" -o "$WORK/page.html" && break
  sleep 0.1
done
grep -q "camera.home.arpa" "$WORK/page.html" || fail "demo page not served under its home name"
ok "curl --cacert root.pem reaches https://camera.home.arpa:$DEMO_PORT/ served with the enrolled certificate"
if curl -s --cacert "$DEV/root.pem" --resolve "www.example.com:$DEMO_PORT:127.0.0.1" \
  "https://www.example.com:$DEMO_PORT/" -o /dev/null; then
  fail "curl accepted the device's certificate for www.example.com"
fi
ok "the same server is refused under a name it was not issued for"

# A compromised router signs whatever it likes with its intermediate key: the root still refuses.
for san in "DNS:www.example.com" "IP:8.8.8.8" "DNS:camera.home.arpa.evil.example"; do
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/rogue.key" \
    -subj "/CN=rogue" -out "$WORK/rogue.csr" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\n' "$san" >"$WORK/rogue.ext"
  openssl x509 -req -in "$WORK/rogue.csr" -CA "$ROUTER_DIR/ca/intermediate.pem" \
    -CAkey "$ROUTER_DIR/ca/intermediate.key.pem" -CAcreateserial -days 30 \
    -extfile "$WORK/rogue.ext" -out "$WORK/rogue.pem" 2>/dev/null
  if openssl verify -CAfile "$ROUTER_DIR/ca/root.pem" -untrusted "$ROUTER_DIR/ca/intermediate.pem" \
    "$WORK/rogue.pem" >"$WORK/rogue.out" 2>&1; then
    fail "openssl accepted a leaf for $san"
  fi
  grep -q "permitted subtree violation" "$WORK/rogue.out" || fail "unexpected error for $san: $(cat "$WORK/rogue.out")"
  ok "openssl verify rejects a leaf for $san signed by the intermediate: permitted subtree violation"
done

# Failures the device reports with one line and a distinct exit code.
set +e
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$WORK/wrongfp" \
  --ca-fingerprint "$(printf '00%.0s' $(seq 1 32))" --timeout 5 >"$WORK/wrongfp.out" 2>&1
code_fp=$?
"$DEVICE_ENROL" pair --router "https://127.0.0.1:$(free_port)" --out "$WORK/unreach" --timeout 5 \
  >"$WORK/unreach.out" 2>&1
code_unreach=$?
for _ in $(seq 1 100); do
  rca status --json | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["pairing"]["open"])' && break
  sleep 0.1
done
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$WORK/nowindow" --timeout 3 >"$WORK/nowindow.out" 2>&1
code_timeout=$?
set -e
[ $code_fp = 4 ] || fail "fingerprint mismatch gave exit $code_fp: $(cat "$WORK/wrongfp.out")"
ok "fingerprint mismatch refused (exit 4): $(tail -n 1 "$WORK/wrongfp.out")"
[ $code_unreach = 3 ] || fail "unreachable router gave exit $code_unreach: $(cat "$WORK/unreach.out")"
ok "unreachable router (exit 3): $(tail -n 1 "$WORK/unreach.out")"
[ $code_timeout = 8 ] || fail "no pairing window gave exit $code_timeout: $(cat "$WORK/nowindow.out")"
ok "no button press within --timeout (exit 8): $(tail -n 1 "$WORK/nowindow.out")"
[ ! -e "$WORK/wrongfp/key.pem" ] || fail "a refused pairing left a key behind"
ok "a refused pairing installs nothing"

rca devices >"$WORK/devices.out"
grep -q "camera.home.arpa" "$WORK/devices.out" || fail "device not listed: $(cat "$WORK/devices.out")"
ok "router-ca devices lists camera.home.arpa"
finish

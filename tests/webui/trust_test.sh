#!/usr/bin/env bash
# The trust test: Chromium with the home root in a fresh NSS database (~/.pki/nssdb, where
# Chromium on Linux reads user roots) opens a paired device's page with no certificate error;
# certificates the router's intermediate signs for www.example.com, IP:8.8.8.8 and
# IP:2001:db8::1, or for a home name that also names email:ceo@bank.example or
# URI:https://www.bank.example/, fail there (Chromium's column of the verifier matrix,
# tests/e2e/verifier_matrix_test.sh); and without the root the device's page fails too, so the
# root is what makes it work.
source "$(dirname "$0")/webui_lib.sh"
require_browser_tools
start_router trust --pair-guard 1
enrol_device "$WORK/camera" camera
ok "device camera enrolled"

DEMO_PORT=$(free_port)
"$DEVICE_ENROL" serve-demo --out "$WORK/camera" --listen "127.0.0.1:$DEMO_PORT" >"$WORK/demo.log" 2>&1 &
PIDS+=($!)

# A fresh NSS database with the root as a CA for websites, and an empty one.
for h in with-root without-root; do
  mkdir -p "$WORK/$h/.pki/nssdb"
  certutil -N --empty-password -d "sql:$WORK/$h/.pki/nssdb" || fail "certutil -N failed"
done
certutil -A -t "C,," -n home-root -i "$ROUTER_DIR/ca/root.pem" -d "sql:$WORK/with-root/.pki/nssdb" ||
  fail "certutil -A failed"
certutil -L -d "sql:$WORK/with-root/.pki/nssdb" | grep -q "home-root *C,," || fail "root not imported"
ok "fresh NSS database with the home root imported as C,,"

# Leaves a compromised router could sign with its intermediate key, built by openssl exactly like
# a valid one (forge_leaf: EKU serverAuth, SAN, AKI); control.home.arpa is the same recipe inside
# the constraints, so a failure of the others can only be the name.
serve_leaf() {  # serve_leaf VAR LABEL SAN: serves the leaf, its port in VAR
  local var=$1 label=$2 san=$3 port
  port=$(free_port)
  forge_leaf "$label" "$san" serverAuth
  openssl s_server -quiet -www -accept "127.0.0.1:$port" -cert "$WORK/$label.pem" \
    -key "$WORK/$label.key" -cert_chain "$ROUTER_DIR/ca/intermediate.pem" \
    >"$WORK/$label.log" 2>&1 &
  PIDS+=($!)
  printf -v "$var" '%s' "$port"
}
serve_leaf CONTROL_PORT control DNS:control.home.arpa
serve_leaf EXAMPLE_PORT example DNS:www.example.com
serve_leaf IP_PORT ip IP:8.8.8.8
serve_leaf IPV6_PORT ipv6 IP:2001:db8::1
serve_leaf EMAIL_PORT email DNS:mail.home.arpa,email:ceo@bank.example
serve_leaf URI_PORT uri DNS:web.home.arpa,URI:https://www.bank.example/
python3 "$WEBUI_DIR/connect_proxy.py" "$WORK/proxy.port" >"$WORK/proxy.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do
  [ -s "$WORK/proxy.port" ] && curl -s -o /dev/null "https://127.0.0.1:$DEMO_PORT/" -k &&
    curl -s -o /dev/null -k "https://127.0.0.1:$URI_PORT/" && break
  sleep 0.1
done
[ -s "$WORK/proxy.port" ] || fail "the CONNECT proxy did not start"

HOME_WITH="$WORK/with-root" HOME_WITHOUT="$WORK/without-root" \
  DEVICE_URL="https://camera.home.arpa:$DEMO_PORT/" \
  CONTROL_URL="https://control.home.arpa:$CONTROL_PORT/" \
  EXAMPLE_URL="https://www.example.com:$EXAMPLE_PORT/" \
  IP_URL="https://8.8.8.8:$IP_PORT/" IPV6_URL="https://[2001:db8::1]:$IPV6_PORT/" \
  EMAIL_URL="https://mail.home.arpa:$EMAIL_PORT/" URI_URL="https://web.home.arpa:$URI_PORT/" \
  PROXY="http://127.0.0.1:$(cat "$WORK/proxy.port")" \
  SHOTS="$(screenshots_dir trust)" node "$WEBUI_DIR/trust.js" || fail "the trust checks failed"
ok "Chromium trusts the device through the root and refuses names, addresses, e-mail and URI names outside its constraints"
finish

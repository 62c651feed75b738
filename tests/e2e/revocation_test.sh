#!/usr/bin/env bash
# Revocation reaches the devices: after `router-ca revoke`, device-enrol fetches the router's CRL
# (checked up to the pinned root) and says when the device's own certificate is revoked; the demo
# server refuses a revoked device's client certificate (curl --cert) and still accepts a good one,
# showing the verified name; a router whose own HTTPS certificate is revoked is refused by
# device-enrol with a clear error. About 30 s.
source "$(dirname "$0")/lib.sh"

# The CRL distribution point written into leaves must be reachable from here: the default,
# https://router.home.arpa:PORT/crl, needs the home DNS (device-enrol falls back to the router's
# /crl then, which unit tests cover).
ROUTER_PORT_OVERRIDE=$(free_port)
start_router router --pair-guard 0 --crl-url "https://127.0.0.1:$ROUTER_PORT_OVERRIDE/crl"
ROOT="$ROUTER_DIR/ca/root.pem"
enrol_device "$WORK/cam" cam
enrol_device "$WORK/printer" printer
for d in cam printer; do
  [ -f "$WORK/$d/crl.pem" ] || fail "pairing $d cached no CRL"
  openssl crl -in "$WORK/$d/crl.pem" -noout -CAfile "$ROOT" 2>&1 | grep -q "verify failure" &&
    fail "the cached CRL of $d does not verify"
done
ok "pairing cached the router's CRL in DIR/crl.pem (fetched on first contact, before any API call)"
"$DEVICE_ENROL" status --out "$WORK/printer" >"$WORK/status0.out"
grep -q "revocation: *certificate [0-9a-f]* is not revoked" "$WORK/status0.out" ||
  fail "status does not report the revocation state: $(cat "$WORK/status0.out")"
ok "status: $(grep revocation: "$WORK/status0.out")"

CAM_FQDN=$(json_get "$WORK/cam/state.json" fqdn)
DEMO_PORT=$(free_port)
"$DEVICE_ENROL" serve-demo --out "$WORK/cam" --listen "127.0.0.1:$DEMO_PORT" >"$WORK/demo.log" 2>&1 &
PIDS+=($!)
# demo_get NAME [curl options]: fetches the demo page as $CAM_FQDN into $WORK/NAME.html; prints
# curl's exit code.
demo_get() {
  local name=$1; shift
  set +e
  curl -sS --max-time 20 --cacert "$ROOT" --resolve "$CAM_FQDN:$DEMO_PORT:127.0.0.1" \
    -o "$WORK/$name.html" "https://$CAM_FQDN:$DEMO_PORT/" "$@" 2>"$WORK/$name.err"
  echo $?
  set -e
}
for _ in $(seq 1 100); do
  [ "$(demo_get probe)" = 0 ] && break
  sleep 0.1
done
[ "$(demo_get anonymous)" = 0 ] || fail "the demo page did not answer: $(cat "$WORK/demo.log")"
grep -q "no client certificate" "$WORK/anonymous.html" || fail "anonymous page: $(cat "$WORK/anonymous.html")"
ok "serve-demo without a client certificate: page served, 'no client certificate'"
[ "$(demo_get printer_before --cert "$WORK/printer/chain.pem" --key "$WORK/printer/key.pem")" = 0 ] ||
  fail "printer's certificate refused before revocation: $(cat "$WORK/printer_before.err")"
grep -q "verified device printer.home.arpa" "$WORK/printer_before.html" ||
  fail "page does not name the verified client: $(cat "$WORK/printer_before.html")"
ok "serve-demo with printer's client certificate (before revocation): 'verified device printer.home.arpa'"

rca revoke printer >"$WORK/revoke.out" || fail "router-ca revoke printer failed"
printer_serial=$(serial_of "$WORK/printer/cert.pem")
set +e
"$DEVICE_ENROL" crl --out "$WORK/printer" >"$WORK/crl_printer.out" 2>&1
code=$?
set -e
[ $code = 9 ] || fail "device-enrol crl for a revoked device gave exit $code: $(cat "$WORK/crl_printer.out")"
grep -q "was REVOKED by the router" "$WORK/crl_printer.out" && grep -q "device-enrol pair" "$WORK/crl_printer.out" ||
  fail "unclear message: $(cat "$WORK/crl_printer.out")"
ok "device-enrol crl on the revoked device: exit 9, '$(cut -c1-110 "$WORK/crl_printer.out")...'"
"$DEVICE_ENROL" status --out "$WORK/printer" >"$WORK/status1.out"
grep -q "revocation: *certificate 0*$printer_serial was REVOKED" "$WORK/status1.out" ||
  fail "status after revocation: $(cat "$WORK/status1.out")"
"$DEVICE_ENROL" status --out "$WORK/printer" --json >"$WORK/status1.json"
[ "$(json_get "$WORK/status1.json" revocation)" = revoked ] || fail "status --json: $(cat "$WORK/status1.json")"
ok "status (from the cached CRL, no network) says REVOKED and what to do; --json revocation=revoked"

"$DEVICE_ENROL" crl --out "$WORK/cam" >"$WORK/crl_cam.out" 2>&1 || fail "crl for cam: $(cat "$WORK/crl_cam.out")"
grep -q "is not revoked" "$WORK/crl_cam.out" || fail "crl for cam: $(cat "$WORK/crl_cam.out")"
for _ in $(seq 1 100); do
  grep -q "reloaded: .*with the CRL" "$WORK/demo.log" && break
  sleep 0.2
done
grep -q "reloaded: .*with the CRL" "$WORK/demo.log" || fail "serve-demo did not reload the new CRL: $(cat "$WORK/demo.log")"
ok "serve-demo reloaded the CRL that device-enrol crl fetched"
# TLS 1.2 for this probe: in TLS 1.3 the server checks the client certificate after the client
# has finished its handshake, so the "certificate revoked" alert may reach curl after it has
# already failed to send its request ("getpeername() failed", seen on loaded machines); in TLS
# 1.2 the alert is part of the handshake (RFC 5246 §7.4.8, §7.2.2), so curl always reports it.
code=$(demo_get printer_after --tls-max 1.2 --cert "$WORK/printer/chain.pem" --key "$WORK/printer/key.pem")
[ "$code" != 0 ] || fail "the revoked printer was served: $(cat "$WORK/printer_after.html")"
grep -qi "revoked" "$WORK/printer_after.err" || fail "refused, but not for revocation: $(cat "$WORK/printer_after.err")"
ok "serve-demo refuses the revoked printer's client certificate (curl exit $code: $(tr -d '\n' <"$WORK/printer_after.err" | cut -c1-90))"
[ "$(demo_get cam_after --cert "$WORK/cam/chain.pem" --key "$WORK/cam/key.pem")" = 0 ] ||
  fail "the good device was refused: $(cat "$WORK/cam_after.err")"
grep -q "verified device $CAM_FQDN" "$WORK/cam_after.html" || fail "page: $(cat "$WORK/cam_after.html")"
ok "serve-demo accepts the good device's client certificate: 'verified device $CAM_FQDN'"

# A router whose HTTPS certificate is revoked. router-ca refuses to revoke its own certificate
# ("the router's own certificate cannot be revoked"), and no device's certificate names the
# router's own address (docs/security.md), so the router is played by openssl s_server at
# 127.0.0.9 with a revoked device leaf for that address -- what someone holding a revoked device's
# key could do where a device told to use that address would look for its router; without the
# CRL check, the pinned root and the IP SAN would let it pass.
enrol_device "$WORK/impostor" impostor --ipv4 127.0.0.9
openssl x509 -in "$WORK/impostor/cert.pem" -noout -ext subjectAltName | grep -q "IP Address:127.0.0.9" ||
  fail "the impostor's certificate does not name 127.0.0.9"
rca revoke impostor >/dev/null || fail "router-ca revoke impostor failed"
impostor_serial=$(serial_of "$WORK/impostor/cert.pem")
FAKE_PORT=$(free_port)
openssl s_server -quiet -www -accept "127.0.0.9:$FAKE_PORT" -cert "$WORK/impostor/cert.pem" \
  -cert_chain "$WORK/impostor/chain.pem" -key "$WORK/impostor/key.pem" >"$WORK/s_server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do
  openssl s_client -connect "127.0.0.9:$FAKE_PORT" </dev/null >/dev/null 2>&1 && break
  sleep 0.1
done
# as_seen_by_cam NAME: a copy of cam's directory whose router is the impostor.
as_seen_by_cam() {
  cp -a "$WORK/cam" "$WORK/$1"
  python3 - "$WORK/$1/state.json" "https://127.0.0.9:$FAKE_PORT" <<'PY'
import json, sys
state = json.load(open(sys.argv[1])); state["router"] = sys.argv[2]
json.dump(state, open(sys.argv[1], "w"))
PY
}
"$DEVICE_ENROL" crl --out "$WORK/cam" >/dev/null 2>&1 || fail "crl for cam failed"
as_seen_by_cam cached
rm -f "$WORK/cam/crl.pem"
as_seen_by_cam first_contact
for d in cached first_contact; do
  set +e
  "$DEVICE_ENROL" renew --out "$WORK/$d" --force >"$WORK/$d.out" 2>&1
  code=$?
  set -e
  [ $code = 4 ] || fail "$d: renewal against a revoked router certificate gave exit $code: $(cat "$WORK/$d.out")"
  grep -q "presents an HTTPS certificate (serial 0*$impostor_serial) that the home CA has revoked" "$WORK/$d.out" ||
    fail "$d: unclear error: $(cat "$WORK/$d.out")"
done
[ -f "$WORK/first_contact/crl.pem" ] || fail "no CRL was fetched on first contact"
ok "a router presenting a revoked HTTPS certificate is refused (exit 4), with the CRL cached and on first contact (CRL fetched from the certificate's distribution point): '$(tail -n 1 "$WORK/first_contact.out" | cut -c1-150)...'"
[ "$(serial_of "$WORK/first_contact/cert.pem")" = "$(serial_of "$WORK/cam/cert.pem")" ] ||
  fail "a refused renewal changed the files"
finish

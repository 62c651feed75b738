#!/usr/bin/env bash
# Intermediate keys encrypted at rest (serve --intermediate-key-secret, docs/ca-keys.md): turning
# the secret on encrypts the existing key in place, rotated keys are written encrypted, openssl
# reads them only with the secret, the daemon enrols as before; a wrong, missing, short or
# world-readable secret stops the start (exit 4) with a clear message. 8 s on this 2-core machine
# beside another test; allow several times that under load (three daemon starts, five refused).
source "$(dirname "$0")/lib.sh"
SECRET="$WORK/secret"
printf 'k3Jx9vQ2mW7pL4tR8nY6bZ1c\n' >"$SECRET"
chmod 600 "$SECRET"

start_router router --pair-guard 0
CA="$ROUTER_DIR/ca"
grep -q "BEGIN PRIVATE KEY" "$CA/intermediate.key.pem" || fail "without the option the key should be plain"
stop_router
ok "without the option the intermediate key is plain PKCS#8 (as before)"

ROUTER_PORT_OVERRIDE=$ROUTER_PORT start_router router --pair-guard 0 --intermediate-key-secret "$SECRET"
grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$CA/intermediate.key.pem" || fail "the key was not encrypted in place"
[ "$(stat -c %a "$CA/intermediate.key.pem")" = 600 ] || fail "the encrypted key is not mode 600"
openssl pkey -in "$CA/intermediate.key.pem" -passin "file:$SECRET" -pubout >"$WORK/int.pub" 2>"$WORK/pkey.err" ||
  fail "openssl cannot read the key with the secret: $(cat "$WORK/pkey.err")"
openssl x509 -in "$CA/intermediate.pem" -noout -pubkey | cmp -s - "$WORK/int.pub" || fail "the encrypted key is not the intermediate's"
if openssl pkey -in "$CA/intermediate.key.pem" -passin pass: -noout 2>/dev/null; then
  fail "openssl read the key without the secret"
fi
ok "the first start with the secret encrypted the key in place: mode 600, openssl reads it only with the secret"

enrol_device "$WORK/nas" nas
rca intermediate rotate >"$WORK/rotate.out" 2>&1 || fail "rotate (root online): $(cat "$WORK/rotate.out")"
enrol_device "$WORK/cam" cam
for key in "$CA"/intermediate.key.pem "$CA"/intermediates/*.key.pem; do
  grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$key" || fail "$key is not encrypted"
  [ "$(stat -c %a "$key")" = 600 ] || fail "$key is not mode 600"
done
[ "$(find "$CA" -name '*.key.pem' ! -name root.key.pem | wc -l)" = 2 ] || fail "unexpected key files: $(find "$CA")"
if find "$CA" -name '*.tmp.*' | grep -q .; then fail "a temporary file was left: $(find "$CA" -name '*.tmp.*')"; fi
verify_chain "$WORK/cam/cert.pem" "$CA/root.pem" "$WORK/cam/chain.pem" >/dev/null || fail "cam does not verify"
rca status >"$WORK/status.out"
stop_router
ok "enrols and rotates with the secret; both intermediate keys on disk are encrypted, mode 600, no temporaries"

# refused_start NAME MESSAGE [serve options]: the daemon must stop at once with exit 4 and MESSAGE.
refused_start() {
  local name=$1 message=$2; shift 2
  set +e
  "$ROUTER_CA" serve --data-dir "$ROUTER_DIR" --listen "127.0.0.1:$(free_port)" \
    --lan-subnet 127.0.0.0/8 --lan-subnet 192.168.0.0/16 --dns-listen none --mdns off "$@" \
    >"$WORK/$name.out" 2>&1
  local code=$?
  set -e
  [ $code = 4 ] || fail "$name: expected exit 4, got $code: $(cat "$WORK/$name.out")"
  grep -q -- "$message" "$WORK/$name.out" || fail "$name: unclear message: $(cat "$WORK/$name.out")"
  ok "$name: exit 4: $(grep -o "$message.*" "$WORK/$name.out" | head -n 1 | cut -c1-110)"
}
printf 'Z9wrongwrongwrongwrong1\n' >"$WORK/wrong"
chmod 600 "$WORK/wrong"
refused_start wrong-secret "cannot decrypt" --intermediate-key-secret "$WORK/wrong"
refused_start no-secret "start with --intermediate-key-secret"
printf 'short\n' >"$WORK/short"
chmod 600 "$WORK/short"
refused_start short-secret "shorter than 16 characters" --intermediate-key-secret "$WORK/short"
cp "$SECRET" "$WORK/open"
chmod 644 "$WORK/open"
refused_start readable-secret "can be read by other users" --intermediate-key-secret "$WORK/open"
refused_start missing-secret "cannot read the intermediate key secret" --intermediate-key-secret "$WORK/nothing"
grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$CA/intermediate.key.pem" || fail "a refused start changed the key"

ROUTER_PORT_OVERRIDE=$ROUTER_PORT start_router router --pair-guard 0 --intermediate-key-secret "$SECRET"
enrol_device "$WORK/tv" tv
"$DEVICE_ENROL" renew --out "$WORK/nas" --force >"$WORK/renew.out" 2>&1 || fail "renew: $(cat "$WORK/renew.out")"
ok "with the right secret again: enrols tv and renews nas"
if grep -q "PRIVATE KEY" "$WORK/router.log"; then fail "a private key reached the log"; fi
ok "no key material in the log"
finish

#!/usr/bin/env bash
# serve-demo picks its certificate by SNI (issue 6), without HQ: a device paired with the real
# router gets a public-looking certificate installed beside its local one (a CA made here with
# openssl stands in for the public CA), and openssl s_client sees the public chain for the public
# name and the local chain for the home name, for an address and without SNI, also for a client
# that prefers Ed25519 (the device's local key is Ed25519, its public one P-256). Replacing the
# public files (as an install does) is picked up without a restart. About 20 s alone, 40 s beside
# another e2e test on a loaded 2-core machine.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sni_lib.sh"
die() { fail "$@"; }  # what harness.sh's wait_until calls
start_router router --pair-guard 1
DEV="$WORK/camera"
PUBLIC_NAME=camera.nifty-babbage.vendor-cert.example
# An Ed25519 device: its public key is P-256 (public CAs issue no Ed25519 certificates), so the
# server holds keys of two types, and SNI alone must decide which is sent.
enrol_device "$DEV" Camera --key-type ed25519
ok "device-enrol pair: local certificate (Ed25519) for camera.home.arpa"

# --- a stand-in public CA (root + intermediate), as Pebble's chain is shaped ------------------
ca() {
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -subj "/CN=Stand-in Public Root" -keyout "$WORK/proot.key" -out "$WORK/proot.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=Stand-in Public Issuer" \
    -keyout "$WORK/pint.key" -out "$WORK/pint.csr" 2>/dev/null
  printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n' >"$WORK/pint.ext"
  openssl x509 -req -in "$WORK/pint.csr" -CA "$WORK/proot.pem" -CAkey "$WORK/proot.key" \
    -CAcreateserial -days 30 -extfile "$WORK/pint.ext" -out "$WORK/pint.pem" 2>/dev/null
}
# public_leaf TAG: a leaf for the public name in $WORK/TAG.{key,pem,chain.pem}.
public_leaf() {
  local tag=$1
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$PUBLIC_NAME" \
    -keyout "$WORK/$tag.key" -out "$WORK/$tag.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$PUBLIC_NAME" >"$WORK/$tag.ext"
  openssl x509 -req -in "$WORK/$tag.csr" -CA "$WORK/pint.pem" -CAkey "$WORK/pint.key" \
    -CAcreateserial -days 30 -extfile "$WORK/$tag.ext" -out "$WORK/$tag.pem" 2>/dev/null
  cat "$WORK/$tag.pem" "$WORK/pint.pem" >"$WORK/$tag.chain.pem"
}
# install_public TAG: the three files as device-enrol installs them (key 0600), each renamed in.
install_public() {
  local tag=$1
  install -m 600 "$WORK/$tag.key" "$DEV/.public-key.new" && mv "$DEV/.public-key.new" "$DEV/public-key.pem"
  install -m 644 "$WORK/$tag.pem" "$DEV/.public-cert.new" && mv "$DEV/.public-cert.new" "$DEV/public-cert.pem"
  install -m 644 "$WORK/$tag.chain.pem" "$DEV/.public-chain.new" && mv "$DEV/.public-chain.new" "$DEV/public-chain.pem"
}
ca
public_leaf first
public_leaf second

expect_local() { expect_served "$DEMO_PORT" "$1" "$DEV/cert.pem" "$DEV/root.pem"; }
expect_public() { expect_served "$DEMO_PORT" "$1" "$WORK/$2.pem" "$WORK/proot.pem"; }

# --- without a public certificate, every name gets the local one -----------------------------
DEMO_PORT=$(free_port)
"$DEVICE_ENROL" serve-demo --out "$DEV" --listen "127.0.0.1:$DEMO_PORT" >"$WORK/demo.log" 2>&1 &
DEMO_PID=$!
PIDS+=("$DEMO_PID")
wait_until 20 "serve-demo" "$DEMO_PID" grep -q "serving https://" "$WORK/demo.log"
expect_local "$PUBLIC_NAME"
ok "no public certificate installed: SNI $PUBLIC_NAME gets the local certificate"

# --- installed beside the local one: SNI chooses ----------------------------------------------
install_public first
wait_until 20 "serve-demo" "$DEMO_PID" grep -q "get public certificate" "$WORK/demo.log"
ok "serve-demo reloaded: $(grep "get public certificate" "$WORK/demo.log" | tail -n 1)"
expect_public "$PUBLIC_NAME" first
ok "SNI $PUBLIC_NAME: the public leaf and chain, verifying against the stand-in public root"
expect_public "CAMERA.Nifty-Babbage.vendor-cert.example" first
ok "SNI in other letter case: the public certificate too (DNS names ignore case, RFC 4343)"
S_CLIENT_EXTRA=(-sigalgs ed25519:ecdsa_secp256r1_sha256)
expect_public "$PUBLIC_NAME" first
expect_local camera.home.arpa
S_CLIENT_EXTRA=()
ok "a client that prefers Ed25519 still gets the P-256 public certificate for $PUBLIC_NAME (and the Ed25519 local one for camera.home.arpa)"
for sni in camera.home.arpa "" other.nifty-babbage.vendor-cert.example; do
  expect_local "$sni"
  ok "SNI '${sni:-none}': the local chain, verifying against the home root"
done

curl -sf --cacert "$WORK/proot.pem" --resolve "$PUBLIC_NAME:$DEMO_PORT:127.0.0.1" \
  "https://$PUBLIC_NAME:$DEMO_PORT/" -o "$WORK/page.html" || fail "curl with the public root could not fetch the page"
curl -sf --cacert "$DEV/root.pem" --resolve "camera.home.arpa:$DEMO_PORT:127.0.0.1" \
  "https://camera.home.arpa:$DEMO_PORT/" -o /dev/null || fail "curl with the home root could not fetch the page"
ok "curl trusting only the public root reaches https://$PUBLIC_NAME/, trusting only the home root https://camera.home.arpa/"

# --- a renewed public certificate is picked up without a restart ------------------------------
reloads=$(grep -c "get public certificate" "$WORK/demo.log")
install_public second
wait_until 20 "serve-demo" "$DEMO_PID" bash -c "[ \$(grep -c 'get public certificate' '$WORK/demo.log') -gt $reloads ]"
expect_public "$PUBLIC_NAME" second
expect_local camera.home.arpa
ok "after the public files were replaced: SNI $PUBLIC_NAME gets the new public certificate, the home name still the local one"

# --- a public key that does not go with its certificate is refused, the old server stays -------
install -m 600 "$WORK/first.key" "$DEV/.k" && mv "$DEV/.k" "$DEV/public-key.pem"
wait_until 20 "serve-demo" "$DEMO_PID" grep -q "do not go together" "$WORK/demo.log"
expect_public "$PUBLIC_NAME" second
ok "a mismatched public-key.pem is not loaded: $(grep "not reloading" "$WORK/demo.log" | tail -n 1)"
finish

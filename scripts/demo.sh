#!/usr/bin/env bash
# The newcomer's demo: installs what is needed, builds, starts router-ca on its embedded defaults
# (SQLite and the CA in ./demo-data, HTTPS on loopback), enrols one device with a button press,
# serves a small HTTPS page with the device's certificate, and prints what to open.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target router-ca device-enrol

ROUTER_CA=build/router-ca/cli/router-ca
DEVICE_ENROL=build/device-enrol/device-enrol
DATA=demo-data
PORT=${ROUTER_CA_PORT:-8443}
DEVICE_PORT=${DEVICE_PORT:-8444}
mkdir -p "$DATA"

echo
echo "note: the demo runs on loopback, so it passes 127.0.0.0/8 as a LAN subnet beside the private"
echo "      ranges: the root's name constraints must include an address for the router's and the"
echo "      device's certificates to name it. On a real router the LAN is already a private range."
echo
"$ROUTER_CA" serve --data-dir "$DATA/router" --listen "127.0.0.1:$PORT" \
  --lan-subnet 127.0.0.0/8 --lan-subnet 10.0.0.0/8 --lan-subnet 172.16.0.0/12 \
  --lan-subnet 192.168.0.0/16 >"$DATA/router.log" 2>&1 &
ROUTER_PID=$!
DEVICE_PID=""
trap 'kill $ROUTER_PID $DEVICE_PID 2>/dev/null; wait 2>/dev/null; echo; echo "demo stopped (state kept in $DATA)"' EXIT

for _ in $(seq 1 100); do
  curl -sf --cacert "$DATA/router/ca/root.pem" "https://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 $ROUTER_PID 2>/dev/null || { cat "$DATA/router.log"; exit 1; }
  sleep 0.1
done
FINGERPRINT=$(openssl x509 -in "$DATA/router/ca/root.pem" -outform DER | sha256sum | cut -d' ' -f1)

if [ ! -f "$DATA/device/state.json" ]; then
  echo "== pressing the router's pairing button: router-ca pair"
  "$ROUTER_CA" pair --data-dir "$DATA/router"
  echo "== the device enrols: device-enrol pair (its key is made here and never leaves it)"
  "$DEVICE_ENROL" pair --router "https://127.0.0.1:$PORT" --out "$DATA/device" --name demo \
    --ca-fingerprint "$FINGERPRINT"
fi
"$DEVICE_ENROL" serve-demo --out "$DATA/device" --listen "127.0.0.1:$DEVICE_PORT" \
  >"$DATA/device.log" 2>&1 &
DEVICE_PID=$!
FQDN=$(python3 -c 'import json; print(json.load(open("'"$DATA/device/state.json"'"))["fqdn"])')
for _ in $(seq 1 50); do
  curl -sf --cacert "$DATA/router/ca/root.pem" --resolve "$FQDN:$DEVICE_PORT:127.0.0.1" \
    "https://$FQDN:$DEVICE_PORT/" >/dev/null 2>&1 && break
  sleep 0.1
done

cat <<INFO

================================================================================
 router-ca is running.
   router API:       https://127.0.0.1:$PORT   (router.home.arpa)
   root certificate: $DATA/router/ca/root.pem   (also https://127.0.0.1:$PORT/ca/root.crt)
   root SHA-256:     $FINGERPRINT
   enrolled device:  $FQDN, files in $DATA/device/
   device's page:    https://$FQDN:$DEVICE_PORT/

 Check it with curl (trusting only the home root; the name resolves to loopback):
   curl --cacert $DATA/router/ca/root.pem --resolve $FQDN:$DEVICE_PORT:127.0.0.1 https://$FQDN:$DEVICE_PORT/

 Open it in a browser: import $DATA/router/ca/root.pem as a certificate authority, then
   chromium --host-resolver-rules="MAP *.home.arpa 127.0.0.1" https://$FQDN:$DEVICE_PORT/

 More: $ROUTER_CA devices --data-dir $DATA/router   |   $ROUTER_CA status --data-dir $DATA/router
 Press Ctrl-C to stop.
================================================================================
INFO
curl -s --cacert "$DATA/router/ca/root.pem" --resolve "$FQDN:$DEVICE_PORT:127.0.0.1" \
  "https://$FQDN:$DEVICE_PORT/" | sed -e 's/<[^>]*>//g' | grep -v '^\s*$' | head -n 8 | sed 's/^/   page says: /'
wait $ROUTER_PID

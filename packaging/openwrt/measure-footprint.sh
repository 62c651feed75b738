#!/usr/bin/env bash
# measure-footprint.sh: the figures docs/openwrt.md and docs/benchmarks.md give for the router
# build: a router-ca binary's stripped size, its memory idle and holding N devices, and its data
# folder with 10 devices, with N, and after a flood of FLOOD unauthenticated enrolment requests
# (small CSRs, from eight loopback addresses; issue 14's flash budget).
#
#   packaging/openwrt/measure-footprint.sh ROUTER_CA_BINARY [DEVICES]     (default 1000)
#   env: FLOOD (default 3000)
#
# The daemon runs on loopback with its data in a temporary folder, mDNS off, DNS on a free port.
# Devices are made through the real API: one P-256 CSR each (python3-cryptography), POST
# /api/v1/enrolments outside a pairing window, each from its own loopback address (the address
# its certificate names), then `approve` over the control socket (what `router-ca approve`
# sends), so N devices cost N issuances and no waiting for windows. Bounded:
# the enrolment loop stops after 15 minutes. Memory is read from /proc/PID/status.
set -euo pipefail

BINARY=${1:?usage: measure-footprint.sh ROUTER_CA_BINARY [DEVICES]}
DEVICES=${2:-1000}
SETTLE=${SETTLE:-3}
FLOOD=${FLOOD:-3000}
[[ "$FLOOD" =~ ^[0-9]+$ && "$FLOOD" -le 100000 ]] || { echo "FLOOD must be 0..100000" >&2; exit 2; }
[[ "$DEVICES" =~ ^[0-9]+$ && "$DEVICES" -le 20000 ]] || { echo "DEVICES must be 0..20000" >&2; exit 2; }
for tool in python3 strip gzip curl; do
  command -v "$tool" >/dev/null || { echo "measure-footprint: $tool is not installed" >&2; exit 1; }
done
python3 -c 'import cryptography' 2>/dev/null ||
  { echo "measure-footprint: python3-cryptography is not installed (apt-get install python3-cryptography)" >&2; exit 1; }

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../../scripts/lib/harness.sh
source "$ROOT/scripts/lib/harness.sh"
harness_init rca-footprint

status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
data_size() {
  echo "data folder $1: $(du -sk "$DATA" | cut -f1) KiB ($(cd "$DATA" && ls -l router-ca.db* | awk '{ printf "%s %s bytes; ", $9, $5 }'))"
}
memory() {
  echo "$1: VmRSS $(status_kb "$PID" VmRSS) kB, RssAnon $(status_kb "$PID" RssAnon) kB," \
    "VmHWM $(status_kb "$PID" VmHWM) kB, threads $(status_kb "$PID" Threads)"
}

strip -o "$WORK/router-ca" "$BINARY"
echo "binary: $(stat -c %s "$WORK/router-ca") bytes stripped, $(gzip -9c "$WORK/router-ca" | wc -c) gzip -9"
echo "links: $(ldd "$BINARY" | awk '{ print $1 }' | grep -v -e linux-vdso -e ld-linux | tr '\n' ' ')"

PORT=$(free_port)
DATA="$WORK/data"
"$BINARY" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" --lan-subnet 127.0.0.0/8 \
  --dns-listen "127.0.0.1:$(free_port)" --mdns off >"$WORK/daemon.log" 2>&1 &
PID=$!
PIDS+=("$PID")
for _ in $(seq 1 100); do
  [ -f "$DATA/ca/root.pem" ] && curl -sf --cacert "$DATA/ca/root.pem" "https://127.0.0.1:$PORT/healthz" >/dev/null && break
  kill -0 "$PID" 2>/dev/null || { echo "router-ca exited: $(tail -n 3 "$WORK/daemon.log")" >&2; exit 1; }
  sleep 0.1
done
sleep "$SETTLE"
memory "idle"

data_size "fresh"
start=$(date +%s)
cat >"$WORK/enrol.py" <<'PY'
import http.client, json, socket, ssl, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

port, data, first, end = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
context = ssl.create_default_context(cafile=data + "/ca/root.pem")

def control(command):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(data + "/control.sock")
        s.sendall((json.dumps(command) + "\n").encode())
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    answer = json.loads(reply)
    if not answer.get("ok"):
        raise SystemExit("control %s: %s" % (command, answer))
    return answer

for i in range(first, end):
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "device")]))
           .sign(key, hashes.SHA256()))
    body = json.dumps({"csr": csr.public_bytes(serialization.Encoding.PEM).decode(),
                       "name": "device-%05d" % i})
    # A device's address is its connection's source (docs/security.md): each device connects
    # from an address of its own in 127.0.0.0/8, away from the router's 127.0.0.1.
    source = "127.%d.%d.%d" % (10 + (i >> 16), i >> 8 & 255, i & 255)
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context,
                                       source_address=(source, 0))
    conn.request("POST", "/api/v1/enrolments", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    answer = json.loads(response.read())
    conn.close()
    if response.status != 202:
        raise SystemExit("POST %d: %s" % (response.status, answer))
    control({"cmd": "approve", "id": answer["id"]})
PY
first=$((DEVICES < 10 ? DEVICES : 10))
timeout 900 python3 "$WORK/enrol.py" "$PORT" "$DATA" 0 "$first"
data_size "with $first devices"
timeout 900 python3 "$WORK/enrol.py" "$PORT" "$DATA" "$first" "$DEVICES"
elapsed=$(($(date +%s) - start))
devices=$("$BINARY" status --json --data-dir "$DATA" | python3 -c 'import json,sys; print(json.load(sys.stdin)["devices"])')
echo "enrolled $DEVICES devices in ${elapsed} s; status reports $devices devices (the router's own included)"
sleep "$SETTLE"
memory "with $DEVICES devices"
data_size "with $DEVICES devices"

# The flood: FLOOD requests, never approved, from eight source addresses (one keep-alive
# connection each).
start=$(date +%s)
timeout 900 python3 - "$PORT" "$DATA" "$FLOOD" <<'PY'
import http.client, json, ssl, sys, threading
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

port, data, total = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
key = ec.generate_private_key(ec.SECP256R1())
csr = (x509.CertificateSigningRequestBuilder()
       .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "flood")]))
       .sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode())
body = json.dumps({"csr": csr, "name": "flood"})

def flood(n, count):
    context = ssl.create_default_context(cafile=data + "/ca/root.pem")
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context,
                                       source_address=("127.0.0.%d" % n, 0))
    for _ in range(count):
        conn.request("POST", "/api/v1/enrolments", body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        if response.status != 202:
            raise SystemExit("flood POST: %d" % response.status)

threads = [threading.Thread(target=flood, args=(n, total // 8)) for n in range(2, 10)]
for t in threads: t.start()
for t in threads: t.join()
PY
echo "flooded with $((FLOOD / 8 * 8)) requests in $(($(date +%s) - start)) s"
sleep "$SETTLE"
memory "after the flood"
data_size "after the flood"

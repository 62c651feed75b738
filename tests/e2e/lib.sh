#!/usr/bin/env bash
# Shared helpers for end-to-end tests: each test starts the real daemon on a free loopback port in
# its own temporary folder and talks to it with real peers (curl, openssl, device-enrol).
# Environment (set by CTest): ROUTER_CA and DEVICE_ENROL, the binaries under test.
set -euo pipefail

: "${ROUTER_CA:?set ROUTER_CA to the router-ca binary}"
: "${DEVICE_ENROL:?set DEVICE_ENROL to the device-enrol binary}"
for tool in curl openssl python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh installs it)"; exit 1; }
done

source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/harness.sh"
harness_init rca-e2e
CHECKS=0

fail() { echo "FAIL: $*"; exit 1; }
ok() { CHECKS=$((CHECKS + 1)); echo "ok $CHECKS - $*"; }

# json_get FILE KEY: prints a top-level string/number field of a JSON document.
json_get() {
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2], ""); print(v)' "$1" "$2"
}

# start_router NAME [serve options...]: starts router-ca with data in $WORK/NAME on a free port
# (127.0.0.0/8 passed as a LAN subnet, as the embedded demo does, so loopback is inside the root's
# constraints). Sets ROUTER_URL, ROUTER_DIR, ROUTER_PID, ROUTER_PORT, ROUTER_DNS_PORT. It listens
# on 127.0.0.1, which is then one of the router's own addresses: a device that needs an address
# in its certificate connects from another one (device-enrol --ipv4 127.0.0.N, curl --interface).
# lan_lib.sh sets ROUTER_LISTEN_HOST and ROUTER_HOST for a router on a LAN of namespaces.
start_router() {
  local name=$1; shift
  ROUTER_DIR="$WORK/$name"
  ROUTER_PORT=${ROUTER_PORT_OVERRIDE:-$(free_port)}
  ROUTER_URL="https://${ROUTER_HOST:-127.0.0.1}:$ROUTER_PORT"
  ROUTER_DNS_PORT=${ROUTER_DNS_PORT_OVERRIDE:-$(free_port)}
  # Tests run in parallel: each router gets its own DNS port, and mDNS stays off unless a test
  # (in its own network namespace) turns it on.
  "$ROUTER_CA" serve --data-dir "$ROUTER_DIR" --listen "${ROUTER_LISTEN_HOST:-127.0.0.1}:$ROUTER_PORT" \
    --lan-subnet 127.0.0.0/8 --lan-subnet 192.168.0.0/16 \
    --dns-listen "127.0.0.1:$ROUTER_DNS_PORT" --mdns off "$@" >>"$WORK/$name.log" 2>&1 &
  ROUTER_PID=$!
  PIDS+=("$ROUTER_PID")
  # E2E_START_SECONDS: longer for a daemon under qemu-user (scripts/cross-test.sh).
  for _ in $(seq 1 $((${E2E_START_SECONDS:-10} * 10))); do
    if [ -f "$ROUTER_DIR/ca/root.pem" ] &&
       curl -sf --cacert "$ROUTER_DIR/ca/root.pem" "$ROUTER_URL/healthz" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$ROUTER_PID" 2>/dev/null || fail "router-ca exited at start: $(tail -n 5 "$WORK/$name.log")"
    sleep 0.1
  done
  fail "router-ca did not answer on $ROUTER_URL within ${E2E_START_SECONDS:-10} s"
}

stop_router() {
  kill -TERM "$ROUTER_PID"
  wait "$ROUTER_PID" || fail "router-ca did not exit cleanly on SIGTERM"
}

rca() { "$ROUTER_CA" "$@" --data-dir "$ROUTER_DIR"; }

# api METHOD PATH [curl args...]: calls the router's API; the body goes to $WORK/body, the status
# code to stdout.
api() {
  local method=$1 path=$2; shift 2
  curl -s -o "$WORK/body" -w '%{http_code}' --cacert "$ROUTER_DIR/ca/root.pem" -X "$method" \
    "$ROUTER_URL$path" "$@"
}

# make_csr FILE KEYSPEC: a CSR made by openssl (KEYSPEC: ec:P-256, ec:P-521, rsa:1024, ed25519).
make_csr() {
  local out=$1 spec=$2 key="$1.key"
  case "$spec" in
    ec:*) openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:${spec#ec:}" -out "$key" 2>/dev/null ;;
    rsa:*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${spec#rsa:}" -out "$key" 2>/dev/null ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$key" 2>/dev/null ;;
  esac
  openssl req -new -key "$key" -subj "/CN=device" -out "$out" 2>/dev/null
}

# enrolment_body CSRFILE [HINT]: the JSON body of POST /api/v1/enrolments.
enrolment_body() {
  python3 -c 'import json,sys; d={"csr": open(sys.argv[1]).read()}; d.update({"name": sys.argv[2]} if len(sys.argv) > 2 else {}); print(json.dumps(d))' "$@"
}

finish() { echo "$CHECKS passed, 0 failed"; }

root_fingerprint() { openssl x509 -in "$ROUTER_DIR/ca/root.pem" -outform DER | sha256sum | cut -d' ' -f1; }

# enrol_device DIR HINT [extra device-enrol options]: opens the window and pairs one device.
enrol_device() {
  local dir=$1 hint=$2; shift 2
  rca pair >/dev/null
  "$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$dir" --name "$hint" \
    --ca-fingerprint "$(root_fingerprint)" --timeout 30 "$@" >>"$WORK/device.log" 2>&1 ||
    fail "device-enrol pair failed for $hint: $(tail -n 3 "$WORK/device.log")"
}

serial_of() { openssl x509 -in "$1" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^0*//'; }

# fetch_crl: GET /crl, trusting only the root, into $WORK/crl.der and as `openssl crl -text` into
# $WORK/crl.txt, which crl_number and crl_reason read.
fetch_crl() {
  curl -sf --cacert "$ROUTER_DIR/ca/root.pem" "$ROUTER_URL/crl" -o "$WORK/crl.der" ||
    fail "GET /crl failed"
  openssl crl -inform DER -in "$WORK/crl.der" -noout -text >"$WORK/crl.txt" ||
    fail "the CRL does not parse as DER"
}

# crl_number: the fetched CRL's cRLNumber (RFC 5280 5.2.3), as OpenSSL prints it (decimal).
crl_number() { sed -n '/X509v3 CRL Number:/{n;s/ //gp}' "$WORK/crl.txt"; }

# crl_reason SERIAL: the reasonCode of SERIAL's entry (SERIAL as serial_of prints it) in the
# fetched CRL, as OpenSSL names it ("Key Compromise"), or "none" for an entry without one; fails
# when SERIAL is not listed.
crl_reason() {
  python3 - "$WORK/crl.txt" "$1" <<'PY'
import re, sys
entries = re.split(r"\n\s*Serial Number: ", open(sys.argv[1]).read())[1:]
for entry in entries:
    if entry.split("\n", 1)[0].strip().lower().lstrip("0") == sys.argv[2]:
        reason = re.search(r"X509v3 CRL Reason Code:\s*\n\s*(.+)", entry)
        print(reason.group(1).strip() if reason else "none")
        sys.exit(0)
sys.exit(1)
PY
}

# verify_chain CERT ROOT CHAIN: openssl verify with the chain's second certificate as untrusted.
verify_chain() {
  local cert=$1 root=$2 chain=$3
  python3 - "$chain" "$WORK/untrusted.pem" <<'PY'
import sys
text = open(sys.argv[1]).read()
blocks = text.split("-----END CERTIFICATE-----")
open(sys.argv[2], "w").write("".join(b + "-----END CERTIFICATE-----\n" for b in blocks[1:] if "BEGIN" in b))
PY
  openssl verify -CAfile "$root" -untrusted "$WORK/untrusted.pem" "$cert"
}

# forge_leaf NAME SAN EKU [CA_PEM CA_KEY]: a leaf a thief of the router's intermediate key could
# sign: made by openssl with the key the daemon made ($ROUTER_DIR/ca/intermediate.key.pem unless
# given), built like a valid leaf (basicConstraints, keyUsage, key ids) with the subjectAltName
# and extendedKeyUsage given. Writes $WORK/NAME.pem and $WORK/NAME.key. The CN is not a host
# name, so only the SAN is judged.
forge_leaf() {
  local name=$1 san=$2 eku=$3
  local ca=${4:-$ROUTER_DIR/ca/intermediate.pem} ca_key=${5:-$ROUTER_DIR/ca/intermediate.key.pem}
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/$name.key" \
    -subj "/CN=forged $name" -out "$WORK/$name.csr" 2>/dev/null || fail "CSR for $name"
  printf '%s\n' "subjectAltName=$san" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=$eku" \
    "authorityKeyIdentifier=keyid" "subjectKeyIdentifier=hash" >"$WORK/$name.ext"
  openssl x509 -req -in "$WORK/$name.csr" -CA "$ca" -CAkey "$ca_key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 30 -extfile "$WORK/$name.ext" \
    -out "$WORK/$name.pem" 2>/dev/null || fail "signing $name"
}

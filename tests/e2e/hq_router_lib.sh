#!/usr/bin/env bash
# Shared by the router's HQ tests (hq_link_test.sh, hq_public_certificates_test.sh): Pebble, hq
# and the router from public_lib.sh, and helpers that read the router's DNS, status and TLS.
# Environment (set by CTest): ROUTER_CA, DEVICE_ENROL, HQ.
source "$(dirname "${BASH_SOURCE[0]}")/public_lib.sh"  # Pebble, hq, the router; public_member, wait_registered
command -v kdig >/dev/null || fail "kdig is not installed (scripts/setup.sh installs knot-dnsutils)"

q() { kdig @127.0.0.1 -p "$ROUTER_DNS_PORT" +timeout=2 +retry=0 "$@"; }
short() { q "$@" +short | tr '\n' ' ' | sed 's/ $//'; }
status_of() { q "$@" | sed -n 's/.*status: \([A-Z]*\).*/\1/p'; }
# presented NAME OUT: the chain the router presents to a client asking for NAME by SNI.
presented() {
  openssl s_client -connect "127.0.0.1:$ROUTER_PORT" -servername "$1" -showcerts </dev/null \
    2>/dev/null | sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' >"$2"
  [ -s "$2" ]
}
wait_for() {  # wait_for SECONDS WHAT CMD...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  fail "$what within $seconds s: $(cat "$WORK/status.json" 2>/dev/null)"
}

# make_public_csr FILE NAME: an EC key FILE.key and an openssl CSR naming NAME (CN and SAN).
make_public_csr() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
  openssl req -new -key "$1.key" -subj "/CN=$2" -addext "subjectAltName=DNS:$2" -out "$1" 2>/dev/null
}
csr_json() { python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read()}))' "$1"; }
installed() { [ "$(public_member router_certificate state)" = installed ]; }
hq_short() { kdig @127.0.0.1 -p "$HQ_DNS_PORT" +timeout=2 +retry=0 +short "$@"; }

# start_registered_router: Pebble, hq, and a router with --hq-url (LAN address 192.168.1.1) that
# has registered its home. Sets HOME_NAME and HOME_ZONE.
start_registered_router() {
  start_pebble_for_hq
  start_hq hq
  hq_link_args
  start_router router --pair-guard 0 --router-address 192.168.1.1 "${HQ_LINK_ARGS[@]}"
  wait_registered 30
}

#!/usr/bin/env bash
# Shared by HQ's end-to-end tests: hq on loopback with its data in a throwaway folder, and the
# real Pebble (Let's Encrypt's test CA, Debian's package) validating DNS-01 against hq's own DNS.
# Environment (set by CTest): HQ, the binary under test.
set -euo pipefail

: "${HQ:?set HQ to the hq binary}"
for tool in curl openssl python3 kdig pebble; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh installs it)"; exit 1; }
done

source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/harness.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../../bench/pebble_lib.sh"  # make_pebble_tls
harness_init hq-e2e
CHECKS=0
ZONE=vendor-cert.test

fail() { echo "FAIL: $*"; exit 1; }
die() { fail "$@"; }  # what harness.sh and bench/pebble_lib.sh call
ok() { CHECKS=$((CHECKS + 1)); echo "ok $CHECKS - $*"; }
finish() { echo "$CHECKS passed, 0 failed"; }

# json_get FILE KEY: a top-level member of a JSON document ("" when absent).
json_get() {
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2], ""); print(v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
}

# start_pebble_for_hq: Pebble with its own TLS certificate (Debian ships none) and its management
# port, validating DNS-01 by asking HQ_DNS_PORT (chosen here, before hq starts). Sets PB,
# P_DIRECTORY, P_MGMT, PEBBLE_PID, HQ_DNS_PORT. Extra environment for pebble may be passed in
# PEBBLE_ENV (e.g. PEBBLE_WFE_NONCEREJECT=50).
start_pebble_for_hq() {
  PB="$WORK/pebble"
  make_pebble_tls "$PB"
  local port mgmt_port
  port=$(free_port)
  mgmt_port=$(free_port)
  HQ_DNS_PORT=$(free_port)
  P_DIRECTORY="https://127.0.0.1:$port/dir"
  P_MGMT="https://127.0.0.1:$mgmt_port"
  # httpPort/tlsPort are unused (DNS-01 only) but must be set; free ports keep parallel tests apart.
  cat >"$PB/pebble.json" <<JSON
{
  "pebble": {
    "listenAddress": "127.0.0.1:$port",
    "managementListenAddress": "127.0.0.1:$mgmt_port",
    "certificate": "$PB/cert.pem",
    "privateKey": "$PB/key.pem",
    "httpPort": $(free_port),
    "tlsPort": $(free_port),
    "ocspResponderURL": "",
    "externalAccountBindingRequired": false
  }
}
JSON
  # PEBBLE_VA_NOSLEEP: no artificial random validation delay; PEBBLE_WFE_NONCEREJECT=0 unless the
  # test asks for rejected nonces on purpose; PEBBLE_AUTHZREUSE=0: every order is validated anew,
  # so each one really goes through hq's DNS.
  env PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 ${PEBBLE_ENV:-} \
    pebble -config "$PB/pebble.json" -dnsserver "127.0.0.1:$HQ_DNS_PORT" >>"$WORK/pebble.log" 2>&1 &
  PEBBLE_PID=$!
  PIDS+=("$PEBBLE_PID")
  pebble_up() { curl -sf --cacert "$PB/ca.pem" "$P_DIRECTORY" >/dev/null; }
  wait_until 30 "pebble" "$PEBBLE_PID" pebble_up
}

# Every test's requests come from 127.0.0.1 and some poll many orders at once (wait_all_issued):
# the per-source limit is raised out of their way, except in the test of the limit itself, which
# passes its own --source-rate/--source-burst (a later option wins).
HQ_SOURCE_LIMIT="--source-rate 600000 --source-burst 10000"

# start_hq NAME [serve options...]: hq with data in $WORK/NAME, API on HQ_PORT (chosen once, so a
# restart reuses it), DNS on HQ_DNS_PORT. Sets HQ_URL, HQ_DIR, HQ_PID.
start_hq() {
  local name=$1; shift
  HQ_DIR="$WORK/$name"
  HQ_PORT=${HQ_PORT:-$(free_port)}
  HQ_DNS_PORT=${HQ_DNS_PORT:-$(free_port)}
  HQ_URL="http://127.0.0.1:$HQ_PORT"
  # The store `hq routers` writes to (make_router_credential): this instance's.
  HQ_STORE_ARGS=(--data-dir "$HQ_DIR")
  local args=("$@") i
  for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
      --db) HQ_STORE_ARGS+=(--db "${args[i + 1]}") ;;
      --db=*) HQ_STORE_ARGS+=("${args[i]}") ;;
    esac
  done
  "$HQ" serve --data-dir "$HQ_DIR" --zone "$ZONE" --listen "127.0.0.1:$HQ_PORT" \
    --dns-listen "127.0.0.1:$HQ_DNS_PORT" --acme-directory "${P_DIRECTORY:-https://127.0.0.1:9/dir}" \
    --acme-ca-file "${PB:-$WORK}/ca.pem" $HQ_SOURCE_LIMIT "$@" >>"$WORK/$name.log" 2>&1 &
  HQ_PID=$!
  PIDS+=("$HQ_PID")
  hq_up() { curl -sf "$HQ_URL/healthz" >/dev/null; }
  wait_until 20 "hq" "$HQ_PID" hq_up
}

# hq_api METHOD PATH [curl args...]: calls hq's API; the body goes to $WORK/body, the status to
# stdout. `api` is the same in HQ's own tests; tests that also start a router get the router's
# `api` from tests/e2e/lib.sh and keep this one as hq_api.
hq_api() {
  local method=$1 path=$2; shift 2
  curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" "$HQ_URL$path" "$@"
}
api() { hq_api "$@"; }

# make_router_credential ID: the one way tests make a router of the factory's list (docs/hq.md,
# "Router credentials"): a secret of 128 random bits, "ID:SECRET" in $WORK/routers/ID.credential
# (mode 0600, the file router-ca's --hq-credential-file reads), and "ID SHA256" imported with
# `hq routers import` into the store of the last start_hq (HQ_STORE_ARGS). Made once per ID.
# Sets ROUTER_ID, ROUTER_SECRET, ROUTER_CREDENTIAL_FILE.
make_router_credential() {
  ROUTER_ID=$1
  ROUTER_CREDENTIAL_FILE="$WORK/routers/$1.credential"
  if [ -f "$ROUTER_CREDENTIAL_FILE" ]; then
    ROUTER_SECRET=$(cut -d: -f2 "$ROUTER_CREDENTIAL_FILE")
    return 0
  fi
  mkdir -p "$WORK/routers"
  ROUTER_SECRET=$(openssl rand -hex 16)
  (umask 077 && printf '%s:%s\n' "$1" "$ROUTER_SECRET" >"$ROUTER_CREDENTIAL_FILE")
  printf '%s %s\n' "$1" "$(printf '%s' "$ROUTER_SECRET" | sha256sum | cut -d' ' -f1)" >"$WORK/routers/$1.list"
  "$HQ" routers import "$WORK/routers/$1.list" "${HQ_STORE_ARGS[@]}" >>"$WORK/routers.log" 2>&1 ||
    fail "hq routers import $1: $(tail -n 3 "$WORK/routers.log")"
}

# reimport_router_credentials: imports every router make_router_credential made into the store of
# the last start_hq again, as an operator restores the factory's lists into a new database.
reimport_router_credentials() {
  local list
  for list in "$WORK"/routers/*.list; do
    "$HQ" routers import "$list" "${HQ_STORE_ARGS[@]}" >>"$WORK/routers.log" 2>&1 ||
      fail "hq routers import $list: $(tail -n 3 "$WORK/routers.log")"
  done
}

# register TOKEN ADDRESS [ROUTER_ID]: POST /v1/homes with the credential of ROUTER_ID (default:
# one router per token, as in the field: a router holds one home); sets HOME_NAME, HOME_ZONE,
# CREDENTIAL.
register() {
  local status
  make_router_credential "${3:-router-${1:0:12}}"
  status=$(hq_api POST /v1/homes -H 'Content-Type: application/json' -u "$ROUTER_ID:$ROUTER_SECRET" \
    -d "{\"token\": \"$1\", \"address\": \"$2\"}")
  case "$status" in 200|201) ;; *) fail "POST /v1/homes answered $status: $(cat "$WORK/body")" ;; esac
  # One python3 for the three members: its start-up is most of a check's time on a loaded machine.
  read -r HOME_NAME HOME_ZONE CREDENTIAL < <(python3 -c \
    'import json,sys; d=json.load(open(sys.argv[1])); print(d["home"], d["zone"], d["credential"])' "$WORK/body")
}

new_token() { openssl rand -hex 16; }

# make_csr FILE SUBJECT [SAN]: an EC P-256 key FILE.key and a CSR made by openssl.
make_csr() {
  local out=$1 subject=$2 san=${3:-}
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out.key" 2>/dev/null
  if [ -n "$san" ]; then
    openssl req -new -key "$out.key" -subj "$subject" -addext "subjectAltName=$san" -out "$out" 2>/dev/null
  else
    openssl req -new -key "$out.key" -subj "$subject" -out "$out" 2>/dev/null
  fi
}

# csr_body FILE: {"csr": "<PEM>"}.
csr_body() { python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read()}))' "$1"; }

# order_certificate CSRFILE: POST the CSR for HOME_NAME; sets ORDER_ID.
order_certificate() {
  local status
  status=$(hq_api POST "/v1/homes/$HOME_NAME/certificates" -H "Authorization: Bearer $CREDENTIAL" \
    -H 'Content-Type: application/json' -d "$(csr_body "$1")")
  [ "$status" = 202 ] || fail "POST certificates answered $status: $(cat "$WORK/body")"
  ORDER_ID=$(json_get "$WORK/body" id)
}

# wait_issued ID SECONDS OUT: polls GET /v1/certificates/ID until issued (chain to OUT) or failed.
wait_issued() {
  local id=$1 seconds=$2 out=$3 status
  for _ in $(seq 1 $((seconds * 2))); do
    status=$(hq_api GET "/v1/certificates/$id")
    [ "$status" = 200 ] || fail "GET /v1/certificates/$id answered $status: $(cat "$WORK/body")"
    case "$(json_get "$WORK/body" status)" in
      issued) json_get "$WORK/body" chain >"$out"; return 0 ;;
      failed) fail "order $id failed: $(cat "$WORK/body")" ;;
    esac
    sleep 0.5
  done
  fail "order $id still pending after $seconds s: $(cat "$WORK/body")"
}

# verify_public_chain CHAIN NAME: the leaf (first certificate) verifies for NAME against Pebble's
# root, fetched from its management port, with the rest of the chain as intermediates.
verify_public_chain() {
  local chain=$1 name=$2
  curl -sf --cacert "$PB/ca.pem" "$P_MGMT/roots/0" >"$WORK/pebble-root.pem" ||
    fail "cannot fetch Pebble's root from $P_MGMT/roots/0"
  python3 - "$chain" "$WORK/leaf.pem" "$WORK/intermediates.pem" <<'PY'
import sys
blocks = [b + "-----END CERTIFICATE-----\n" for b in open(sys.argv[1]).read().split("-----END CERTIFICATE-----") if "BEGIN" in b]
open(sys.argv[2], "w").write(blocks[0].lstrip())
open(sys.argv[3], "w").write("".join(b.lstrip() for b in blocks[1:]))
PY
  openssl verify -CAfile "$WORK/pebble-root.pem" -untrusted "$WORK/intermediates.pem" \
    -verify_hostname "$name" "$WORK/leaf.pem" >"$WORK/verify.out" 2>&1 ||
    fail "openssl verify refused the chain for $name: $(cat "$WORK/verify.out")"
}

# pebble_status CERT: "STATUS REASON" of CERT (a PEM file) at Pebble, from its management port
# (/cert-status-by-serial): "Valid -", or "Revoked N" with the CRLReason code Pebble recorded.
pebble_status() {
  local serial
  serial=$(openssl x509 -in "$1" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^0*//')
  curl -sf --cacert "$PB/ca.pem" "$P_MGMT/cert-status-by-serial/$serial" -o "$WORK/pebble-status.json" ||
    fail "Pebble does not know the certificate with serial $serial"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["Status"], d.get("Reason", "-"))' \
    "$WORK/pebble-status.json"
}

# dns QTYPE NAME: kdig against hq's DNS; the full answer to $WORK/dig.out.
dns() { kdig @127.0.0.1 -p "$HQ_DNS_PORT" +timeout=3 +retry=1 "$2" "$1" >"$WORK/dig.out" 2>&1; }

# wait_all_issued SECONDS ID...: polls GET /v1/certificates/ID for every ID at once (one python3,
# not a few processes per poll: on a loaded machine their start-up dominated) until all are
# issued; fails on the first failed order or at the deadline. Writes each chain's leaf to
# $WORK/issued/ID.leaf.pem and the rest to $WORK/issued/ID.rest.pem.
wait_all_issued() {
  local seconds=$1; shift
  mkdir -p "$WORK/issued"
  python3 - "$HQ_URL" "$seconds" "$WORK/issued" "$@" <<'PY' || fail "not every order was issued (above)"
import json, sys, time, urllib.request
base, seconds, out, ids = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]
deadline, pending = time.monotonic() + seconds, set(ids)
while pending and time.monotonic() < deadline:
    for oid in sorted(pending):
        with urllib.request.urlopen(f"{base}/v1/certificates/{oid}", timeout=10) as r:
            body = json.load(r)
        if body["status"] == "failed":
            sys.exit(f"order {oid} failed: {json.dumps(body)}")
        if body["status"] == "issued":
            blocks = [b + "-----END CERTIFICATE-----\n" for b in body["chain"].split("-----END CERTIFICATE-----") if "BEGIN" in b]
            open(f"{out}/{oid}.leaf.pem", "w").write(blocks[0].lstrip())
            open(f"{out}/{oid}.rest.pem", "w").write("".join(b.lstrip() for b in blocks[1:]))
            pending.discard(oid)
    time.sleep(0.25)
if pending:
    sys.exit(f"still pending after {seconds:.0f} s: {sorted(pending)}")
PY
}

# verify_issued ID NAME: the leaf wait_all_issued saved for ID verifies for NAME against Pebble's
# root (fetched once from its management port), with the rest of its chain as intermediates.
verify_issued() {
  [ -s "$WORK/pebble-root.pem" ] || curl -sf --cacert "$PB/ca.pem" "$P_MGMT/roots/0" >"$WORK/pebble-root.pem" ||
    fail "cannot fetch Pebble's root from $P_MGMT/roots/0"
  openssl verify -CAfile "$WORK/pebble-root.pem" -untrusted "$WORK/issued/$1.rest.pem" \
    -verify_hostname "$2" "$WORK/issued/$1.leaf.pem" >"$WORK/verify.out" 2>&1 ||
    fail "openssl verify refused order $1's chain for $2: $(cat "$WORK/verify.out")"
}

# wait_challenge_published NAME: until hq's DNS answers NAME's _acme-challenge TXT record (at
# most 30 s), e.g. to kill hq while an order is being validated.
wait_challenge_published() {
  for _ in $(seq 1 300); do
    dns TXT "_acme-challenge.$1" || true
    grep -q "IN\s*TXT" "$WORK/dig.out" && return 0
    sleep 0.1
  done
  fail "the challenge TXT record for $1 never appeared: $(tail -n 5 "$WORK/hq.log")"
}

#!/usr/bin/env bash
# Shared by the ACME end-to-end tests (docs/acme.md): a router with its ACME directory and http-01
# port on loopback, lego pointed at it, and the checks every test makes on what a client got.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for tool in lego certbot kdig timeout; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/setup.sh installs it)"
done

# start_acme_router NAME [serve options...]: start_router with a free --acme-http-port and
# --acme-tls-port. Sets ACME_HTTP_PORT and ACME_TLS_PORT (where clients answer http-01 and
# tls-alpn-01 on 127.0.0.1) and ACME_DIRECTORY.
start_acme_router() {
  local name=$1; shift
  ACME_HTTP_PORT=$(free_port)
  ACME_TLS_PORT=$(free_port)
  start_router "$name" --acme-http-port "$ACME_HTTP_PORT" --acme-tls-port "$ACME_TLS_PORT" "$@"
  ACME_DIRECTORY="$ROUTER_URL/acme/directory"
  local code
  code=$(api GET /acme/directory)
  [ "$code" = 200 ] && grep -q '"newOrder"' "$WORK/body" ||
    fail "GET /acme/directory: HTTP $code: $(cat "$WORK/body")"
}

# acme_from ADDRESS: from now on ACME clients reach the router from ADDRESS (a loopback address
# other than the router's 127.0.0.1, which no certificate names): through source_relay.py, since
# lego and certbot cannot pick their source; they answer challenges on ADDRESS too. Sets
# ACME_DIRECTORY and ACME_CLIENT_ADDRESS.
acme_from() {
  local port
  port=$(free_port)
  python3 "$(dirname "${BASH_SOURCE[0]}")/source_relay.py" --listen-port "$port" \
    --target-port "$ROUTER_PORT" --source "$1" >"$WORK/relay.log" 2>&1 &
  PIDS+=($!)
  wait_until 10 "source_relay.py" "$!" grep -q ready "$WORK/relay.log"
  ACME_DIRECTORY="https://127.0.0.1:$port/acme/directory"
  ACME_CLIENT_ADDRESS=$1
}
die() { fail "$@"; }  # for harness.sh's wait_until

# lego_acme PATH OUT ARGS...: runs lego against the router with its account and certificates in
# PATH, output in OUT; ARGS are lego's remaining global options, the command and its options
# (e.g. `-d nas.home.arpa run`). lego answers http-01, or tls-alpn-01 when LEGO_CHALLENGE=tls.
# Returns lego's exit code.
lego_acme() {
  local path=$1 out=$2; shift 2
  local at=${ACME_CLIENT_ADDRESS:-127.0.0.1}
  local solver=(--http --http.port "$at:$ACME_HTTP_PORT")
  [ "${LEGO_CHALLENGE:-http}" != tls ] || solver=(--tls --tls.port "$at:$ACME_TLS_PORT")
  LEGO_CA_CERTIFICATES="$ROUTER_DIR/ca/root.pem" timeout 30 lego --server "$ACME_DIRECTORY" \
    --accept-tos --email admin@example.org --path "$path" --key-type ec256 \
    "${solver[@]}" "$@" >"$out" 2>&1
}

# lego_refused PATH OUT TEXT ARGS...: lego as above must fail, and say TEXT.
lego_refused() {
  local path=$1 out=$2 text=$3; shift 3
  if lego_acme "$path" "$out" "$@"; then
    fail "lego $* succeeded; expected a refusal with '$text': $(tail -n 3 "$out")"
  fi
  grep -qF -- "$text" "$out" || fail "lego $* failed without '$text': $(tail -n 5 "$out")"
}

# lego_account_id PATH: the account id the router gave lego's account in PATH (the last part of
# its registration URI, /acme/acct/<id>).
lego_account_id() {
  python3 - "$1" <<'PY'
import glob, json, sys
files = glob.glob(sys.argv[1] + "/accounts/*/*/account.json")
assert len(files) == 1, files
print(json.load(open(files[0]))["registration"]["uri"].rstrip("/").rsplit("/", 1)[1])
PY
}

# check_issued CERT CHAIN NAME: CERT (first block) chains to the router's root through the
# certificate in CHAIN, with openssl, and names NAME; CHAIN's certificate is the router's
# intermediate.
check_issued() {
  local cert=$1 chain=$2 name=$3
  [ -s "$cert" ] || fail "no certificate at $cert"
  openssl verify -CAfile "$ROUTER_DIR/ca/root.pem" -untrusted "$chain" "$cert" >"$WORK/verify.out" 2>&1 ||
    fail "openssl verify rejects $cert: $(cat "$WORK/verify.out")"
  grep -q ": OK$" "$WORK/verify.out" || fail "openssl verify said: $(cat "$WORK/verify.out")"
  [ "$(openssl x509 -in "$chain" -noout -fingerprint -sha256)" = \
    "$(openssl x509 -in "$ROUTER_DIR/ca/intermediate.pem" -noout -fingerprint -sha256)" ] ||
    fail "$chain is not the router's intermediate"
  openssl x509 -in "$cert" -noout -ext subjectAltName | tr ',' '\n' | sed 's/^ *//' | grep -qFx "DNS:$name" ||
    fail "$cert does not name $name: $(openssl x509 -in "$cert" -noout -ext subjectAltName)"
}

# check_revoked_device LABEL REASON: `router-ca devices` lists LABEL as revoked for REASON (RFC
# 5280's name), in --json and in its table.
check_revoked_device() {
  rca devices --json >"$WORK/devices.json" || fail "router-ca devices --json failed"
  python3 - "$WORK/devices.json" "$1" "$2" <<'PY' || fail "devices --json: $(cat "$WORK/devices.json")"
import json, sys
match = [d for d in json.load(open(sys.argv[1]))["devices"] if d["name"] == sys.argv[2]]
assert len(match) == 1 and match[0]["revoked"] is True, match
assert match[0]["revocation_reason"] == sys.argv[3] and match[0]["revoked_at"], match
PY
  rca devices | grep -q "^$1 .* revoked ($2)$" || fail "router-ca devices: $(rca devices)"
}

# check_acme_device LABEL: `router-ca devices --json` lists LABEL with source acme.
check_acme_device() {
  rca devices --json >"$WORK/devices.json" || fail "router-ca devices --json failed"
  python3 - "$WORK/devices.json" "$1" <<'PY' || fail "devices: $(cat "$WORK/devices.json")"
import json, sys
devices = json.load(open(sys.argv[1]))["devices"]
match = [d for d in devices if d["name"] == sys.argv[2]]
assert len(match) == 1 and match[0]["source"] == "acme", match
PY
}

# check_dns_a NAME ADDRESS: the router's DNS answers NAME A with exactly ADDRESS.
check_dns_a() {
  local answer
  answer=$(kdig @127.0.0.1 -p "$ROUTER_DNS_PORT" +short +timeout=2 +retry=1 "$1" A) ||
    fail "kdig $1 A failed: $answer"
  [ "$answer" = "$2" ] || fail "the router's DNS answers $1 A with '$answer', expected $2"
}

# check_in_crl SERIAL...: GET /crl (trusting only the root) lists every SERIAL (as serial_of prints).
check_in_crl() {
  fetch_crl
  local s
  for s in "$@"; do
    tr 'A-Z' 'a-z' <"$WORK/crl.txt" | grep -q "serial number: 0*$s$" ||
      fail "serial $s is not in the CRL: $(grep -i 'serial number' "$WORK/crl.txt" | tr -s ' ')"
  done
}

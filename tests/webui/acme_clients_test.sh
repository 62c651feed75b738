#!/usr/bin/env bash
# The ACME clients page in Chromium (docs/acme.md, "The pairing gate"): lego, with no pairing
# window, makes an account that is refused with the pairing detail; the page lists it as waiting
# and Approve makes it admin (as `router-ca acme accounts` then says); two accounts made in one
# pairing window are listed as overlap, and Approve works for them too. "New EAB key" shows a key
# id and HMAC key once with lego and certbot flags, and lego gets a certificate with those flags;
# the ACME device's "Release name" revokes it; a certificate an ACME client revokes itself (lego
# revoke --reason 1) shows as revoked for that reason. The HMAC key is in neither the daemon's log
# nor the audit log. Everything on loopback.
source "$(dirname "$0")/webui_lib.sh"
require_browser_tools
command -v lego >/dev/null || fail "lego is not installed (scripts/setup.sh installs it)"
ACME_HTTP_PORT=$(free_port)
start_router acme --acme-http-port "$ACME_HTTP_PORT" --pair-guard 3
SHOTS=$(screenshots_dir acme_clients)
PASSWORD='correct horse battery'
A=/api/v1/admin
GATE_TEXT="press the pairing button on the router, or approve account"

# The admin account, with curl (admin_flow tests the setup page itself).
CODE=$(rca setup-code)
curl -sf --cacert "$ROUTER_DIR/ca/root.pem" -H 'Content-Type: application/json' -c "$WORK/jar" \
  -d "{\"code\":\"$CODE\",\"password\":\"$PASSWORD\"}" "$ROUTER_URL$A/setup" -o "$WORK/setup.json" ||
  fail "setup with the code failed"
ok "the admin account is set up"

# lego_refused DIR DOMAIN EMAIL: lego registers in DIR and asks for DOMAIN; it must be refused with
# the pairing detail naming its account, whose id goes to DIR.id.
lego_refused() {
  local dir=$1 out="$1.log" id
  if LEGO_CA_CERTIFICATES="$ROUTER_DIR/ca/root.pem" timeout 60 lego \
    --server "$ROUTER_URL/acme/directory" --email "$3" --accept-tos --domains "$2" \
    --http --http.port "127.0.0.1:$ACME_HTTP_PORT" --path "$dir" --key-type ec256 run >"$out" 2>&1; then
    fail "lego got $2 with no approval"
  fi
  id=$(python3 - "$dir" <<'PY'
import glob, json, sys
files = glob.glob(sys.argv[1] + "/accounts/*/*/account.json")
assert len(files) == 1, files
print(json.load(open(files[0]))["registration"]["uri"].rstrip("/").rsplit("/", 1)[1])
PY
) || fail "lego left no account: $(tail -n 5 "$out")"
  grep -qF "$GATE_TEXT $id" "$out" || fail "lego was not refused with the pairing detail: $(tail -n 5 "$out")"
  echo "$id" >"$dir.id"
}

# Two accounts made in one pairing window are an overlap; then one made with no window waits (in
# this order: opening the window takes every waiting account in as a candidate).
rca pair >/dev/null || fail "router-ca pair failed"
lego_refused "$WORK/lego-c" camera.home.arpa c@example.org &
pid_c=$!
lego_refused "$WORK/lego-d" doorbell.home.arpa d@example.org &
pid_d=$!
wait $pid_c || fail "the first lego in the pairing window was not refused as it should be"
wait $pid_d || fail "the second lego in the pairing window was not refused as it should be"
OVERLAP_ID=$(cat "$WORK/lego-c.id")
ok "two lego accounts in one pairing window are both refused ($OVERLAP_ID, $(cat "$WORK/lego-d.id"))"
lego_refused "$WORK/lego-a" nas.home.arpa a@example.org
ACCOUNT_ID=$(cat "$WORK/lego-a.id")
ok "lego with no pairing window is refused: $GATE_TEXT $ACCOUNT_ID"

ROUTER_URL="$ROUTER_URL" ROUTER_DIR="$ROUTER_DIR" ROUTER_CA="$ROUTER_CA" PASSWORD="$PASSWORD" \
  ACCOUNT_ID="$ACCOUNT_ID" OVERLAP_ID="$OVERLAP_ID" ACME_HTTP_PORT="$ACME_HTTP_PORT" \
  SHOTS="$SHOTS" WORK="$WORK" \
  node "$WEBUI_DIR/acme_clients.js" || fail "the browser flow failed (screenshots in $SHOTS)"
ok "browser flow passed; screenshots in $SHOTS"

# What the browser did, seen from outside: the EAB account and the released name.
read -r KID HMAC < <(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(e["kid"], e["hmac"])' "$WORK/eab.json")
rca acme accounts >"$WORK/accounts.txt" || fail "router-ca acme accounts failed"
[ "$(grep -c ' eab ' "$WORK/accounts.txt")" = 1 ] ||
  fail "router-ca acme accounts does not list one eab account: $(cat "$WORK/accounts.txt")"
serial=$(serial_of "$WORK/lego-eab/certificates/printer.home.arpa.crt")
curl -sf --cacert "$ROUTER_DIR/ca/root.pem" "$ROUTER_URL/crl" -o "$WORK/crl.der" || fail "GET /crl failed"
openssl crl -inform DER -in "$WORK/crl.der" -noout -text | tr 'A-Z' 'a-z' | grep -q "serial number: 0*$serial$" ||
  fail "the released printer's serial $serial is not in the CRL"
ok "the account made with the page's EAB key ($KID) is eab; the released name's serial $serial is in GET /crl"

curl -sf --cacert "$ROUTER_DIR/ca/root.pem" -b "$WORK/jar" "$ROUTER_URL$A/audit?limit=5000" \
  -o "$WORK/audit.json" || fail "GET /audit failed"
grep -qF "$KID" "$WORK/audit.json" || fail "the audit log does not name the EAB key $KID"
grep -qF "acme.name.released" "$WORK/audit.json" || fail "the audit log lacks acme.name.released"
for where in "$WORK/acme.log" "$WORK/audit.json"; do
  ! grep -qF "$HMAC" "$where" || fail "the HMAC key is in $(basename "$where")"
done
ok "the audit log names the key id $KID and the release; the HMAC key is in neither it nor the daemon's log"
finish

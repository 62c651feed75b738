#!/usr/bin/env bash
# The ACME pairing gate and name rules (docs/acme.md), driven by lego: an account made with no
# pairing window waits until the admin approves it; an EAB account is approved at once; a name
# belongs to the first account that validated it until the admin releases it; wildcards and names
# outside the home domain are rejected; two accounts in one pairing window are an overlap.
source "$(dirname "$0")/acme_lib.sh"
start_acme_router router --pair-guard 3
GATE_TEXT="press the pairing button on the router, or approve account"

# account_approval ID: the approval `router-ca acme accounts --json` gives account ID (waiting,
# overlap, pairing, admin, eab).
account_approval() {
  rca acme accounts --json >"$WORK/accounts.json" || fail "router-ca acme accounts --json failed"
  python3 - "$WORK/accounts.json" "$1" <<'PY' || fail "account $1 not listed: $(cat "$WORK/accounts.json")"
import json, sys
match = [a for a in json.load(open(sys.argv[1]))["accounts"] if a["id"] == sys.argv[2]]
assert len(match) == 1, match
print(match[0]["approval"])
PY
}

# --- no pairing window: refused until the admin approves ------------------------------------------
A="$WORK/lego-a"
lego_refused "$A" "$WORK/a-refused.out" "$GATE_TEXT" -d nas.home.arpa run
id_a=$(lego_account_id "$A")
grep -qF "$GATE_TEXT $id_a" "$WORK/a-refused.out" ||
  fail "the refusal does not name account $id_a: $(grep -F "$GATE_TEXT" "$WORK/a-refused.out")"
ok "account $id_a made with no window: newOrder refused: $(grep -oF "$GATE_TEXT $id_a" "$WORK/a-refused.out")"
[ ! -e "$A/certificates/nas.home.arpa.crt" ] || fail "lego got a certificate while refused"
approval=$(account_approval "$id_a")
[ "$approval" = waiting ] || fail "router-ca acme accounts lists $id_a as '$approval', expected waiting"
rca acme accounts >"$WORK/accounts.txt" || fail "router-ca acme accounts failed"
grep -F "$id_a" "$WORK/accounts.txt" | grep -q waiting ||
  fail "router-ca acme accounts does not show $id_a waiting: $(cat "$WORK/accounts.txt")"
ok "router-ca acme accounts lists $id_a as waiting"

rca acme approve "$id_a" >"$WORK/approve.out" 2>&1 || fail "router-ca acme approve: $(cat "$WORK/approve.out")"
approval=$(account_approval "$id_a")
[ "$approval" = admin ] || fail "after router-ca acme approve, $id_a is '$approval', expected admin"
lego_acme "$A" "$WORK/a-approved.out" -d nas.home.arpa run ||
  fail "lego after approval: $(tail -n 5 "$WORK/a-approved.out")"
[ "$(lego_account_id "$A")" = "$id_a" ] || fail "lego made a new account instead of using $id_a"
check_issued "$A/certificates/nas.home.arpa.crt" "$A/certificates/nas.home.arpa.issuer.crt" nas.home.arpa
nas_serial_a=$(serial_of "$A/certificates/nas.home.arpa.crt")
ok "after router-ca acme approve $id_a, the same lego account gets nas.home.arpa (verifies)"

# --- External Account Binding: approved at once ---------------------------------------------------
rca acme eab-create >"$WORK/eab.out" 2>&1 || fail "router-ca acme eab-create: $(cat "$WORK/eab.out")"
kid=$(sed -n 's/^key id: *//p' "$WORK/eab.out")
hmac=$(sed -n 's/^hmac key: *//p' "$WORK/eab.out")
[ -n "$kid" ] && [ -n "$hmac" ] || fail "eab-create printed no key id / hmac key: $(cat "$WORK/eab.out")"
B="$WORK/lego-b"
lego_acme "$B" "$WORK/b-eab.out" --eab --kid="$kid" --hmac="$hmac" -d printer.home.arpa run ||
  fail "lego with EAB, no button: $(tail -n 5 "$WORK/b-eab.out")"
check_issued "$B/certificates/printer.home.arpa.crt" "$B/certificates/printer.home.arpa.issuer.crt" \
  printer.home.arpa
id_b=$(lego_account_id "$B")
approval=$(account_approval "$id_b")
[ "$approval" = eab ] || fail "the EAB account $id_b is '$approval', expected eab"
ok "EAB account $id_b (kid $kid) approved at once: printer.home.arpa issued with no button"

# --- names belong to the first account that validated them ---------------------------------------
lego_refused "$B" "$WORK/b-taken.out" unauthorized -d nas.home.arpa run
if grep -qF "$GATE_TEXT" "$WORK/b-taken.out"; then fail "the EAB account was refused as not approved"; fi
ok "account $id_b may not take nas.home.arpa from $id_a: $(grep -o 'urn:ietf:params:acme:error:unauthorized.*' "$WORK/b-taken.out" | head -n 1)"
rca acme release nas >"$WORK/release.out" 2>&1 ||
  fail "router-ca acme release nas: $(cat "$WORK/release.out")"
check_in_crl "$nas_serial_a"
[ "$(crl_reason "$nas_serial_a")" = "Privilege Withdrawn" ] ||
  fail "the CRL entry of $nas_serial_a says '$(crl_reason "$nas_serial_a")', not Privilege Withdrawn"
ok "router-ca acme release nas: $id_a's certificate (serial $nas_serial_a) is in the CRL, reason Privilege Withdrawn"
lego_acme "$B" "$WORK/b-released.out" -d nas.home.arpa run ||
  fail "lego for a released name: $(tail -n 5 "$WORK/b-released.out")"
check_issued "$B/certificates/nas.home.arpa.crt" "$B/certificates/nas.home.arpa.issuer.crt" nas.home.arpa
ok "after the release, account $id_b gets nas.home.arpa"

# --- identifiers outside the profile --------------------------------------------------------------
for name in '*.home.arpa' www.example.com; do
  lego_refused "$B" "$WORK/rejected.out" rejectedIdentifier -d "$name" run
  ok "$name is refused: $(grep -o 'urn:ietf:params:acme:error:rejectedIdentifier.*' "$WORK/rejected.out" | head -n 1)"
done

# --- two accounts in one pairing window: an overlap, neither approved ----------------------------
rca pair >"$WORK/pair.out" || fail "router-ca pair: $(cat "$WORK/pair.out")"
lego_acme "$WORK/lego-c" "$WORK/c.out" -d camera.home.arpa run &
pid_c=$!
lego_acme "$WORK/lego-d" "$WORK/d.out" -d doorbell.home.arpa run &
pid_d=$!
code_c=0 code_d=0
wait $pid_c || code_c=$?
wait $pid_d || code_d=$?
[ $code_c != 0 ] && [ $code_d != 0 ] ||
  fail "an account of the overlapping two got a certificate: $(tail -n 3 "$WORK/c.out" "$WORK/d.out")"
for who in c d; do
  grep -qF "$GATE_TEXT" "$WORK/$who.out" || fail "lego $who failed otherwise: $(tail -n 5 "$WORK/$who.out")"
  id=$(lego_account_id "$WORK/lego-$who")
  approval=$(account_approval "$id")
  [ "$approval" = overlap ] || fail "account $id is '$approval' after two accounts in one window, expected overlap"
done
rca acme accounts >"$WORK/accounts.txt" || fail "router-ca acme accounts failed"
[ "$(grep -c overlap "$WORK/accounts.txt")" = 2 ] ||
  fail "router-ca acme accounts does not show the two accounts in overlap: $(cat "$WORK/accounts.txt")"
ok "two accounts made in one pairing window: neither approved, both listed as overlap"
finish

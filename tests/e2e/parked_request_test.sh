#!/usr/bin/env bash
# A request parked before the button press must not win (issue 15): an attacker at 127.0.0.5 asks
# for "printer" before the admin presses the button, so it is the lone asker and is approved after
# the guard. The real device (device-enrol, from 127.0.0.1) asks a moment later in the same
# window: that is an overlap, so the attacker's certificate is revoked at once (CRL), its name
# leaves DNS and is free again, neither keeps a certificate, and the admin sees who took part
# (address, key fingerprint, name asked) in `status` and the log. The admin approves the real
# device, which gets "printer". The attacker keeps at it and is listed as suspicious; blocked, its
# requests are denied and its new ones refused.
source "$(dirname "$0")/lib.sh"
command -v kdig >/dev/null || fail "kdig is not installed (scripts/setup.sh installs knot-dnsutils)"
start_router router --pair-guard 2
FP=$(root_fingerprint)
q() { kdig @127.0.0.1 -p "$ROUTER_DNS_PORT" +timeout=2 +retry=0 "$@"; }

# ask FROM NAME OUT: a request from source address FROM asking for NAME; the answer in OUT.
ask() {
  make_csr "$WORK/$3.csr" ec:P-256
  enrolment_body "$WORK/$3.csr" "$2" >"$WORK/$3.json"
  curl -s -o "$WORK/$3" -w '%{http_code}' --interface "$1" --cacert "$ROUTER_DIR/ca/root.pem" \
    -H 'Content-Type: application/json' --data-binary "@$WORK/$3.json" "$ROUTER_URL/api/v1/enrolments"
}
poll() {  # poll ANSWER-FILE: the request's current status document into $WORK/body
  api GET "/api/v1/enrolments/$(json_get "$1" id)" -H "Authorization: Bearer $(json_get "$1" token)" >/dev/null
  json_get "$WORK/body" status
}

[ "$(ask 127.0.0.5 printer parked)" = 202 ] || fail "the parked request: $(cat "$WORK/parked")"
ok "a request parked from 127.0.0.5 before the press, asking for 'printer'"

rca pair >/dev/null
for _ in $(seq 1 50); do [ "$(poll "$WORK/parked")" = issued ] && break; sleep 0.1; done
[ "$(json_get "$WORK/body" status)" = issued ] || fail "the parked request was not approved: $(cat "$WORK/body")"
python3 -c 'import json,sys; open(sys.argv[2],"w").write(json.load(open(sys.argv[1]))["certificate"])' \
  "$WORK/body" "$WORK/parked.pem"
parked_serial=$(serial_of "$WORK/parked.pem")
q printer.home.arpa A >"$WORK/dig1" || true
grep -q 'status: NOERROR' "$WORK/dig1" || fail "the approved name is not in DNS: $(cat "$WORK/dig1")"
ok "the press approves the lone parked request after the guard (serial $parked_serial), as WPS would"

set +e
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$WORK/real" --name printer --ca-fingerprint "$FP" \
  --timeout 30 >"$WORK/real.out" 2>&1
code=$?
set -e
[ $code = 6 ] || fail "the real device: expected overlap (6), got $code: $(cat "$WORK/real.out")"
real_fp=$(sed -n "s/.*key fingerprint: //p" "$WORK/real.out")
[ -n "$real_fp" ] || fail "device-enrol did not print its key fingerprint: $(cat "$WORK/real.out")"
ok "the real device, asking in the same window, is told overlap (exit 6); it printed key $real_fp"

[ "$(poll "$WORK/parked")" = overlap ] || fail "the parked request: $(cat "$WORK/body")"
# The CRL the leaf names (its issuer's).
crl_url=$(openssl x509 -in "$WORK/parked.pem" -noout -ext crlDistributionPoints | sed -n 's/.*URI://p' | head -n 1)
crl_path="/crl${crl_url##*/crl}"
curl -sf --cacert "$ROUTER_DIR/ca/root.pem" "$ROUTER_URL$crl_path" -o "$WORK/crl.der" || fail "no CRL at $crl_path"
openssl crl -inform DER -in "$WORK/crl.der" -noout -text | tr 'A-F' 'a-f' | tr -d ' ' >"$WORK/crl.txt"
grep -qi "serialnumber:0*$parked_serial\$" "$WORK/crl.txt" ||
  fail "the parked request's certificate $parked_serial is not in the CRL: $(cat "$WORK/crl.txt")"
ok "the parked request's certificate is revoked at once (serial in the CRL), the request back to overlap"

q printer.home.arpa A >"$WORK/dig2" || true
grep -q 'status: NXDOMAIN' "$WORK/dig2" || fail "the withdrawn name still resolves: $(cat "$WORK/dig2")"
[ "$(rca devices --json | python3 -c 'import json,sys; print(len([d for d in json.load(sys.stdin)["devices"] if d["source"] == "native"]))')" = 0 ] ||
  fail "a device is still listed"
ok "printer.home.arpa is withdrawn from DNS (NXDOMAIN) and no device keeps a certificate"

rca status --json >"$WORK/status.json"
python3 - "$WORK/status.json" "$real_fp" <<'PY' || fail "status does not show who took part"
import json, sys
s = json.load(open(sys.argv[1]))
p = s["pairing"]
assert p["outcome"] == "overlap", p
who = {x["source"]: x for x in p["participants"]}
assert set(who) == {"127.0.0.5", "127.0.0.1"}, who
assert who["127.0.0.5"]["name_hint"] == "printer" and who["127.0.0.1"]["name_hint"] == "printer", who
assert who["127.0.0.1"]["key_fingerprint"] == sys.argv[2], (who, sys.argv[2])
assert all(len(x["key_fingerprint"]) == 23 for x in who.values()), who
PY
ok "status names both: source, key fingerprint (the one device-enrol printed), name asked"
grep -q "pairing overlap: .*127.0.0.5.*asked for printer" "$WORK/router.log" ||
  fail "no overlap alert in the log: $(tail -n 5 "$WORK/router.log")"
ok "the log carries the alert: $(grep -o 'pairing overlap: [^[]*' "$WORK/router.log" | head -n 1)"

real_id=$(python3 -c 'import json,sys; print(next(x["id"] for x in json.load(open(sys.argv[1]))["pairing"]["participants"] if x["source"] == "127.0.0.1"))' "$WORK/status.json")
rca approve "$real_id" >"$WORK/approve.out" || fail "approving the real device failed"
grep -q "printer.home.arpa" "$WORK/approve.out" || fail "the real device did not get the name: $(cat "$WORK/approve.out")"
ok "the admin approves the real device: $(cat "$WORK/approve.out") (the name the parked request held)"

# The attacker parks again and meets the next press with another device: its second overlap.
[ "$(ask 127.0.0.5 printer parked2)" = 202 ] || fail "the second parked request"
rca pair >/dev/null
[ "$(ask 127.0.0.6 scanner other)" = 202 ] || fail "the other device's request"
[ "$(poll "$WORK/parked2")" = overlap ] || fail "the second parked request: $(cat "$WORK/body")"
rca status --json >"$WORK/status2.json"
python3 - "$WORK/status2.json" <<'PY' || fail "127.0.0.5 is not listed as suspicious"
import json, sys
s = json.load(open(sys.argv[1]))
sources = [x["source"] for x in s["suspicious_sources"]]
assert sources == ["127.0.0.5"], s["suspicious_sources"]
flagged = {r["source"] for r in s["requests"] if r["suspicious"]}
assert flagged == {"127.0.0.5"}, s["requests"]
PY
ok "127.0.0.5, in two overlaps and never approved, is listed as a suspicious source; 127.0.0.6 is not"

rca block 127.0.0.5 >"$WORK/block.out" || fail "router-ca block failed"
grep -q "denied 2 waiting" "$WORK/block.out" || fail "block: $(cat "$WORK/block.out")"
[ "$(ask 127.0.0.5 printer parked3)" = 403 ] || fail "a blocked address was answered $(cat "$WORK/parked3")"
ok "router-ca block 127.0.0.5: its two waiting requests denied, a new one refused (403)"
rca unblock 127.0.0.5 >/dev/null || fail "router-ca unblock failed"
[ "$(ask 127.0.0.5 printer parked4)" = 202 ] || fail "unblocked, still refused: $(cat "$WORK/parked4")"
ok "router-ca unblock lets it ask again"
finish

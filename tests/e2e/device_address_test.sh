#!/usr/bin/env bash
# A device never chooses its address (issue 15, part 2), end to end with curl, python sockets and
# device-enrol against the real daemon. On main a paired device that stated "ipv4": the router's
# address got a certificate naming it (one pairing plus ARP spoofing then captures the admin
# password). Here the address is the connection's source only, for enrolments, renewals and
# address updates; the router's own addresses and another device's current address never go into
# a certificate (names only), and the daemon's log and the audit log say why.
#
# Several device addresses: the router listens on 127.0.0.1 (one of its own addresses) and the
# devices connect from other addresses of 127.0.0.0/8 (curl --interface, device-enrol --ipv4).
source "$(dirname "$0")/lib.sh"
# 192.168.1.1 is what router.home.arpa answers: the address of the admin UI in a real home.
start_router router --pair-guard 0 --router-address 192.168.1.1

san_of() { openssl x509 -in "$1" -noout -ext subjectAltName | tail -n +2 | tr -d ' '; }
# post_enrolment SOURCE NAME [STATED]: a CSR from curl connecting from SOURCE, with "ipv4": STATED
# when given; the answer in $WORK/NAME.json, the HTTP status on stdout.
post_enrolment() {
  local source=$1 name=$2 stated=${3:-}
  make_csr "$WORK/$name.csr" ec:P-256
  python3 - "$WORK/$name.csr" "$name" "$stated" >"$WORK/$name.body" <<'PY'
import json, sys
body = {"csr": open(sys.argv[1]).read(), "name": sys.argv[2]}
if sys.argv[3]:
    body["ipv4"] = sys.argv[3]
print(json.dumps(body))
PY
  rca pair >/dev/null
  curl -s -o "$WORK/$name.json" -w '%{http_code}' --interface "$source" \
    --cacert "$ROUTER_DIR/ca/root.pem" -H 'Content-Type: application/json' \
    --data-binary "@$WORK/$name.body" "$ROUTER_URL/api/v1/enrolments"
}
# certificate_of NAME: the certificate in an issued answer, into $WORK/NAME.pem.
certificate_of() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["certificate"], end="")' \
    "$WORK/$1.json" >"$WORK/$1.pem" || fail "no certificate for $1: $(cat "$WORK/$1.json")"
}
# audit_has EVENT TEXT: the store's audit log holds EVENT with TEXT in its subject or detail.
audit_has() {
  python3 - "$ROUTER_DIR/router-ca.db" "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
rows = db.execute("SELECT subject, detail FROM audit_log WHERE event = ?", (sys.argv[2],)).fetchall()
sys.exit(0 if any(sys.argv[3] in s + " " + d for s, d in rows) else 1)
PY
}
# device_ipv4 NAME: the address `router-ca devices --json` shows for NAME.
device_ipv4() {
  rca devices --json | python3 -c '
import json, sys
for d in json.load(sys.stdin)["devices"]:
    if d["name"] == sys.argv[1]:
        print(d.get("ipv4") or "")' "$1"
}

# The issue's attack: a device states the router's address. Refused, whatever the address stated,
# and nothing is stored.
for stated in 192.168.1.1 127.0.0.1 127.0.0.9; do
  code=$(post_enrolment 127.0.0.5 "thief" "$stated")
  [ "$code" = 400 ] && grep -q "not the address this request came from (127.0.0.5)" "$WORK/thief.json" ||
    fail "a device at 127.0.0.5 stating $stated: HTTP $code $(head -c 200 "$WORK/thief.json")$(
      [ -s "$WORK/thief.json" ] && grep -q certificate "$WORK/thief.json" && certificate_of thief &&
        echo "; the certificate names $(san_of "$WORK/thief.pem")")"
done
[ -z "$(device_ipv4 thief)" ] && ! rca devices | grep -q thief || fail "a refused request made a device"
ok "a stated address other than the connection's (the router's 192.168.1.1 and 127.0.0.1, another) -> 400, nothing stored"
code=$(post_enrolment 127.0.0.5 "honest" 127.0.0.5)
[ "$code" = 202 ] || fail "a stated address equal to the source: HTTP $code $(cat "$WORK/honest.json")"
certificate_of honest
[ "$(san_of "$WORK/honest.pem")" = "DNS:honest.home.arpa,DNS:honest.local,IPAddress:127.0.0.5" ] ||
  fail "honest: $(san_of "$WORK/honest.pem")"
ok "an old device stating its own source address still pairs: $(san_of "$WORK/honest.pem")"

# A device connecting from the router's own address gets names only, and the logs say why.
code=$(post_enrolment 127.0.0.1 "onrouter")
[ "$code" = 202 ] || fail "from 127.0.0.1: HTTP $code $(cat "$WORK/onrouter.json")"
certificate_of onrouter
[ "$(san_of "$WORK/onrouter.pem")" = "DNS:onrouter.home.arpa,DNS:onrouter.local" ] ||
  fail "from the router's own address: $(san_of "$WORK/onrouter.pem")"
[ -z "$(device_ipv4 onrouter)" ] || fail "onrouter is at $(device_ipv4 onrouter) in the zone"
grep -q "warning: address.withheld .*127.0.0.1 is the router's own address" "$WORK/router.log" ||
  fail "the daemon's log does not say why: $(grep warning "$WORK/router.log")"
audit_has address.withheld "127.0.0.1 is the router's own address" || fail "the audit log does not say why"
ok "from the router's own address 127.0.0.1: names only ($(san_of "$WORK/onrouter.pem")), logged and audited"

# device-enrol --ipv4 connects from the address; the certificate names the source.
enrol_device "$WORK/cam" cam --ipv4 127.0.0.20
[ "$(san_of "$WORK/cam/cert.pem")" = "DNS:cam.home.arpa,DNS:cam.local,IPAddress:127.0.0.20" ] ||
  fail "cam: $(san_of "$WORK/cam/cert.pem")"
ok "device-enrol pair --ipv4 127.0.0.20: $(san_of "$WORK/cam/cert.pem")"

# Another device from cam's current address: names only.
enrol_device "$WORK/twin" twin --ipv4 127.0.0.20
[ "$(san_of "$WORK/twin/cert.pem")" = "DNS:twin.home.arpa,DNS:twin.local" ] ||
  fail "a second device at cam's address: $(san_of "$WORK/twin/cert.pem")"
grep -q "warning: address.withheld .*127.0.0.20 is the current address of device cam" "$WORK/router.log" ||
  fail "the daemon's log does not say why: $(grep warning "$WORK/router.log")"
ok "a second device from cam's address 127.0.0.20: names only, the log names cam"

# Renewal: the certificate names the renewal's source, unless that is another's.
enrol_device "$WORK/nas" nas --ipv4 127.0.0.30
"$DEVICE_ENROL" renew --out "$WORK/nas" --force --ipv4 127.0.0.31 >"$WORK/renew.log" 2>&1 ||
  fail "renew from 127.0.0.31: $(cat "$WORK/renew.log")"
[ "$(san_of "$WORK/nas/cert.pem")" = "DNS:nas.home.arpa,DNS:nas.local,IPAddress:127.0.0.31" ] ||
  fail "nas renewed from 127.0.0.31: $(san_of "$WORK/nas/cert.pem")"
[ "$(device_ipv4 nas)" = 127.0.0.31 ] || fail "nas is at $(device_ipv4 nas)"
ok "renew --ipv4 127.0.0.31: the certificate and the zone follow the source"
for taken in 127.0.0.20 127.0.0.1; do
  "$DEVICE_ENROL" renew --out "$WORK/nas" --force --ipv4 "$taken" >"$WORK/renew.log" 2>&1 ||
    fail "renew from $taken: $(cat "$WORK/renew.log")"
  [ "$(san_of "$WORK/nas/cert.pem")" = "DNS:nas.home.arpa,DNS:nas.local" ] ||
    fail "nas renewed from $taken: $(san_of "$WORK/nas/cert.pem")"
  [ "$(device_ipv4 nas)" = 127.0.0.31 ] || fail "nas moved to $(device_ipv4 nas)"
done
audit_has address.withheld "127.0.0.20 is the current address of device cam" || fail "not audited"
ok "renewals from cam's address and from the router's: names only; the zone keeps nas at 127.0.0.31"

# Address updates: the source only.
put_address() {  # put_address SOURCE BODY: PUT /api/v1/address as nas from SOURCE
  curl -s -o "$WORK/body" -w '%{http_code}' --interface "$1" --cacert "$ROUTER_DIR/ca/root.pem" \
    --cert "$WORK/nas/chain.pem" --key "$WORK/nas/key.pem" -X PUT \
    -H 'Content-Type: application/json' --data "$2" "$ROUTER_URL/api/v1/address"
}
code=$(put_address 127.0.0.32 '{"ipv4": "127.0.0.33"}')
[ "$code" = 400 ] && grep -q "not the address this request came from (127.0.0.32)" "$WORK/body" ||
  fail "a stated address other than the source: HTTP $code $(cat "$WORK/body")"
[ "$(device_ipv4 nas)" = 127.0.0.31 ] || fail "a refused update moved nas to $(device_ipv4 nas)"
code=$(put_address 127.0.0.32 '')
[ "$code" = 204 ] && [ "$(device_ipv4 nas)" = 127.0.0.32 ] ||
  fail "an update from 127.0.0.32: HTTP $code, nas at $(device_ipv4 nas) $(cat "$WORK/body")"
ok "PUT /api/v1/address: a stated 127.0.0.33 from 127.0.0.32 -> 400; an empty body from 127.0.0.32 -> 204, recorded"
for taken in 127.0.0.20 127.0.0.1; do
  code=$(put_address "$taken" '')
  [ "$code" = 409 ] && grep -q "$taken is the" "$WORK/body" ||
    fail "an update from $taken: HTTP $code $(cat "$WORK/body")"
  [ "$(device_ipv4 nas)" = 127.0.0.32 ] || fail "nas moved to $(device_ipv4 nas)"
done
grep -q "warning: address.refused nas: 127.0.0.20 is the current address of device cam" "$WORK/router.log" ||
  fail "the daemon's log does not say why: $(grep warning "$WORK/router.log")"
ok "updates from cam's address and from the router's -> 409 with the reason, nas stays at 127.0.0.32, logged"
"$DEVICE_ENROL" address --out "$WORK/nas" --ipv4 127.0.0.34 >"$WORK/address.log" 2>&1 ||
  fail "device-enrol address --ipv4 127.0.0.34: $(cat "$WORK/address.log")"
[ "$(device_ipv4 nas)" = 127.0.0.34 ] || fail "device-enrol address: nas at $(device_ipv4 nas)"
ok "device-enrol address --ipv4 127.0.0.34 connects from it: recorded"
finish

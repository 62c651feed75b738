#!/usr/bin/env bash
# Only the newest certificate renews (issue 15, part 5), end to end with device-enrol and curl
# against the real daemon. On main a replaced certificate that sent a new key got a fresh
# certificate, and then the device and whoever copied its old key and certificate both kept
# renewing, two lines side by side. Here the documented retry (the replaced certificate with the
# newest one's key gets the newest certificate again) still works; anything else from a replaced
# certificate is 403, and the device is flagged as possibly cloned in the daemon's log, the audit
# log, `router-ca status` and `router-ca devices` (the web UI: webui: admin_flow).
source "$(dirname "$0")/lib.sh"
start_router router --pair-guard 0
enrol_device "$WORK/cam" cam
cp -a "$WORK/cam" "$WORK/copy"  # what a thief takes: key.pem and cert.pem
first=$(serial_of "$WORK/cam/cert.pem")

# The device renews: its certificate is replaced.
"$DEVICE_ENROL" renew --out "$WORK/cam" --force >"$WORK/renew.log" 2>&1 ||
  fail "renew: $(cat "$WORK/renew.log")"
second=$(serial_of "$WORK/cam/cert.pem")
[ "$second" != "$first" ] || fail "the renewal kept serial $first"
ok "cam renewed: $first replaced by $second"

# The documented retry: the replaced certificate asking with the newest certificate's key (the
# answer to that renewal was lost) gets the newest certificate again, and flags nothing.
openssl req -new -key "$WORK/cam/key.pem" -subj /CN=cam -out "$WORK/retry.csr" 2>/dev/null
code=$(api POST /api/v1/renewals --cert "$WORK/copy/chain.pem" \
  --key "$WORK/copy/key.pem" -H 'Content-Type: application/json' -d "$(enrolment_body "$WORK/retry.csr")")
[ "$code" = 200 ] || fail "the retry: HTTP $code $(cat "$WORK/body")"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["certificate"], end="")' "$WORK/body" >"$WORK/retry.pem"
cmp -s <(openssl x509 -in "$WORK/retry.pem" -outform DER) <(openssl x509 -in "$WORK/cam/cert.pem" -outform DER) ||
  fail "the retry got another certificate than $second: $(serial_of "$WORK/retry.pem")"
rca status --json | python3 -c 'import json,sys; sys.exit(1 if json.load(sys.stdin).get("possibly_cloned") else 0)' ||
  fail "the retry flagged the device"
ok "the replaced certificate with the newest key (a lost answer): the same certificate $second again, nothing flagged"

# The copy renews with a key of its own: 403, nothing issued, the device flagged.
certificates() {
  python3 - "$ROUTER_DIR/router-ca.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(db.execute("SELECT count(*) FROM certificates c JOIN devices d ON d.id = c.device_id"
                 " WHERE d.name = 'cam'").fetchone()[0])
PY
}
before=$(certificates)
set +e
"$DEVICE_ENROL" renew --out "$WORK/copy" --force >"$WORK/copy.log" 2>&1
code=$?
set -e
[ "$code" = 9 ] && grep -q "HTTP 403" "$WORK/copy.log" || fail "the copy's renewal: exit $code $(cat "$WORK/copy.log")"
[ "$(serial_of "$WORK/copy/cert.pem")" = "$first" ] || fail "the copy got a certificate"
[ "$(certificates)" = "$before" ] || fail "a certificate was issued for the copy ($before -> $(certificates))"
ok "the copy of the replaced certificate renewing with its own key: exit 9, $(grep -o 'HTTP 403' "$WORK/copy.log"), no certificate issued"

# serial_of drops leading zeros; the daemon writes whole octets (a serial may start with 0).
grep -qE "warning: device.possibly-cloned cam: certificate 0?$first, replaced by 0?$second, asked to renew with another key" "$WORK/router.log" ||
  fail "the daemon's log: $(grep warning "$WORK/router.log")"
python3 - "$ROUTER_DIR/router-ca.db" <<'PY' || fail "no device.possibly-cloned event in the audit log"
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
sys.exit(0 if db.execute("SELECT 1 FROM audit_log WHERE event = 'device.possibly-cloned'"
                         " AND subject = 'cam'").fetchone() else 1)
PY
rca status >"$WORK/status.txt"
grep -q "WARNING: *device cam may be cloned" "$WORK/status.txt" || fail "router-ca status: $(cat "$WORK/status.txt")"
rca status --json | python3 -c '
import json, sys
flagged = json.load(sys.stdin)["possibly_cloned"]
sys.exit(0 if [d["name"] for d in flagged] == ["cam"] and flagged[0]["at"] else 1)' ||
  fail "status --json: $(rca status --json)"
rca devices | grep -E "^cam .*possibly cloned" >/dev/null || fail "router-ca devices: $(rca devices)"
ok "flagged: the daemon's log, the audit log, router-ca status ($(grep 'may be cloned' "$WORK/status.txt" | cut -c1-60)...) and devices"

# The copy may not move the device's name either.
cam_ipv4() {
  rca devices --json | python3 -c '
import json, sys
print([d["ipv4"] for d in json.load(sys.stdin)["devices"] if d["name"] == "cam"][0])'
}
cam_was=$(cam_ipv4)
code=$(api PUT /api/v1/address --interface 127.0.0.66 --cert "$WORK/copy/chain.pem" --key "$WORK/copy/key.pem" \
  -H 'Content-Type: application/json' -d '')
[ "$code" = 403 ] || fail "the copy's address update: HTTP $code $(cat "$WORK/body")"
[ "$(cam_ipv4)" = "$cam_was" ] || fail "the copy moved cam from '$cam_was' to '$(cam_ipv4)'"
ok "the copy's address update from 127.0.0.66: 403, cam stays where it was ('$cam_was')"

# The device's own line goes on.
"$DEVICE_ENROL" renew --out "$WORK/cam" --force >"$WORK/renew2.log" 2>&1 ||
  fail "cam's next renewal: $(cat "$WORK/renew2.log")"
third=$(serial_of "$WORK/cam/cert.pem")
[ "$third" != "$second" ] || fail "cam's next renewal kept $second"
ok "cam itself renews on: $second replaced by $third"

# A certificate replaced twice is refused too, even asking with the newest key.
openssl req -new -key "$WORK/cam/key.pem" -subj /CN=cam -out "$WORK/late.csr" 2>/dev/null
code=$(api POST /api/v1/renewals --cert "$WORK/copy/chain.pem" \
  --key "$WORK/copy/key.pem" -H 'Content-Type: application/json' -d "$(enrolment_body "$WORK/late.csr")")
[ "$code" = 403 ] || fail "a certificate replaced twice: HTTP $code $(cat "$WORK/body")"
ok "a certificate replaced twice asking with the newest key: 403"
finish

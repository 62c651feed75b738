#!/usr/bin/env bash
# The admin's whole journey in Chromium: first-run setup with the setup code, a wrong password,
# login, pairing a device that device-enrol enrols while the page watches, a copy of its old
# certificate flagging it as possibly cloned, revoking it for a reason chosen in the page (its
# serial then in the CRL with that reason), deleting it, the audit log and an encrypted backup that
# `router-ca restore` takes back. Screenshots of every page go to the build folder.
source "$(dirname "$0")/webui_lib.sh"
require_browser_tools
start_router admin --pair-guard 1
SHOTS=$(screenshots_dir admin_flow)
CODE=$(rca setup-code)
[ -n "$CODE" ] || fail "router-ca setup-code printed nothing"
grep -q "setup code $CODE" "$WORK/admin.log" || fail "the setup code is not in the daemon's log"
ok "router-ca setup-code and the daemon's log show the same one-time code"

# Two devices asking at once, from two loopback addresses (for the page's overlap alert).
cat >"$WORK/two_requests.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
for n in 7 8; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/r\$n.key" 2>/dev/null
  openssl req -new -key "$WORK/r\$n.key" -subj /CN=device -out "$WORK/r\$n.csr" 2>/dev/null
  python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read(), "name": "thing"}))' \
    "$WORK/r\$n.csr" >"$WORK/r\$n.json"
  curl -sf -o /dev/null --interface "127.0.0.\$n" --cacert "$ROUTER_DIR/ca/root.pem" \
    -H 'Content-Type: application/json' --data-binary "@$WORK/r\$n.json" "$ROUTER_URL/api/v1/enrolments"
done
SH
chmod +x "$WORK/two_requests.sh"

ROUTER_URL="$ROUTER_URL" SETUP_CODE="$CODE" SHOTS="$SHOTS" WORK="$WORK" \
  TWO_REQUESTS_CMD="$WORK/two_requests.sh" \
  DEVICE_CMD="$DEVICE_ENROL pair --router $ROUTER_URL --out $WORK/camera --name Camera --ca-fingerprint $(root_fingerprint) --timeout 60" \
  CLONE_CMD="cp -a $WORK/camera $WORK/camera-copy" \
  RENEW_CMD="$DEVICE_ENROL renew --out $WORK/camera --force" \
  CLONE_RENEW_CMD="$DEVICE_ENROL renew --out $WORK/camera-copy --force" \
  node "$WEBUI_DIR/admin_flow.js" || fail "the browser flow failed (screenshots in $SHOTS)"
ok "browser flow passed; screenshots in $SHOTS"

serial=$(serial_of "$WORK/camera/cert.pem")
fetch_crl
reason=$(crl_reason "$serial") || fail "serial $serial is not in the CRL: $(grep 'Serial' "$WORK/crl.txt")"
[ "$reason" = "Key Compromise" ] || fail "the CRL entry of $serial says '$reason', not the Key Compromise chosen in the page"
ok "the revoked device's serial $serial is in GET /crl, reason Key Compromise as chosen in the page"

# The backup the browser downloaded restores into a fresh data directory.
[ -s "$WORK/backup.rcabak" ] || fail "no backup was downloaded"
stop_router
echo "webui backup passphrase" | "$ROUTER_CA" restore --data-dir "$WORK/restored" \
  --in "$WORK/backup.rcabak" >"$WORK/restore.out" 2>&1 || fail "restore: $(cat "$WORK/restore.out")"
cmp -s "$WORK/restored/ca/root.key.pem" "$ROUTER_DIR/ca/root.key.pem" || fail "restored root key differs"
[ "$(stat -c %a "$WORK/restored/ca/root.key.pem")" = 600 ] || fail "restored key is not 0600"
if echo "webui backup passphrase" | "$ROUTER_CA" restore --data-dir "$WORK/restored" \
  --in "$WORK/backup.rcabak" >"$WORK/restore2.out" 2>&1; then
  fail "restore overwrote an existing CA without --force"
fi
grep -q -- "--force" "$WORK/restore2.out" || fail "unexpected refusal: $(cat "$WORK/restore2.out")"
echo "webui backup passphrase" | "$ROUTER_CA" restore --data-dir "$WORK/restored" --force \
  --in "$WORK/backup.rcabak" >"$WORK/restore3.out" 2>&1 || fail "restore --force: $(cat "$WORK/restore3.out")"
ok "the downloaded backup restores (0600 keys kept); an existing CA is replaced only with --force"
OLD_ROOT="$ROUTER_DIR/ca/root.pem"
start_router restored
curl -sf --cacert "$OLD_ROOT" "$ROUTER_URL/ca/root.pem" -o "$WORK/restored-root.pem" ||
  fail "the restored router is not trusted with the old root"
cmp -s "$WORK/restored-root.pem" "$OLD_ROOT" || fail "the restored router serves another root"
curl -sf --cacert "$OLD_ROOT" "$ROUTER_URL/crl" -o "$WORK/crl2.der"
openssl crl -inform DER -in "$WORK/crl2.der" -noout -text | grep -qi "Serial Number: 0*$serial\$" ||
  fail "the restored router's CRL lost serial $serial"
ok "router-ca starts from the restored folder with the same root, and its CRL keeps $serial"
finish

#!/usr/bin/env bash
# The install page's downloads, checked by real parsers: the .mobileconfig with Python's plistlib,
# the .crt with openssl (DER, served as application/x-x509-ca-cert), the QR code as XML; and all
# of it reachable without logging in.
source "$(dirname "$0")/webui_lib.sh"
start_router downloads
C=(curl -s --cacert "$ROUTER_DIR/ca/root.pem")
openssl x509 -in "$ROUTER_DIR/ca/root.pem" -outform DER -out "$WORK/root.der"

type=$("${C[@]}" -o "$WORK/root.crt" -w '%{content_type}' "$ROUTER_URL/ca/root.crt")
[ "$type" = "application/x-x509-ca-cert" ] || fail ".crt served as '$type'"
openssl x509 -inform DER -in "$WORK/root.crt" -noout || fail ".crt is not DER"
cmp -s "$WORK/root.crt" "$WORK/root.der" || fail ".crt is not the root"
ok ".crt is the root's DER, served as application/x-x509-ca-cert"

type=$("${C[@]}" -o "$WORK/root.mobileconfig" -w '%{content_type}' "$ROUTER_URL/ca/root.mobileconfig")
[ "$type" = "application/x-apple-aspen-config" ] || fail ".mobileconfig served as '$type'"
"${C[@]}" -o "$WORK/second.mobileconfig" "$ROUTER_URL/ca/root.mobileconfig"
python3 - "$WORK/root.mobileconfig" "$WORK/root.der" "$WORK/second.mobileconfig" <<'PY' || fail ".mobileconfig check failed"
import plistlib, sys, uuid
profile = plistlib.load(open(sys.argv[1], "rb"))
der = open(sys.argv[2], "rb").read()
second = plistlib.load(open(sys.argv[3], "rb"))
assert profile["PayloadType"] == "Configuration", profile["PayloadType"]
assert profile["PayloadVersion"] == 1
assert profile["PayloadIdentifier"] == "arpa.home.router-ca", profile["PayloadIdentifier"]
(payload,) = profile["PayloadContent"]
assert payload["PayloadType"] == "com.apple.security.root", payload["PayloadType"]
assert payload["PayloadContent"] == der, "the payload is not the root's DER"
assert payload["PayloadIdentifier"].startswith(profile["PayloadIdentifier"] + ".")
ids = {profile["PayloadUUID"], payload["PayloadUUID"], second["PayloadUUID"], second["PayloadContent"][0]["PayloadUUID"]}
assert len(ids) == 4, "PayloadUUIDs are not unique"
for i in ids: uuid.UUID(i)
print("mobileconfig ok:", payload["PayloadDisplayName"])
PY
ok ".mobileconfig parses with plistlib: com.apple.security.root, the root's DER, unique UUIDs"

"${C[@]}" -o "$WORK/qr.svg" -w '%{content_type}' "$ROUTER_URL/ca/install-qr.svg" | grep -q "image/svg+xml" ||
  fail "QR code not served as SVG"
python3 -c 'import sys, xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); assert r.tag.endswith("svg")' "$WORK/qr.svg" ||
  fail "QR code is not XML"
ok "the QR code is an SVG image"

for path in /install /install.html /app.css /install.js /api/v1/admin/root /ca/root.pem; do
  code=$("${C[@]}" -o "$WORK/page" -w '%{http_code}' "$ROUTER_URL$path")
  [ "$code" = 200 ] || fail "GET $path without login: $code"
done
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["fingerprint_grouped"].count(" ") == 7, r' \
  "$WORK/page" 2>/dev/null || "${C[@]}" "$ROUTER_URL/api/v1/admin/root" | python3 -c \
  'import json,sys; r=json.load(sys.stdin); assert r["fingerprint_grouped"].count(" ") == 7 and len(r["fingerprint_grouped"]) == 95, r' ||
  fail "fingerprint not in 8 groups of 4 bytes"
ok "the install page, its assets and the root are served without a session; fingerprint in 8 groups"

total=$(cat "$(dirname "$0")"/../../webui/* | wc -c)
[ "$total" -le 153600 ] || fail "webui/ is $total bytes, over 150 KB"
"${C[@]}" -D "$WORK/h" -o /dev/null "$ROUTER_URL/"
grep -qi "^Content-Security-Policy: default-src 'self'" "$WORK/h" || fail "no CSP on /"
ok "the UI is $total bytes (budget 153600) and served with a Content-Security-Policy"
finish

#!/usr/bin/env bash
# A router an older router-ca set up (docs/ca-keys.md, "Routers set up before the root bounded
# every use"): its root and intermediate bound dNSName and IPv4 only and carry no
# extendedKeyUsage. Made here by openssl exactly as that version wrote them. This version keeps
# the root (nothing to reinstall, devices keep their pin), and at its first start replaces the
# intermediate with one that bounds every use: at once with the root key online, through
# `intermediate rotate --root-key` with it offline. Log and status name the old root.
source "$(dirname "$0")/lib.sh"
command -v faketime >/dev/null || fail "faketime is not installed (scripts/setup.sh installs it)"

# old_ca DIR: root and intermediate with the old profile, for start_router's options (home.arpa,
# local names, --lan-subnet 127.0.0.0/8 then 192.168.0.0/16: the constraints are compared as DER),
# valid from an hour ago as router-ca backdates them (openssl 3.0's x509 has no start date option,
# so it signs under faketime).
old_ca() {
  local ca="$1/ca" nc="critical,permitted;DNS:home.arpa,permitted;DNS:local,permitted;IP:127.0.0.0/255.0.0.0,permitted;IP:192.168.0.0/255.255.0.0"
  mkdir -p "$ca" && chmod 700 "$1" "$ca"
  printf '%s\n' "[root]" "basicConstraints=critical,CA:TRUE,pathlen:1" \
    "keyUsage=critical,keyCertSign,cRLSign" "subjectKeyIdentifier=hash" \
    "authorityKeyIdentifier=keyid" "nameConstraints=$nc" \
    "[intermediate]" "basicConstraints=critical,CA:TRUE,pathlen:0" \
    "keyUsage=critical,keyCertSign,cRLSign" "subjectKeyIdentifier=hash" \
    "authorityKeyIdentifier=keyid" "nameConstraints=$nc" >"$WORK/old-ca.ext"
  (umask 077
   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$ca/root.key.pem"
   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$ca/intermediate.key.pem")
  openssl req -new -key "$ca/root.key.pem" -subj "/CN=router-ca root home.arpa old/O=router-ca" \
    -out "$WORK/root.csr"
  faketime -f -1h openssl x509 -req -in "$WORK/root.csr" -signkey "$ca/root.key.pem" -days 3650 \
    -extfile "$WORK/old-ca.ext" -extensions root -out "$ca/root.pem" 2>/dev/null
  openssl req -new -key "$ca/intermediate.key.pem" -subj "/CN=issuing-old.home.arpa/O=router-ca" \
    -out "$WORK/intermediate.csr"
  faketime -f -1h openssl x509 -req -in "$WORK/intermediate.csr" -CA "$ca/root.pem" -CAkey "$ca/root.key.pem" \
    -set_serial "0x$(openssl rand -hex 16)" -days 730 -extfile "$WORK/old-ca.ext" \
    -extensions intermediate -out "$ca/intermediate.pem" 2>/dev/null
  chmod 644 "$ca/root.pem" "$ca/intermediate.pem"
}
key_id() { openssl x509 -in "$1" -noout -ext subjectKeyIdentifier | tail -n 1 | tr -d ' :' | tr 'A-F' 'a-f'; }
bounds() { openssl x509 -in "$1" -noout -ext extendedKeyUsage,nameConstraints 2>/dev/null; }

old_ca "$WORK/old"
OLD_INTERMEDIATE=$(key_id "$WORK/old/ca/intermediate.pem")
! bounds "$WORK/old/ca/root.pem" | grep -q "Extended Key Usage" || fail "the old root has an EKU"
cp "$WORK/old/ca/root.pem" "$WORK/old-root.pem"
ok "an old CA: NameConstraints on DNS and IPv4 only, no extendedKeyUsage (intermediate $OLD_INTERMEDIATE)"

start_router old --pair-guard 1
grep -q "warning: the root was made by an older router-ca" "$WORK/old.log" ||
  fail "no warning about the old root: $(tail -n 5 "$WORK/old.log")"
grep -q "rotated the issuing intermediate" "$WORK/old.log" ||
  fail "the old intermediate was not replaced: $(tail -n 5 "$WORK/old.log")"
cmp -s "$WORK/old-root.pem" "$ROUTER_DIR/ca/root.pem" || fail "the root changed"
mapfile -t rotated < <(find "$ROUTER_DIR/ca/intermediates" -name '*.pem' ! -name '*.key.pem')
[ "${#rotated[@]}" = 1 ] || fail "expected one new intermediate, found ${#rotated[@]}"
NEW="${rotated[0]}"
bounds "$NEW" >"$WORK/new-bounds.txt"
for want in "TLS Web Server Authentication, TLS Web Client Authentication" "email:.home.arpa" \
  "URI:.home.arpa" "Excluded:" "IP:0:0:0:0:0:0:0:0/0:0:0:0:0:0:0:0"; do
  grep -qF "$want" "$WORK/new-bounds.txt" || fail "the new intermediate lacks '$want': $(cat "$WORK/new-bounds.txt")"
done
[ "$(stat -c %a "${NEW%.pem}.key.pem")" = 600 ] || fail "the new intermediate's key is not 0600"
ok "first start: the root is kept, logged as old; a new intermediate $(basename "$NEW" .pem) bounds every use"

rca status >"$WORK/status.txt"
grep -q "^WARNING: *the root was made by an older router-ca" "$WORK/status.txt" ||
  fail "status does not warn: $(cat "$WORK/status.txt")"
grep -q "intermediates held:  2" "$WORK/status.txt" || fail "status: $(grep intermediates "$WORK/status.txt")"
ok "router-ca status: WARNING about the root; 2 intermediates held (the old one signs its leaves' CRLs)"

enrol_device "$WORK/camera" camera
[ "$(openssl x509 -in "$WORK/camera/cert.pem" -noout -ext authorityKeyIdentifier | tail -n 1 | tr -d ' :' | tr 'A-F' 'a-f')" = \
  "$(basename "$NEW" .pem)" ] || fail "the device's certificate is not from the new intermediate"
verify_chain "$WORK/camera/cert.pem" "$ROUTER_DIR/ca/root.pem" "$WORK/camera/chain.pem" >/dev/null ||
  fail "the device's chain does not verify to the old root"
ok "a device pairs against the kept root (pinned fingerprint) and gets a leaf from the new intermediate"

# What the new intermediate stops, and what the old key still could do (docs/ca-keys.md).
forge_leaf smime-new email:ceo@bank.example emailProtection "$NEW" "${NEW%.pem}.key.pem"
forge_leaf smime-old email:ceo@bank.example emailProtection
! openssl verify -CAfile "$WORK/old-root.pem" -untrusted "$NEW" -purpose smimesign \
  "$WORK/smime-new.pem" >"$WORK/smime-new.out" 2>&1 || fail "an S/MIME leaf from the new intermediate verifies"
openssl verify -CAfile "$WORK/old-root.pem" -untrusted "$ROUTER_DIR/ca/intermediate.pem" -purpose smimesign \
  "$WORK/smime-old.pem" >"$WORK/smime-old.out" 2>&1 ||
  fail "expected the old intermediate to still sign S/MIME (the documented limit): $(cat "$WORK/smime-old.out")"
ok "S/MIME for ceo@bank.example: refused from the new intermediate ($(grep -o 'error [0-9]*.*' "$WORK/smime-new.out" | head -n 1)); the old intermediate's key can still sign one, as docs/ca-keys.md says"

stop_router
start_router old --pair-guard 1
[ "$(grep -c "rotated the issuing intermediate" "$WORK/old.log")" = 1 ] || fail "a restart rotated again"
ok "a restart keeps the new intermediate (no second rotation)"
stop_router

# The root key offline: no rotation by itself, a warning, then the admin's rotate does it.
old_ca "$WORK/offline"
mv "$WORK/offline/ca/root.key.pem" "$WORK/offline-root.key.pem"
start_router offline --pair-guard 1
! grep -q "rotated the issuing intermediate" "$WORK/offline.log" || fail "rotated without the root key"
grep -q "made by an older router-ca and bounds DNS names and IPv4 addresses only.*--root-key FILE" "$WORK/offline.log" ||
  fail "no rotation warning: $(tail -n 5 "$WORK/offline.log")"
rca status | grep -q "WARNING: .*made by an older router-ca and bounds" || fail "status does not ask for a rotation"
rca intermediate rotate --root-key "$WORK/offline-root.key.pem" >"$WORK/rotate.out" 2>&1 ||
  fail "intermediate rotate: $(cat "$WORK/rotate.out")"
NEW=$(find "$ROUTER_DIR/ca/intermediates" -name '*.pem' ! -name '*.key.pem')
bounds "$NEW" | grep -qF "TLS Web Server Authentication, TLS Web Client Authentication" ||
  fail "the rotated intermediate lacks the EKU"
! rca status | grep -q "WARNING: .*bounds DNS names and IPv4 addresses only, not" ||
  fail "status still asks for a rotation"
ok "root offline: a warning naming --root-key FILE, no rotation; intermediate rotate --root-key makes one that bounds every use"
finish

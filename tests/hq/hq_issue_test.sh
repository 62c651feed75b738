#!/usr/bin/env bash
# HQ end to end against the real Pebble (about 15 s on a loaded 2-core machine): a router
# registers (twice: same home), sets a record, and gets a public certificate for an openssl-made
# CSR through DNS-01 answered by hq's own DNS; the chain verifies against Pebble's root fetched from
# its management port; kdig sees the records, SOA/NS, REFUSED outside the zone, and the challenge
# TXT gone afterwards; the ACME account key is 0600.
source "$(dirname "$0")/hq_lib.sh"
start_pebble_for_hq
start_hq hq

TOKEN=$(new_token)
register "$TOKEN" 192.168.1.1
[[ "$HOME_NAME" =~ ^[a-z]+-[a-z]+$ ]] || fail "home name '$HOME_NAME' is not adjective-surname"
[ "$HOME_ZONE" = "$HOME_NAME.$ZONE" ] || fail "zone '$HOME_ZONE' is not $HOME_NAME.$ZONE"
[ ${#CREDENTIAL} -ge 43 ] || fail "credential '$CREDENTIAL' is shorter than 256 bits of base64url"
ok "POST /v1/homes: home $HOME_NAME, zone $HOME_ZONE, a credential"
first_home=$HOME_NAME first_credential=$CREDENTIAL
register "$TOKEN" 192.168.1.2
[ "$HOME_NAME" = "$first_home" ] && [ "$CREDENTIAL" = "$first_credential" ] ||
  fail "registering the same token again gave $HOME_NAME (was $first_home) or another credential"
ok "the same token again: the same home and credential"

status=$(api PUT "/v1/homes/$HOME_NAME/records/cam" -H "Authorization: Bearer $CREDENTIAL" \
  -d '{"address": "192.168.1.20"}')
[ "$status" = 200 ] || fail "PUT record answered $status: $(cat "$WORK/body")"
ok "PUT /v1/homes/$HOME_NAME/records/cam 192.168.1.20"

dns A "cam.$HOME_ZONE"
grep -qE "^cam\.$HOME_ZONE\.\s+60\s+IN\s+A\s+192\.168\.1\.20" "$WORK/dig.out" ||
  fail "kdig cam.$HOME_ZONE A: $(cat "$WORK/dig.out")"
grep -q "Flags: qr aa" "$WORK/dig.out" || fail "the answer is not authoritative: $(cat "$WORK/dig.out")"
dns A "router.$HOME_ZONE"
grep -qE "IN\s+A\s+192\.168\.1\.2$" "$WORK/dig.out" ||
  fail "router.$HOME_ZONE does not follow the second registration: $(cat "$WORK/dig.out")"
ok "kdig: cam.$HOME_ZONE A 192.168.1.20 (TTL 60, aa), router.$HOME_ZONE A 192.168.1.2"
dns SOA "$ZONE"
grep -qE "IN\s+SOA\s+ns1\.$ZONE\. hostmaster\.$ZONE\." "$WORK/dig.out" || fail "SOA: $(cat "$WORK/dig.out")"
dns NS "$ZONE"
grep -qE "IN\s+NS\s+ns1\.$ZONE\." "$WORK/dig.out" || fail "NS: $(cat "$WORK/dig.out")"
ok "kdig: SOA and NS at the apex $ZONE"
dns A example.com
grep -q "status: REFUSED" "$WORK/dig.out" || fail "example.com not REFUSED: $(cat "$WORK/dig.out")"
dns A "nas.$HOME_ZONE"
grep -q "status: NXDOMAIN" "$WORK/dig.out" || fail "nas.$HOME_ZONE not NXDOMAIN: $(cat "$WORK/dig.out")"
ok "kdig: REFUSED outside $ZONE, NXDOMAIN for an unknown name inside"

make_csr "$WORK/cam.csr" "/CN=cam.$HOME_ZONE" "DNS:cam.$HOME_ZONE"
order_certificate "$WORK/cam.csr"
ok "POST certificates: 202, order $ORDER_ID"
wait_issued "$ORDER_ID" 90 "$WORK/chain.pem"
verify_public_chain "$WORK/chain.pem" "cam.$HOME_ZONE"
ok "issued; the chain verifies for cam.$HOME_ZONE against Pebble's root from /roots/0"
# The leaf holds the CSR's key: the device's key never left it.
[ "$(openssl x509 -in "$WORK/leaf.pem" -noout -pubkey)" = "$(openssl pkey -in "$WORK/cam.csr.key" -pubout)" ] ||
  fail "the certificate's key is not the CSR's key"
ok "the certificate carries the CSR's public key"

dns TXT "_acme-challenge.cam.$HOME_ZONE"
grep -q "status: NXDOMAIN" "$WORK/dig.out" ||
  fail "the challenge TXT is still published after issuance: $(cat "$WORK/dig.out")"
ok "the _acme-challenge TXT record is gone after issuance"

mode=$(stat -c %a "$HQ_DIR/acme-account.key")
[ "$mode" = 600 ] || fail "acme-account.key has mode $mode"
! grep -q "PRIVATE KEY" "$WORK/hq.log" || fail "the log holds key material"
ok "acme-account.key is 0600 and no key is logged"
finish

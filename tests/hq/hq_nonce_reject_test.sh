#!/usr/bin/env bash
# Pebble rejects half of all nonces (PEBBLE_WFE_NONCEREJECT=50) and still every certificate is
# issued: hq retries badNonce at once with the fresh nonce of the error (RFC 8555 §6.5). Two homes,
# one order each, so the account's own registration also goes through rejections. About 15 s.
source "$(dirname "$0")/hq_lib.sh"
PEBBLE_ENV="PEBBLE_WFE_NONCEREJECT=50" start_pebble_for_hq
start_hq hq

for n in 1 2; do
  register "$(new_token)" "192.168.$n.1"
  make_csr "$WORK/nas$n.csr" "/CN=nas.$HOME_ZONE" "DNS:nas.$HOME_ZONE"
  order_certificate "$WORK/nas$n.csr"
  ids[$n]=$ORDER_ID names[$n]="nas.$HOME_ZONE"
done
for n in 1 2; do
  wait_issued "${ids[$n]}" 120 "$WORK/chain$n.pem"
  verify_public_chain "$WORK/chain$n.pem" "${names[$n]}"
  ok "${names[$n]} issued and verifies against Pebble's root despite rejected nonces"
done
rejected=$(grep -c "badNonce from the CA" "$WORK/hq.log" || true)
[ "$rejected" -gt 0 ] || fail "hq met no badNonce: Pebble's PEBBLE_WFE_NONCEREJECT did not act"
ok "hq retried $rejected badNonce answers"
finish

#!/usr/bin/env bash
# hq is killed (SIGKILL) in the middle of an order, while its challenge TXT record is published and
# Pebble is still validating (Pebble's artificial validation delay is left on here, so the order
# spends seconds in that state); a restarted hq, on the same data, completes the order. About 40 s.
source "$(dirname "$0")/hq_lib.sh"
# PEBBLE_VA_NOSLEEP=0: Pebble waits a random 0-15 s before each validation.
PEBBLE_ENV="PEBBLE_VA_NOSLEEP=0" start_pebble_for_hq
start_hq hq

register "$(new_token)" 192.168.7.1
make_csr "$WORK/tv.csr" "/CN=tv.$HOME_ZONE" "DNS:tv.$HOME_ZONE"
order_certificate "$WORK/tv.csr"
wait_challenge_published "tv.$HOME_ZONE"
status=$(api GET "/v1/certificates/$ORDER_ID")
[ "$(json_get "$WORK/body" status)" = pending ] || fail "the order is no longer pending: $(cat "$WORK/body")"
kill -KILL "$HQ_PID"
wait "$HQ_PID" 2>/dev/null || true
ok "hq killed with SIGKILL while the challenge TXT was published and the order pending"

start_hq hq
dns TXT "_acme-challenge.tv.$HOME_ZONE" || true
grep -q "IN\s*TXT" "$WORK/dig.out" || grep -q "status: NXDOMAIN" "$WORK/dig.out" ||
  fail "kdig after the restart: $(cat "$WORK/dig.out")"
wait_issued "$ORDER_ID" 120 "$WORK/chain.pem"
verify_public_chain "$WORK/chain.pem" "tv.$HOME_ZONE"
ok "after the restart the same order completes; the chain verifies against Pebble's root"
dns TXT "_acme-challenge.tv.$HOME_ZONE"
grep -q "status: NXDOMAIN" "$WORK/dig.out" || fail "TXT left behind: $(cat "$WORK/dig.out")"
ok "the challenge TXT record is removed after issuance"
finish

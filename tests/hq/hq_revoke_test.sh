#!/usr/bin/env bash
# A home withdraws a name at HQ (docs/hq.md, "Withdrawing a name"), against the real Pebble:
# another home's credential gets 403, none 401, an unknown reason 400, and none of them changes
# anything (record answered, certificate valid at Pebble); the home's own withdrawal answers 200,
# the name is NXDOMAIN at once, and HQ revokes its certificate at Pebble with the reason given
# (Pebble's management port says Revoked with that CRLReason code); GET shows the order revoked;
# withdrawing again revokes nothing more; an order withdrawn while in progress never leaves a
# valid certificate behind. About 30 s.
source "$(dirname "$0")/hq_lib.sh"
start_pebble_for_hq
start_hq hq

register "$(new_token)" 192.168.1.1
home=$HOME_NAME zone=$HOME_ZONE credential=$CREDENTIAL
for record in cam:192.168.1.20 nas:192.168.1.30; do
  status=$(api PUT "/v1/homes/$home/records/${record%%:*}" -H "Authorization: Bearer $credential" \
    -d "{\"address\": \"${record#*:}\"}")
  [ "$status" = 200 ] || fail "PUT ${record%%:*} answered $status: $(cat "$WORK/body")"
done
make_csr "$WORK/cam.csr" "/CN=cam.$zone" "DNS:cam.$zone"
order_certificate "$WORK/cam.csr"
cam_order=$ORDER_ID
wait_issued "$cam_order" 90 "$WORK/cam-chain.pem"
verify_public_chain "$WORK/cam-chain.pem" "cam.$zone"
cp "$WORK/leaf.pem" "$WORK/cam-leaf.pem"
[ "$(pebble_status "$WORK/cam-leaf.pem")" = "Valid -" ] || fail "Pebble: $(cat "$WORK/pebble-status.json")"
ok "home $home: records cam and nas, a Pebble certificate for cam.$zone (Valid at Pebble)"

register "$(new_token)" 192.168.2.1
other_credential=$CREDENTIAL
[ "$HOME_NAME" != "$home" ] || fail "the second token got the first home"

# revoke_cam CREDENTIAL BODY: POST .../records/cam/revoke; the status to stdout.
revoke_cam() {
  local auth=()
  [ -z "$1" ] || auth=(-H "Authorization: Bearer $1")
  api POST "/v1/homes/$home/records/cam/revoke" "${auth[@]}" -H 'Content-Type: application/json' -d "$2"
}
# unchanged: cam still answers and its certificate is still issued and valid at Pebble.
unchanged() {
  dns A "cam.$zone"
  grep -qE "IN\s+A\s+192\.168\.1\.20" "$WORK/dig.out" || fail "$1: cam.$zone no longer answers: $(cat "$WORK/dig.out")"
  status=$(api GET "/v1/certificates/$cam_order")
  [ "$(json_get "$WORK/body" status)" = issued ] || fail "$1: the order is $(cat "$WORK/body")"
  [ "$(pebble_status "$WORK/cam-leaf.pem")" = "Valid -" ] || fail "$1: Pebble: $(cat "$WORK/pebble-status.json")"
}
status=$(revoke_cam "$other_credential" '{"reason": "keyCompromise"}')
[ "$status" = 403 ] && grep -q "not the credential of home $home" "$WORK/body" ||
  fail "another home's credential: HTTP $status $(cat "$WORK/body")"
detail=$(json_get "$WORK/body" detail)
unchanged "after another home's attempt"
ok "another home's credential: 403 ($detail); cam answers, its certificate valid"
status=$(revoke_cam "" '{"reason": "keyCompromise"}')
[ "$status" = 401 ] || fail "no credential: HTTP $status $(cat "$WORK/body")"
for body in '{"reason": "cACompromise"}' '{"reason": 1}' '{}' '{"reason": "keyCompromise", "why": "x"}'; do
  status=$(revoke_cam "$credential" "$body")
  [ "$status" = 400 ] && [ "$(json_get "$WORK/body" status)" = 400 ] || fail "body $body: HTTP $status $(cat "$WORK/body")"
done
unchanged "after the refused withdrawals"
ok "no credential: 401; reason cACompromise, a number, none, an extra member: 400; nothing changed"

status=$(revoke_cam "$credential" '{"reason": "keyCompromise"}')
[ "$status" = 200 ] && [ "$(json_get "$WORK/body" name)" = "cam.$zone" ] &&
  [ "$(json_get "$WORK/body" certificates)" = 1 ] || fail "withdrawal: HTTP $status $(cat "$WORK/body")"
dns A "cam.$zone"
grep -q "status: NXDOMAIN" "$WORK/dig.out" || fail "cam.$zone after the withdrawal: $(cat "$WORK/dig.out")"
ok "the home withdraws cam (keyCompromise): 200, 1 certificate to revoke; cam.$zone NXDOMAIN at once"
for _ in $(seq 1 120); do
  api GET "/v1/certificates/$cam_order" >/dev/null
  [ "$(json_get "$WORK/body" status)" = revoked ] && break
  sleep 0.5
done
[ "$(json_get "$WORK/body" status)" = revoked ] && [ "$(json_get "$WORK/body" revocation_reason)" = keyCompromise ] ||
  fail "the order after 60 s: $(cat "$WORK/body"); hq: $(tail -n 5 "$WORK/hq.log")"
[ "$(pebble_status "$WORK/cam-leaf.pem")" = "Revoked 1" ] || fail "Pebble: $(cat "$WORK/pebble-status.json")"
ok "GET /v1/certificates/$cam_order: revoked (keyCompromise); Pebble: Revoked, reason 1"

status=$(revoke_cam "$credential" '{"reason": "keyCompromise"}')
[ "$status" = 200 ] && [ "$(json_get "$WORK/body" certificates)" = 0 ] || fail "again: HTTP $status $(cat "$WORK/body")"
[ "$(grep -c "certificate revoked at the CA" "$WORK/hq.log")" = 1 ] || fail "hq revoked twice: $(grep revoked "$WORK/hq.log")"
status=$(api POST "/v1/homes/$home/records/nas/revoke" -H "Authorization: Bearer $credential" -d '{"reason": "unspecified"}')
[ "$status" = 200 ] && [ "$(json_get "$WORK/body" certificates)" = 0 ] || fail "nas: HTTP $status $(cat "$WORK/body")"
dns A "nas.$zone"
grep -q "status: NXDOMAIN" "$WORK/dig.out" || fail "nas.$zone after the withdrawal: $(cat "$WORK/dig.out")"
ok "withdrawing cam again: 200, 0 certificates (one revocation at the CA in all); nas (no certificate): NXDOMAIN"

# An order withdrawn while the worker works it: given up before finalize, or revoked once issued;
# never issued and left valid.
make_csr "$WORK/tv.csr" "/CN=tv.$zone" "DNS:tv.$zone"
HOME_NAME=$home CREDENTIAL=$credential
order_certificate "$WORK/tv.csr"
status=$(api POST "/v1/homes/$home/records/tv/revoke" -H "Authorization: Bearer $credential" -d '{"reason": "superseded"}')
[ "$status" = 200 ] || fail "tv: HTTP $status $(cat "$WORK/body")"
for _ in $(seq 1 120); do
  api GET "/v1/certificates/$ORDER_ID" >/dev/null
  case "$(json_get "$WORK/body" status)" in failed|revoked) break ;; esac
  sleep 0.5
done
case "$(json_get "$WORK/body" status)" in
  failed)
    grep -q "urn:hq:problem:withdrawn" "$WORK/body" || fail "tv failed otherwise: $(cat "$WORK/body")"
    ok "an order withdrawn in progress: given up before finalize (urn:hq:problem:withdrawn)" ;;
  revoked)
    json_get "$WORK/body" chain >"$WORK/tv-chain.pem"
    verify_public_chain "$WORK/tv-chain.pem" "tv.$zone"
    [ "$(pebble_status "$WORK/leaf.pem")" = "Revoked 4" ] || fail "tv at Pebble: $(cat "$WORK/pebble-status.json")"
    ok "an order withdrawn in progress: finished and revoked (superseded; Pebble: Revoked, reason 4)" ;;
  *) fail "the withdrawn tv order after 60 s: $(cat "$WORK/body")" ;;
esac
grep -q "withdrew cam.$zone (reason keyCompromise)" "$WORK/hq.log" || fail "hq did not log the withdrawal"
finish

#!/usr/bin/env bash
# When the public CA refuses, the order fails with the CA's own problem document. Pebble is told
# to validate DNS-01 against a port where nothing answers (not hq's DNS), so its validation fails
# and the challenge's error comes back through GET /v1/certificates/<id>; the TXT record hq
# published is removed. About 20 s idle (Pebble's DNS timeouts), longer on a loaded machine.
source "$(dirname "$0")/hq_lib.sh"
start_pebble_for_hq          # pebble asks HQ_DNS_PORT for TXT records...
HQ_DNS_PORT=$(free_port)     # ...where nothing will answer: hq serves DNS elsewhere
start_hq hq
register "$(new_token)" 192.168.9.1
make_csr "$WORK/cam.csr" "/CN=cam.$HOME_ZONE" "DNS:cam.$HOME_ZONE"
order_certificate "$WORK/cam.csr"
for _ in $(seq 1 240); do
  api GET "/v1/certificates/$ORDER_ID" >/dev/null
  [ "$(json_get "$WORK/body" status)" = pending ] || break
  sleep 0.5
done
[ "$(json_get "$WORK/body" status)" = failed ] || fail "the order did not fail: $(cat "$WORK/body")"
python3 - "$WORK/body" <<'PY' || fail "the problem is not the CA's: $(cat "$WORK/body")"
import json, sys
p = json.load(open(sys.argv[1]))["problem"]
assert p["type"].startswith("urn:ietf:params:acme:error:"), p
assert p.get("detail"), p
PY
ok "status failed with the CA's problem: $(json_get "$WORK/body" problem | cut -c1-120)"
dns TXT "_acme-challenge.cam.$HOME_ZONE"
grep -q "status: NXDOMAIN" "$WORK/dig.out" || fail "TXT left behind: $(cat "$WORK/dig.out")"
ok "the challenge TXT record is removed after the failure"
finish

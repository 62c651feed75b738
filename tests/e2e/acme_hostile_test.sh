#!/usr/bin/env bash
# A hostile ACME client against the real daemon: broken JWS (base64url, alg none, HS256, url and
# nonce tricks, kid/jwk mix-ups, duplicate keys, 1 MiB), bad account keys and CSRs that smuggle
# names each get their ACME problem (RFC 8555 section 6.7); the daemon keeps serving, nothing is
# stored, and the valid request after them still works. The client is acme_hostile.py (the JWS
# cases in acme_hostile_jws.py, the client in acme_hostile_client.py; standard library +
# python3-cryptography); this script starts the router and checks the outside view.
source "$(dirname "$0")/lib.sh"

# Without the library the client cannot sign: fail, never skip.
python3 -c 'import cryptography.hazmat.primitives.asymmetric.ec' 2>"$WORK/import.err" ||
  fail "python3 cannot import cryptography (python3-cryptography, installed by scripts/setup.sh): $(cat "$WORK/import.err")"

ACME_HTTP_PORT=$(free_port)
start_router router --acme-http-port "$ACME_HTTP_PORT"

python3 "$(dirname "$0")/acme_hostile.py" --url "$ROUTER_URL" --root "$ROUTER_DIR/ca/root.pem" \
  --data-dir "$ROUTER_DIR" --router-ca "$ROUTER_CA" --acme-http-port "$ACME_HTTP_PORT" \
  --log "$WORK/router.log" || fail "the hostile ACME client reported failures (above)"
ok "acme_hostile.py: every hostile request refused with its ACME problem, nothing stored"

kill -0 "$ROUTER_PID" 2>/dev/null || fail "router-ca is no longer running"
curl -sf --cacert "$ROUTER_DIR/ca/root.pem" "$ROUTER_URL/healthz" >/dev/null ||
  fail "daemon stopped answering"
ok "daemon still healthy after hostile ACME input"
stop_router
ok "daemon exits cleanly on SIGTERM after it all"
finish

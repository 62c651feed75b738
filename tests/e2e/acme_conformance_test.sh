#!/usr/bin/env bash
# RFC 8555 behaviour that ACME clients outside the tests found missing (issue 15, part 6): 405
# with a problem whose status is 405, keyChange to a key with an account answered 409 with that
# account's URL, a deactivated account answered 401, and every problem's status the response's.
# The client is acme_conformance.py (on acme_hostile_client.py; standard library +
# python3-cryptography); this script starts the router and checks it keeps serving. About 5 s.
source "$(dirname "$0")/lib.sh"

# Without the library the client cannot sign: fail, never skip.
python3 -c 'import cryptography.hazmat.primitives.asymmetric.ec' 2>"$WORK/import.err" ||
  fail "python3 cannot import cryptography (python3-cryptography, installed by scripts/setup.sh): $(cat "$WORK/import.err")"

start_router router
python3 "$(dirname "$0")/acme_conformance.py" --url "$ROUTER_URL" --root "$ROUTER_DIR/ca/root.pem" ||
  fail "acme_conformance.py reported a failure (above); router log: $(tail -n 5 "$WORK/router.log")"
ok "acme_conformance.py: 405, 409 + Location, 401 for a deactivated account, statuses that match"
curl -sf --cacert "$ROUTER_DIR/ca/root.pem" "$ROUTER_URL/healthz" >/dev/null || fail "daemon stopped answering"
ok "the daemon still answers"
finish

#!/usr/bin/env bash
# CA key files: 0600, and a key readable by others stops the start with a clear message.
source "$(dirname "$0")/lib.sh"
start_router router
for key in root.key.pem intermediate.key.pem; do
  mode=$(stat -c %a "$ROUTER_DIR/ca/$key")
  [ "$mode" = 600 ] || fail "$key has mode $mode"
  ok "$key is mode 600"
  grep -q "BEGIN PRIVATE KEY" "$ROUTER_DIR/ca/$key" || fail "$key is not PKCS#8 PEM"
  ok "$key is PKCS#8 PEM"
done
[ "$(stat -c %a "$ROUTER_DIR/control.sock")" = 600 ] || fail "control socket is not 0600"
ok "control socket is mode 600"
if grep -q "PRIVATE KEY" "$WORK/router.log"; then fail "a private key reached the log"; fi
ok "no key material in the log"
stop_router

chmod 644 "$ROUTER_DIR/ca/intermediate.key.pem"
set +e
"$ROUTER_CA" serve --data-dir "$ROUTER_DIR" --listen "127.0.0.1:$(free_port)" \
  --lan-subnet 127.0.0.0/8 --lan-subnet 192.168.0.0/16 >"$WORK/refused.log" 2>&1
code=$?
set -e
[ $code = 4 ] || fail "expected exit code 4 for a readable key, got $code"
grep -q "can be read by other users; run: chmod 600" "$WORK/refused.log" || fail "unclear message: $(cat "$WORK/refused.log")"
ok "a key readable by others stops the start (exit 4) with: $(grep -o 'refusing to start.*' "$WORK/refused.log" | head -c 90)..."

chmod 600 "$ROUTER_DIR/ca/intermediate.key.pem"
set +e
"$ROUTER_CA" serve --data-dir "$ROUTER_DIR" --domain other.example --listen "127.0.0.1:$(free_port)" \
  --lan-subnet 127.0.0.0/8 --lan-subnet 192.168.0.0/16 >"$WORK/domain.log" 2>&1
code=$?
set -e
[ $code = 4 ] || fail "expected exit code 4 for a changed domain, got $code"
grep -q "other name constraints" "$WORK/domain.log" || fail "unclear message: $(cat "$WORK/domain.log")"
ok "a CA made for another domain is refused (exit 4)"
finish

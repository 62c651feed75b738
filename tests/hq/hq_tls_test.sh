#!/usr/bin/env bash
# hq's API over HTTPS (--tls-cert/--tls-key, cpp-httplib's SSLServer), checked with curl against
# an openssl-made CA; plain HTTP to the TLS port gets no answer. No public CA needed (the ACME
# directory points at a closed port). About 5 s idle, under a minute on a loaded machine.
source "$(dirname "$0")/hq_lib.sh"
make_pebble_tls "$WORK/tls"  # an HTTPS certificate for 127.0.0.1 under a throwaway CA
start_hq_tls() {
  HQ_DIR="$WORK/hq"
  HQ_PORT=$(free_port)
  "$HQ" serve --data-dir "$HQ_DIR" --zone "$ZONE" --listen "127.0.0.1:$HQ_PORT" \
    --dns-listen "127.0.0.1:$(free_port)" --acme-directory https://127.0.0.1:9/dir \
    --tls-cert "$WORK/tls/cert.pem" --tls-key "$WORK/tls/key.pem" >>"$WORK/hq.log" 2>&1 &
  HQ_PID=$!
  PIDS+=("$HQ_PID")
  hq_up() { curl -sf --cacert "$WORK/tls/ca.pem" "https://127.0.0.1:$HQ_PORT/healthz"; }
  wait_until 20 "hq" "$HQ_PID" hq_up
}
start_hq_tls
HQ_URL="https://127.0.0.1:$HQ_PORT"
HQ_STORE_ARGS=(--data-dir "$HQ_DIR")
make_router_credential tls-router
status=$(api POST /v1/homes --cacert "$WORK/tls/ca.pem" -H 'Content-Type: application/json' \
  -u "$ROUTER_ID:$ROUTER_SECRET" \
  -d "{\"token\": \"$(new_token)\", \"address\": \"192.168.5.1\"}")
[ "$status" = 201 ] || fail "POST /v1/homes over HTTPS answered $status: $(cat "$WORK/body")"
ok "POST /v1/homes over HTTPS, verified against the test CA: 201 $(json_get "$WORK/body" home)"
if curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$HQ_PORT/healthz"; then
  fail "the TLS port answered plain HTTP"
fi
ok "plain HTTP to the TLS port gets no answer"

# A key file that is not the certificate's key: hq refuses to start (exit 6), saying why.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/other.key" 2>/dev/null
rc=0
"$HQ" serve --data-dir "$WORK/hq2" --zone "$ZONE" --listen "127.0.0.1:$(free_port)" \
  --dns-listen "127.0.0.1:$(free_port)" --acme-directory https://127.0.0.1:9/dir \
  --tls-cert "$WORK/tls/cert.pem" --tls-key "$WORK/other.key" >"$WORK/bad-tls.out" 2>&1 || rc=$?
[ "$rc" = 6 ] || fail "hq with a mismatched key exited $rc: $(cat "$WORK/bad-tls.out")"
grep -q "cannot set up the API's TLS" "$WORK/bad-tls.out" || fail "no reason given: $(cat "$WORK/bad-tls.out")"
ok "a mismatched --tls-key: exit 6, \"$(grep -o "cannot set up.*" "$WORK/bad-tls.out" | cut -c1-60)\""
finish

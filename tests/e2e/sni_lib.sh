#!/usr/bin/env bash
# Which certificate a TLS server on the device presents for a server name, as openssl s_client
# sees it (sourced after lib.sh, which provides WORK, fail and verify_chain).

# presented PORT SNI: the leaf 127.0.0.1:PORT sends for SNI ("" for none) in $WORK/presented.pem,
# and every certificate it sends in $WORK/presented-chain.pem. S_CLIENT_EXTRA (an array) adds
# s_client options, e.g. the client's signature algorithms.
S_CLIENT_EXTRA=()
presented() {
  local port=$1 sni=$2 args=(-connect "127.0.0.1:$1" -showcerts)
  if [ -n "$sni" ]; then args+=(-servername "$sni"); else args+=(-noservername); fi
  args+=(${S_CLIENT_EXTRA[@]+"${S_CLIENT_EXTRA[@]}"})
  openssl s_client "${args[@]}" </dev/null 2>/dev/null >"$WORK/s_client.out" || true
  awk '/-----BEGIN CERTIFICATE-----/{n++} n>=1{print} /-----END CERTIFICATE-----/{if(n==1) exit}' \
    "$WORK/s_client.out" >"$WORK/presented.pem"
  awk '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/' "$WORK/s_client.out" >"$WORK/presented-chain.pem"
  [ -s "$WORK/presented.pem" ] || fail "no certificate presented on port $port for SNI '$sni': $(tail -n 5 "$WORK/s_client.out")"
}

fingerprint() { openssl x509 -in "$1" -noout -fingerprint -sha256; }

# expect_served PORT SNI LEAF ROOT: the server presents LEAF for SNI, and the chain it sends
# verifies against ROOT.
expect_served() {
  local port=$1 sni=$2 leaf=$3 root=$4
  presented "$port" "$sni"
  [ "$(fingerprint "$WORK/presented.pem")" = "$(fingerprint "$leaf")" ] ||
    fail "SNI '$sni' did not get $leaf: $(openssl x509 -in "$WORK/presented.pem" -noout -subject -issuer -serial)"
  verify_chain "$WORK/presented.pem" "$root" "$WORK/presented-chain.pem" >"$WORK/verify.out" 2>&1 ||
    fail "the chain presented for SNI '$sni' does not verify against $root: $(cat "$WORK/verify.out")"
}

#!/usr/bin/env bash
# Pebble (Let's Encrypt's test CA, Debian's package) as a benchmark peer, shared by the benchmarks
# that compare router-ca's issuance with it. Needs scripts/lib/harness.sh sourced (WORK, PIDS,
# free_port, wait_until, die).

# require_pebble_peer: calls the script's die unless Pebble, its DNS test server, lego and the
# tools around them are installed.
require_pebble_peer() {
  local tool
  for tool in pebble pebble-challtestsrv lego openssl curl python3 timeout; do
    command -v "$tool" >/dev/null ||
      die "'$tool' is not installed; the peer needs Debian's pebble and lego (apt-get install pebble lego)"
  done
}

# make_pebble_tls DIR: pebble's HTTPS certificate for 127.0.0.1 in DIR (cert.pem, key.pem), under
# a throwaway CA (DIR/ca.pem) that its clients are told to trust. Debian's pebble ships no test
# certificate (dpkg -L pebble lists only the binaries, man pages and example configs naming
# test/certs/ of the source tree). HQ's tests (tests/hq/hq_lib.sh) use it too.
make_pebble_tls() {
  local dir=$1
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=test pebble TLS CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1 ||
    die "openssl could not make pebble's TLS CA"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/server.csr" >/dev/null 2>&1 || die "openssl: pebble TLS key"
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$dir/ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 2 -extfile "$dir/ext" -out "$dir/cert.pem" >/dev/null 2>&1 || die "openssl: pebble TLS cert"
}

# start_pebble [NAME]: makes pebble's TLS certificate and starts pebble-challtestsrv and pebble on
# loopback, with their files in $WORK/NAME (default pebble) and logs beside it (NAME.log). Sets PB
# (that folder; PB/ca.pem is the CA lego must trust), P_DIRECTORY, P_HTTP01_PORT
# (where pebble fetches http-01 answers) and PEBBLE_PID.
start_pebble() {
PB="$WORK/${1:-pebble}"
make_pebble_tls "$PB"

local port tls_port dns_port cts_port
port=$(free_port)
P_HTTP01_PORT=$(free_port)
tls_port=$(free_port)
dns_port=$(free_port)
cts_port=$(free_port)
P_DIRECTORY="https://127.0.0.1:$port/dir"
cat >"$PB/pebble.json" <<EOF
{
  "pebble": {
    "listenAddress": "127.0.0.1:$port",
    "managementListenAddress": "",
    "certificate": "$PB/cert.pem",
    "privateKey": "$PB/key.pem",
    "httpPort": $P_HTTP01_PORT,
    "tlsPort": $tls_port,
    "ocspResponderURL": "",
    "externalAccountBindingRequired": false
  }
}
EOF
# DNS for pebble's validation: every A query answers 127.0.0.1, so http-01 really connects to
# lego's challenge server on loopback (no PEBBLE_VA_ALWAYS_VALID shortcut).
pebble-challtestsrv -dns01 "127.0.0.1:$dns_port" -http01 "" -https01 "" -tlsalpn01 "" \
  -management "127.0.0.1:$cts_port" -defaultIPv4 127.0.0.1 -defaultIPv6 "" \
  >"$PB-challtestsrv.log" 2>&1 &
local cts_pid=$!
PIDS+=("$cts_pid")
# PEBBLE_VA_NOSLEEP: no artificial random validation delay (pebble's README: "test issuance at
# full speed"); PEBBLE_WFE_NONCEREJECT=0: do not reject 5% of good nonces on purpose (a pebble
# test feature Let's Encrypt does not have).
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
  pebble -config "$PB/pebble.json" -dnsserver "127.0.0.1:$dns_port" >"$PB.log" 2>&1 &
PEBBLE_PID=$!
PIDS+=("$PEBBLE_PID")
cts_up() { curl -s -o /dev/null "http://127.0.0.1:$cts_port/"; }
wait_until 20 "pebble-challtestsrv" "$cts_pid" cts_up
pebble_up() { curl -sf --cacert "$PB/ca.pem" "$P_DIRECTORY"; }
wait_until 20 "pebble" "$PEBBLE_PID" pebble_up
}

# lego_issue N: `lego run` for acmeN.home.arpa with a new account (its own folder $WORK/lego/N, as
# a new client would have), http-01 served on 127.0.0.1:P_HTTP01_PORT, against start_pebble's
# P_DIRECTORY; output appended to $WORK/lego.log. Calls die unless a certificate results. Needs
# RUN_TIMEOUT (seconds).
lego_issue() {
  local n=$1 rc=0
  LEGO_CA_CERTIFICATES="$PB/ca.pem" timeout "$RUN_TIMEOUT" lego \
    --server "$P_DIRECTORY" --accept-tos --email bench@example.com \
    --path "$WORK/lego/$n" --domains "acme$n.home.arpa" --key-type ec256 \
    --http --http.port "127.0.0.1:$P_HTTP01_PORT" run >>"$WORK/lego.log" 2>&1 || rc=$?
  [ $rc -eq 0 ] || die "lego run (run $n) exited $rc: $(tail -n 3 "$WORK/lego.log")"
  [ -s "$WORK/lego/$n/certificates/acme$n.home.arpa.crt" ] || die "lego (run $n) left no certificate"
}

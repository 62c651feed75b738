#!/usr/bin/env bash
# Shared by the benchmarks that load a real router-ca daemon (attack_bench.sh, load_bench.sh).
# Source it after scripts/lib/harness.sh; the script defines die.

# start_bench_router NAME BINARY: starts BINARY serve with data in $WORK/NAME and its log in
# $WORK/NAME.log, on free loopback ports, LAN 127.0.0.0/8, DNS on, mDNS off, and pairing guard 0:
# a lone request is approved at once, so a pairing times the work, not the guard's 2 s wait (as
# in bench/enrol_e2e.sh). Returns once it answers /healthz. Sets PORT, DNS_PORT, DATA, URL, ROOT
# and ROUTER_PID (also added to PIDS, so the harness kills it on exit).
start_bench_router() {
  local name=$1 binary=$2
  PORT=$(free_port)
  DNS_PORT=$(free_port)
  DATA="$WORK/$name"
  URL="https://127.0.0.1:$PORT"
  ROOT="$DATA/ca/root.pem"
  "$binary" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" --lan-subnet 127.0.0.0/8 \
    --pair-guard 0 --dns-listen "127.0.0.1:$DNS_PORT" --mdns off >"$WORK/$name.log" 2>&1 &
  ROUTER_PID=$!
  PIDS+=("$ROUTER_PID")
  wait_until 20 "$binary" "$ROUTER_PID" curl -sf --cacert "$ROOT" "$URL/healthz"
}

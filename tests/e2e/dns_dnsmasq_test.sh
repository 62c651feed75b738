#!/usr/bin/env bash
# The OpenWrt arrangement with the real dnsmasq: dnsmasq keeps the resolver port and forwards
# home.arpa to router-ca's responder; rebind protection stays on, with home.arpa exempted. Without
# the exemption the private answer is dropped, which is why the setting is needed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dns_lib.sh"
require_tool dnsmasq dnsmasq-base

# 93.184.215.14 is a public address: rebind protection lets it through either way.
start_dns_serve_zone zone --domain home.arpa --subnet 192.168.0.0/16 --router 192.168.1.1 \
  --host camera=192.168.1.20 --host public=93.184.215.14
RESPONDER_PORT=$DNS_PORT

# start_dnsmasq NAME [extra options...]: dnsmasq on a free loopback port, as OpenWrt configures
# it for the zone, with nothing else (no upstream, no /etc/hosts, no config file).
start_dnsmasq() {
  local name=$1; shift
  DNSMASQ_PORT=$(free_port)
  dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
    --listen-address=127.0.0.1 --bind-interfaces --port="$DNSMASQ_PORT" \
    --pid-file="$WORK/$name.pid" --log-queries --log-facility="$WORK/$name.log" \
    --stop-dns-rebind --server="/home.arpa/127.0.0.1#$RESPONDER_PORT" "$@" &
  DNSMASQ_PID=$!
  PIDS+=("$DNSMASQ_PID")
  for _ in $(seq 1 100); do
    grep -q 'started, version' "$WORK/$name.log" 2>/dev/null && return 0
    kill -0 "$DNSMASQ_PID" 2>/dev/null || fail "dnsmasq exited: $(tail -n 5 "$WORK/$name.log" 2>/dev/null)"
    sleep 0.05
  done
  fail "dnsmasq did not start"
}

start_dnsmasq with_exemption --rebind-domain-ok=/home.arpa/
DNS_PORT=$DNSMASQ_PORT
dns_query a camera.home.arpa A
expect_dns "through dnsmasq with rebind-domain-ok: camera" a NOERROR '192\.168\.1\.20$'
grep -q "forwarded camera.home.arpa to 127.0.0.1#$RESPONDER_PORT" "$WORK/with_exemption.log" ||
  fail "dnsmasq did not forward to the responder: $(cat "$WORK/with_exemption.log")"
ok "dnsmasq forwarded the query to the responder"
dns_query nx ghost.home.arpa A
expect_dns "through dnsmasq: unknown name" nx NXDOMAIN ""
dns_query out example.com A
expect_dns "through dnsmasq: outside the zone is not forwarded" out REFUSED ""
kill "$DNSMASQ_PID"; wait "$DNSMASQ_PID" 2>/dev/null || true

DNS_PORT=$RESPONDER_PORT
start_dnsmasq without_exemption
DNS_PORT=$DNSMASQ_PORT
dns_query a camera.home.arpa A
if dns_section a ANSWER | grep -q '192\.168\.1\.20'; then
  fail "without rebind-domain-ok dnsmasq still passed the private address: $(cat "$WORK/a")"
fi
grep -q 'possible DNS-rebind attack detected: camera.home.arpa' "$WORK/without_exemption.log" ||
  fail "dnsmasq did not report rebind protection: $(cat "$WORK/without_exemption.log")"
ok "without rebind-domain-ok: camera.home.arpa does not resolve ($(dns_rcode a), no answer); dnsmasq logged a rebind attack"
dns_query pub public.home.arpa A
expect_dns "without rebind-domain-ok a public address still resolves" pub NOERROR '93\.184\.215\.14$'
finish

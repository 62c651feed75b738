#!/usr/bin/env bash
# Hostile packets, raw, over UDP and TCP (python3 sockets): each gets its RCODE or silence, and
# the responder answers the next valid query every time.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dns_lib.sh"

start_dns_serve_zone zone --domain home.arpa --subnet 192.168.0.0/16 --router 192.168.1.1 \
  --host camera=192.168.1.20
run_hostile_table camera.home.arpa

dns_query a camera.home.arpa A
expect_dns "still answering with kdig afterwards" a NOERROR '192\.168\.1\.20$'
kill -0 "$DNS_PID" || fail "the responder died"
kill -TERM "$DNS_PID"
wait "$DNS_PID" || fail "dns-serve-zone did not exit cleanly"
grep -q 'formerr [1-9]' "$WORK/zone.log" || fail "no FORMERR counted: $(tail -n 2 "$WORK/zone.log")"
ok "clean exit; counters: $(tail -n 1 "$WORK/zone.log")"
finish

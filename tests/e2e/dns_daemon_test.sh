#!/usr/bin/env bash
# The same DNS checks against the real daemon (`router-ca serve --dns-listen`): its zone answers
# over UDP and TCP, the hostile-packet table gets the right RCODEs or silence, and the daemon keeps
# answering and still exits cleanly.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dns_lib.sh"

start_router router --router-address 192.168.1.1
DNS_PORT=$ROUTER_DNS_PORT

for transport in udp tcp; do
  opt=$([ "$transport" = tcp ] && echo +tcp || echo +notcp)
  dns_query a "$opt" RoUtEr.HoMe.ArPa A
  expect_dns "$transport: router A, case kept" a NOERROR '^RoUtEr\.HoMe\.ArPa\..*A[[:space:]]+192\.168\.1\.1$'
  expect_flags "$transport: router A" a "qr aa" "ra tc"
  dns_query aaaa "$opt" router.home.arpa AAAA
  expect_dns "$transport: router AAAA (NODATA)" aaaa NOERROR ""
  expect_soa_authority "$transport: router AAAA" aaaa
  dns_query soa "$opt" home.arpa SOA
  expect_dns "$transport: apex SOA" soa NOERROR 'SOA[[:space:]]+router\.home\.arpa\. hostmaster\.home\.arpa\. '
  dns_query ns "$opt" home.arpa NS
  expect_dns "$transport: apex NS" ns NOERROR 'NS[[:space:]]+router\.home\.arpa\.$'
  dns_query ptr "$opt" -x 192.168.1.1
  expect_dns "$transport: PTR of the router" ptr NOERROR 'PTR[[:space:]]+router\.home\.arpa\.$'
  dns_query nx "$opt" ghost.home.arpa A
  expect_dns "$transport: unknown name" nx NXDOMAIN ""
  expect_soa_authority "$transport: unknown name" nx
  dns_query out "$opt" example.com A
  expect_dns "$transport: example.com" out REFUSED ""
  dns_query notify "$opt" home.arpa NOTIFY
  expect_dns "$transport: NOTIFY" notify NOTIMPL ""
  dns_query edns "$opt" +edns router.home.arpa A
  grep -q 'Version: 0; flags: ; UDP size: 1232 B' "$WORK/edns" || fail "$transport: no OPT echo: $(cat "$WORK/edns")"
  ok "$transport: EDNS echoed"
done

run_hostile_table router.home.arpa
dns_query a router.home.arpa A
expect_dns "still answering after the hostile table" a NOERROR '192\.168\.1\.1$'
stop_router
ok "router-ca exited cleanly on SIGTERM"
finish

#!/usr/bin/env bash
# The authoritative responder, on its own (dns-serve-zone), asked by real kdig over UDP and TCP:
# A, AAAA (NODATA), SOA, NS, PTR, NXDOMAIN, REFUSED outside the zone, NOTIMP, TC and the retry
# over TCP, EDNS echo and BADVERS, case preservation, and a zone swap seen by the next query.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dns_lib.sh"

# 40 devices share 192.168.1.99, so its PTR answer (~1 KB) cannot fit in 512 octets.
for i in $(seq 1 40); do echo "alias-$i 192.168.1.99"; done >"$WORK/hosts"
echo "doorbell 192.168.1.40" >>"$WORK/hosts"
start_dns_serve_zone zone --domain home.arpa --subnet 192.168.0.0/16 --router 192.168.1.1 \
  --host camera=192.168.1.20 --host printer=192.168.1.30 --hosts-file "$WORK/hosts"

for transport in udp tcp; do
  opt=$([ "$transport" = tcp ] && echo +tcp || echo +notcp)
  dns_query a "$opt" camera.home.arpa A
  expect_dns "$transport: camera A" a NOERROR '^camera\.home\.arpa\.[[:space:]]+60[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.168\.1\.20$'
  expect_flags "$transport: camera A" a "qr aa rd" "ra tc"
  grep -q "($(echo "$transport" | tr a-z A-Z))" "$WORK/a" || fail "$transport: kdig did not use $transport"

  dns_query aaaa "$opt" camera.home.arpa AAAA
  expect_dns "$transport: camera AAAA (NODATA)" aaaa NOERROR ""
  expect_soa_authority "$transport: camera AAAA" aaaa

  dns_query soa "$opt" home.arpa SOA
  expect_dns "$transport: apex SOA" soa NOERROR 'SOA[[:space:]]+router\.home\.arpa\. hostmaster\.home\.arpa\. 1 '

  dns_query ns "$opt" home.arpa NS
  expect_dns "$transport: apex NS" ns NOERROR 'NS[[:space:]]+router\.home\.arpa\.$'
  dns_section ns ADDITIONAL | grep -Eq 'router\.home\.arpa\..*A[[:space:]]+192\.168\.1\.1$' ||
    fail "$transport: NS answer without the router's address: $(cat "$WORK/ns")"

  dns_query ptr "$opt" -x 192.168.1.20
  expect_dns "$transport: PTR 192.168.1.20" ptr NOERROR 'PTR[[:space:]]+camera\.home\.arpa\.$'

  dns_query ptrmiss "$opt" -x 192.168.200.200
  expect_dns "$transport: PTR for a LAN address without a device" ptrmiss NXDOMAIN ""

  dns_query ptrout "$opt" -x 10.1.2.3
  expect_dns "$transport: PTR outside the LAN" ptrout REFUSED ""

  dns_query nx "$opt" ghost.home.arpa A
  expect_dns "$transport: unknown name" nx NXDOMAIN ""
  expect_soa_authority "$transport: unknown name" nx
  expect_flags "$transport: unknown name" nx "qr aa" "ra"

  dns_query refused "$opt" example.com A
  expect_dns "$transport: example.com" refused REFUSED ""
  expect_flags "$transport: example.com" refused "qr" "aa ra"

  dns_query notify "$opt" home.arpa NOTIFY
  expect_dns "$transport: NOTIFY opcode" notify NOTIMPL ""
  grep -q 'opcode: NOTIFY' "$WORK/notify" || fail "$transport: opcode not copied: $(cat "$WORK/notify")"

  dns_query case "$opt" CaMeRa.HoMe.ArPa A
  grep -q '^;; CaMeRa\.HoMe\.ArPa\.' "$WORK/case" || fail "$transport: question case lost: $(cat "$WORK/case")"
  expect_dns "$transport: mixed-case question keeps its case" case NOERROR '^CaMeRa\.HoMe\.ArPa\.[[:space:]].*192\.168\.1\.20$'

  dns_query edns "$opt" +edns camera.home.arpa A
  grep -q 'Version: 0; flags: ; UDP size: 1232 B' "$WORK/edns" ||
    fail "$transport: OPT not echoed as version 0, 1232 octets: $(cat "$WORK/edns")"
  ok "$transport: EDNS echoed (version 0, UDP size 1232)"

  dns_query ednsdo "$opt" +dnssec camera.home.arpa A
  grep -q 'Version: 0; flags: do;' "$WORK/ednsdo" || fail "$transport: DO bit not echoed: $(cat "$WORK/ednsdo")"
  ok "$transport: DO bit echoed"

  dns_query badvers "$opt" +edns=1 camera.home.arpa A
  expect_dns "$transport: EDNS version 1" badvers BADVERS ""
done

# A large answer: truncated over UDP without EDNS (512) and with +bufsize=512; whole with 1232;
# kdig retries over TCP by itself when it sees TC.
dns_query tc +noedns +ignore -x 192.168.1.99
expect_flags "udp: 40 PTRs without EDNS" tc "qr aa tc" ""
[ "$(dns_count tc ANSWER)" = 0 ] || fail "a truncated reply carried partial answers: $(cat "$WORK/tc")"
dns_query tc512 +bufsize=512 +ignore -x 192.168.1.99
expect_flags "udp: 40 PTRs with EDNS 512" tc512 "tc" ""
dns_query fits +bufsize=1232 +ignore -x 192.168.1.99
expect_flags "udp: 40 PTRs with EDNS 1232" fits "qr aa" "tc"
[ "$(dns_count fits ANSWER)" = 40 ] || fail "EDNS 1232: expected 40 PTRs: $(cat "$WORK/fits")"
dns_query retry +noedns -x 192.168.1.99
grep -q 'TC flag set in the reply' "$WORK/retry" || grep -q '(TCP)' "$WORK/retry" ||
  fail "kdig did not retry over TCP: $(cat "$WORK/retry")"
grep -q '(TCP)' "$WORK/retry" || fail "the retry did not go over TCP: $(cat "$WORK/retry")"
[ "$(dns_count retry ANSWER)" = 40 ] || fail "the TCP retry lacks answers: $(cat "$WORK/retry")"
ok "TC over UDP, then kdig's retry over TCP carries all 40 PTRs"

# A new snapshot is what the next query sees: the doorbell moves, then is revoked.
dns_query door doorbell.home.arpa A
expect_dns "doorbell before the change" door NOERROR '192\.168\.1\.40$'
sed -i 's/^doorbell .*/doorbell 192.168.1.41/' "$WORK/hosts"
reload_dns_serve_zone zone
dns_query door doorbell.home.arpa A
expect_dns "doorbell after its address changed" door NOERROR '192\.168\.1\.41$'
dns_query soa home.arpa SOA
expect_dns "the serial moved on" soa NOERROR 'hostmaster\.home\.arpa\. 2 '
sed -i '/^doorbell /d' "$WORK/hosts"
reload_dns_serve_zone zone
dns_query door doorbell.home.arpa A
expect_dns "doorbell gone from the zone" door NXDOMAIN ""

kill -0 "$DNS_PID" || fail "the responder died"
finish

#!/usr/bin/env bash
# PowerDNS Authoritative serving HQ's vendor zone from HQ's PostgreSQL database (issue 17), with
# the configuration HQ ships (hq/powerdns/pdns.conf): two pdns_server processes on loopback, free
# ports, reading the tables of migration 004_powerdns.sql. Pebble's -dnsserver points at the first
# PowerDNS, never at hq's own responder, so DNS-01 succeeds only if PowerDNS answers the challenge.
# Checks:
#   - hq made the zone at start (SOA, NS) from homes written before it existed;
#   - a registration and a record update are answered by both PowerDNS servers, and unknown
#     names are NXDOMAIN with the SOA, names outside the zone REFUSED;
#   - each write changed only its own rows in the PowerDNS tables;
#   - a device's certificate is issued by Pebble with PowerDNS answering the challenge, and the
#     challenge row is gone afterwards;
#   - a withdrawn name is gone from PowerDNS.
# About 15-25 s on this 2-core machine (initdb and Pebble's start dominate).
source "$(dirname "$0")/hq_lib.sh"
source "$(dirname "$0")/../../scripts/lib/postgres_cluster.sh"
source "$(dirname "$0")/../../scripts/lib/powerdns.sh"

start_pg_cluster -c fsync=off  # throwaway data
sql() { "${PSQL[@]}" -d hq -c "$1"; }
# pdns_rows NAME: the PowerDNS rows of one owner, "TYPE CONTENT TTL" sorted.
pdns_rows() { sql "SELECT type || ' ' || content || ' ' || ttl FROM pdns.records WHERE name = '$1' ORDER BY 1"; }

start_pebble_for_hq  # Pebble asks HQ_DNS_PORT: that port is PowerDNS's
PDNS1_PORT=$HQ_DNS_PORT PDNS2_PORT=$(free_port)
HQ_DNS_PORT=$(free_port)  # hq's own responder elsewhere, asked by nobody here

# A home in the store before the zone exists: hq's first start copies it into PowerDNS's tables.
start_hq hq1 --db "$PG_URL" --instance-name hq1
TOKEN=$(new_token)
register "$TOKEN" 192.168.40.1
kill "$HQ_PID"; wait "$HQ_PID" 2>/dev/null || true
sql "DELETE FROM powerdns_zone; DELETE FROM pdns.domains"  # as before 004 was applied
HQ_PORT="" start_hq hq1 --db "$PG_URL" --instance-name hq1
grep -q "PowerDNS tables: zone $ZONE made from the store" "$WORK/hq1.log" ||
  fail "hq did not say it made the PowerDNS zone: $(tail -5 "$WORK/hq1.log")"
start_powerdns pdns1 "$PDNS1_PORT"
start_powerdns pdns2 "$PDNS2_PORT"
ok "two PowerDNS servers on 127.0.0.1:$PDNS1_PORT and :$PDNS2_PORT read the zone hq made in PostgreSQL"

# pdns PORT QTYPE NAME: kdig against one PowerDNS; the answer to $WORK/dig.out.
pdns() { kdig @127.0.0.1 -p "$1" +timeout=3 +retry=1 "$3" "$2" >"$WORK/dig.out" 2>&1; }
# pdns_until PORT QTYPE NAME PATTERN: asks until the answer matches (caches hold 1 s).
pdns_until() {
  for _ in $(seq 1 50); do
    pdns "$1" "$2" "$3" || true
    grep -q "$4" "$WORK/dig.out" && return 0
    sleep 0.1
  done
  fail "PowerDNS :$1: $2 $3 never matched '$4': $(cat "$WORK/dig.out")"
}

pdns "$PDNS1_PORT" SOA "$ZONE"
grep -q "status: NOERROR" "$WORK/dig.out" && grep -q "Flags: qr aa" "$WORK/dig.out" &&
  grep -Eq "SOA[[:space:]]+ns1\.$ZONE\. hostmaster\.$ZONE\. [0-9]+ 3600 600 1209600 60" "$WORK/dig.out" ||
  fail "SOA of $ZONE: $(cat "$WORK/dig.out")"
for port in "$PDNS1_PORT" "$PDNS2_PORT"; do
  pdns_until "$port" A "router.$HOME_ZONE" "router.$HOME_ZONE.[[:space:]]*60[[:space:]]*IN[[:space:]]*A[[:space:]]*192.168.40.1"
done
ok "SOA and NS at the apex; the home registered before the zone existed answers on both servers"

# A registration and a record update, each changing only its own rows.
before=$(sql "SELECT count(*) FROM pdns.records")
TOKEN2=$(new_token)
register "$TOKEN2" 10.20.0.1
# Its router's A record, and its name as an empty non-terminal.
[ "$(sql "SELECT count(*) FROM pdns.records")" = $((before + 2)) ] ||
  fail "a registration should add two PowerDNS rows: $before -> $(sql "SELECT count(*) FROM pdns.records")"
status=$(api PUT "/v1/homes/$HOME_NAME/records/nas" -H "Authorization: Bearer $CREDENTIAL" \
  -H 'Content-Type: application/json' -d '{"address": "10.20.0.7"}')
[ "$status" = 200 ] || fail "PUT nas answered $status: $(cat "$WORK/body")"
status=$(api PUT "/v1/homes/$HOME_NAME/records/nas" -H "Authorization: Bearer $CREDENTIAL" \
  -H 'Content-Type: application/json' -d '{"address": "10.20.0.8"}')
[ "$status" = 200 ] || fail "PUT nas again answered $status: $(cat "$WORK/body")"
[ "$(pdns_rows "nas.$HOME_ZONE")" = "A 10.20.0.8 60" ] ||
  fail "nas.$HOME_ZONE in PowerDNS's table: $(pdns_rows "nas.$HOME_ZONE")"
[ "$(sql "SELECT count(*) FROM pdns.records")" = $((before + 3)) ] ||
  fail "PowerDNS rows after a registration and a new record updated once: $(sql "SELECT count(*) FROM pdns.records"), expected $((before + 3))"
for port in "$PDNS1_PORT" "$PDNS2_PORT"; do
  pdns_until "$port" A "nas.$HOME_ZONE" "nas.$HOME_ZONE.[[:space:]]*60[[:space:]]*IN[[:space:]]*A[[:space:]]*10.20.0.8"
done
ok "a registration adds its two rows and an updated record changes its own, and both servers answer the update"

pdns "$PDNS1_PORT" A "nothing.$HOME_ZONE"
grep -q "status: NXDOMAIN" "$WORK/dig.out" && grep -q "SOA" "$WORK/dig.out" ||
  fail "an unknown name: $(cat "$WORK/dig.out")"
pdns "$PDNS1_PORT" A "www.example.com"
grep -q "status: REFUSED" "$WORK/dig.out" || fail "a name outside the zone: $(cat "$WORK/dig.out")"
# A home's own name holds no records but names below it: NODATA, not NXDOMAIN (RFC 8020 §2; a
# resolver minimising its questions, RFC 9156, would otherwise give up on every name of the home).
pdns "$PDNS1_PORT" A "$HOME_ZONE"
grep -q "status: NOERROR" "$WORK/dig.out" && grep -q "ANSWER: 0; AUTHORITY: 1" "$WORK/dig.out" ||
  fail "the home's name $HOME_ZONE: $(cat "$WORK/dig.out")"
ok "an unknown name is NXDOMAIN with the SOA, a home's name NODATA; a name outside the zone is REFUSED"

# --- Pebble validates DNS-01 against PowerDNS ---
make_csr "$WORK/cam.csr" "/CN=cam.$HOME_ZONE" "DNS:cam.$HOME_ZONE"
order_certificate "$WORK/cam.csr"
wait_issued "$ORDER_ID" 90 "$WORK/chain.pem"
verify_public_chain "$WORK/chain.pem" "cam.$HOME_ZONE"
[ -z "$(pdns_rows "_acme-challenge.cam.$HOME_ZONE")" ] ||
  fail "the challenge row is still in PowerDNS's table: $(pdns_rows "_acme-challenge.cam.$HOME_ZONE")"
ok "cam.$HOME_ZONE issued by Pebble, which validated DNS-01 against PowerDNS; the TXT row is gone"

# --- a withdrawn name leaves PowerDNS ---
status=$(api POST "/v1/homes/$HOME_NAME/records/nas/revoke" -H "Authorization: Bearer $CREDENTIAL" \
  -H 'Content-Type: application/json' -d '{"reason": "cessationOfOperation"}')
[ "$status" = 200 ] || fail "withdrawing nas answered $status: $(cat "$WORK/body")"
pdns_until "$PDNS2_PORT" A "nas.$HOME_ZONE" "status: NXDOMAIN"
ok "a withdrawn name is NXDOMAIN at PowerDNS"

finish

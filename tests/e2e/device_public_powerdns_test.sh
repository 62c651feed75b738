#!/usr/bin/env bash
# A device's public certificate with PowerDNS answering the DNS-01 challenge (issue 17): hq on
# PostgreSQL, PowerDNS (hq/powerdns/pdns.conf) reading the same database, and Pebble's -dnsserver
# pointing at PowerDNS, never at hq's own responder. router-ca --hq-url registers its home;
# `device-enrol pair` then installs a public chain for cam.<home>.<ZONE> that verifies against
# Pebble's root, and PowerDNS answers the device's public name with its LAN address.
# About 40-70 s on a loaded 2-core machine (initdb, Pebble, hq, the router; one issuance).
source "$(dirname "$0")/public_lib.sh"  # Pebble, hq, the router, device-enrol, wait_registered
source "$(dirname "$0")/../../scripts/lib/postgres_cluster.sh"
source "$(dirname "$0")/../../scripts/lib/powerdns.sh"

start_pg_cluster -c fsync=off  # throwaway data
start_pebble_for_hq            # Pebble asks HQ_DNS_PORT: that port becomes PowerDNS's
PDNS_PORT=$HQ_DNS_PORT
HQ_DNS_PORT=$(free_port)
start_hq hq --db "$PG_URL"
start_powerdns pdns "$PDNS_PORT"
hq_link_args  # the router's factory credential, imported into HQ's PostgreSQL store
start_router router --pair-guard 0 --router-address 192.168.1.1 "${HQ_LINK_ARGS[@]}"
wait_registered 30
PUBLIC_NAME="cam.$HOME_ZONE"
ok "router-ca registered its home at hq on PostgreSQL; PowerDNS on 127.0.0.1:$PDNS_PORT serves $ZONE"

DEV="$WORK/cam"
rca pair >/dev/null
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$DEV" --name cam --ipv4 192.168.1.20 \
  --ca-fingerprint "$(root_fingerprint)" --timeout 30 --public-wait 120 >"$WORK/pair.log" 2>&1 ||
  fail "device-enrol pair: $(cat "$WORK/pair.log")"
grep -q "installed public certificate [0-9a-f]* for $PUBLIC_NAME" "$WORK/pair.log" ||
  fail "pair did not install a public certificate: $(cat "$WORK/pair.log")"
verify_public_chain "$DEV/public-chain.pem" "$PUBLIC_NAME"
ok "device-enrol pair installed $PUBLIC_NAME's public chain, issued by Pebble after validating DNS-01 against PowerDNS"

kdig @127.0.0.1 -p "$PDNS_PORT" +timeout=3 +retry=1 "$PUBLIC_NAME" A >"$WORK/dig.out" 2>&1 || true
grep -Eq "^$PUBLIC_NAME\.[[:space:]]+60[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.168\.1\.20$" "$WORK/dig.out" ||
  fail "PowerDNS does not answer $PUBLIC_NAME with the device's address: $(cat "$WORK/dig.out")"
kdig @127.0.0.1 -p "$PDNS_PORT" +timeout=3 +retry=1 "_acme-challenge.$PUBLIC_NAME" TXT >"$WORK/dig.out" 2>&1 || true
grep -q "status: NXDOMAIN" "$WORK/dig.out" ||
  fail "the challenge TXT is still answered after issuance: $(cat "$WORK/dig.out")"
ok "PowerDNS answers $PUBLIC_NAME with 192.168.1.20; the challenge TXT is gone"

finish

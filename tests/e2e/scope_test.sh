#!/usr/bin/env bash
# Scope checks at start (docs/security.md, "What the home root can vouch for"): `serve` refuses a
# public suffix as --domain and a --lan-subnet outside the private, shared and loopback ranges (or
# a --lan-subnet6 outside fc00::/7) with a clear message and exit code 2, before it writes
# anything: no data folder, no CA.
source "$(dirname "$0")/lib.sh"

while IFS='|' read -r option value words; do
  dir="$WORK/data-${option#--}-${value//[\/:.]/_}"
  set +e
  timeout 20 "$ROUTER_CA" serve --data-dir "$dir" --listen "127.0.0.1:$(free_port)" \
    --dns-listen none --mdns off "$option" "$value" >"$WORK/out.txt" 2>&1
  code=$?
  set -e
  [ "$code" = 2 ] || fail "serve $option $value: exit $code, expected 2: $(tail -n 3 "$WORK/out.txt")"
  grep -qF -- "$option $value: $words" "$WORK/out.txt" || fail "serve $option $value: unclear message: $(cat "$WORK/out.txt")"
  [ ! -e "$dir" ] || fail "serve $option $value wrote $dir before refusing"
  ok "serve $option $value: exit 2, nothing written: $(head -c 150 "$WORK/out.txt")..."
done <<'CASES'
--domain|com|com is a public suffix
--domain|co.uk|co.uk is a public suffix
--domain|github.io|github.io is a public suffix
--lan-subnet|0.0.0.0/0|0.0.0.0/0 is not a home network
--lan-subnet|8.8.8.0/24|8.8.8.0/24 is not a home network
--lan-subnet6|2001:db8::/32|2001:db8::/32 is not a unique local prefix
CASES

# The ranges a home does use start, and the root names exactly them.
start_router scope --domain lan --lan-subnet 100.64.0.0/10 --lan-subnet6 fd12:3456:789a::/48
openssl x509 -in "$ROUTER_DIR/ca/root.pem" -noout -ext nameConstraints >"$WORK/nc.txt"
for want in "DNS:lan" "IP:100.64.0.0/255.192.0.0" "IP:FD12:3456:789A:0:0:0:0:0/FFFF:FFFF:FFFF:0:0:0:0:0"; do
  grep -qF "$want" "$WORK/nc.txt" || fail "the root lacks $want: $(cat "$WORK/nc.txt")"
done
ok "--domain lan, --lan-subnet 100.64.0.0/10 (RFC 6598) and --lan-subnet6 fd12:3456:789a::/48 start, and the root names them"
finish

#!/usr/bin/env bash
# The lan_subnet uci-defaults script against the fake uci: before the CA exists it lists the LAN's
# own subnet (from `option ipaddr` + `option netmask`, or `list ipaddr 'A/P'`) as the root's IPv4
# constraint instead of all of RFC 1918, and the real router-ca accepts it; it changes nothing once
# the CA exists (an older root holds all of RFC 1918, router-ca's default), when a subnet is
# listed already, or when the LAN's address is not private.
source "$(dirname "$0")/lib.sh"
SCRIPT="$FILES/router-ca.lan-subnet"
export ROUTER_CA_DATA_DIR="$WORK/data"

run() { (cd "$WORK" && "${ASH[@]}" "$SCRIPT") >"$WORK/run.out" 2>&1 || fail "lan-subnet: $(cat "$WORK/run.out")"; }
listed() { uci -q get router-ca.main.lan_subnet || true; }
# lan ADDRESS [NETMASK]: the lan interface as `option ipaddr`/`option netmask`, or as one
# `list ipaddr 'A/P'` when ADDRESS has a prefix.
lan() {
  install_router_config
  uci delete network.lan.ipaddr
  uci delete network.lan.netmask
  if [ -n "${2:-}" ]; then
    uci set "network.lan.ipaddr=$1"
    uci set "network.lan.netmask=$2"
  else
    uci add_list "network.lan.ipaddr=$1"
  fi
  uci commit network
}

install_router_config
[ -z "$(listed)" ] || fail "the package's config lists a subnet already: $(listed)"
run
[ "$(listed)" = 192.168.1.0/24 ] || fail "stock LAN 192.168.1.1/255.255.255.0: listed '$(listed)'"
grep -qF "list lan_subnet '192.168.1.0/24'" "$UCI_CONFIG_DIR/router-ca" || fail "not committed"
grep -qF "the root will vouch for 192.168.1.0/24" "$FAKE_LOG" || fail "no log line: $(cat "$FAKE_LOG")"
run
[ "$(listed)" = 192.168.1.0/24 ] || fail "a second run changed the list: '$(listed)'"
ok "stock LAN: list lan_subnet '192.168.1.0/24', committed and logged; a second run adds nothing"

# The real daemon takes what the init script passes from that list.
"$ROUTER_CA" serve --data-dir "$WORK/serve" --listen "127.0.0.1:$(free_port)" --lan-subnet "$(listed)" \
  --dns-listen "127.0.0.1:$(free_port)" --mdns off >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do
  [ -s "$WORK/serve/ca/root.pem" ] && break
  kill -0 "${PIDS[-1]}" 2>/dev/null || fail "router-ca refused the subnet: $(tail -n 3 "$WORK/serve.log")"
  sleep 0.1
done
openssl x509 -in "$WORK/serve/ca/root.pem" -noout -ext nameConstraints >"$WORK/nc.txt" ||
  fail "router-ca made no root: $(tail -n 3 "$WORK/serve.log")"
grep -q "IP:192.168.1.0/255.255.255.0" "$WORK/nc.txt" || fail "the root does not name 192.168.1.0/24: $(cat "$WORK/nc.txt")"
! grep -q "IP:10.0.0.0" "$WORK/nc.txt" || fail "the root still names all of RFC 1918: $(cat "$WORK/nc.txt")"
ok "router-ca makes its root for 192.168.1.0/24 from that list"

while read -r address mask want; do
  lan "$address" "${mask#-}"
  run
  label="$address${mask#-}"
  [ "$mask" = - ] || label="$address netmask $mask"
  [ "$(listed)" = "$want" ] || fail "$label: listed '$(listed)', expected $want"
  ok "LAN $label: list lan_subnet '$want'"
done <<'CASES'
10.20.30.40/20 - 10.20.16.0/20
172.16.5.1 255.255.0.0 172.16.0.0/16
192.168.178.1 255.255.255.128 192.168.178.0/25
100.64.1.1/10 - 100.64.0.0/10
CASES

lan 192.168.1.1 255.255.255.0
mkdir -p "$ROUTER_CA_DATA_DIR/ca"
touch "$ROUTER_CA_DATA_DIR/ca/root.pem"
run
[ -z "$(listed)" ] || fail "a CA exists, yet lan_subnet was set to '$(listed)'"
rm -r "$ROUTER_CA_DATA_DIR"
ok "an existing CA (an older root: all of RFC 1918) keeps router-ca's default: nothing listed"

lan 192.168.1.1 255.255.255.0
uci add_list router-ca.main.lan_subnet=10.0.0.0/8
uci commit router-ca
run
[ "$(listed)" = 10.0.0.0/8 ] || fail "the admin's lan_subnet changed: '$(listed)'"
ok "a listed lan_subnet is left as it is"

: >"$FAKE_LOG"
lan 8.8.8.1 255.255.255.0
run
[ -z "$(listed)" ] || fail "a public LAN address became lan_subnet '$(listed)'"
grep -qF "8.8.8.1 on 'lan' is not a private address; not set" "$FAKE_LOG" || fail "no log line: $(cat "$FAKE_LOG")"
ok "a LAN on a public address: nothing listed (router-ca would refuse it), one log line"

: >"$FAKE_LOG"
install_router_config
uci delete network.lan.ipaddr
uci set network.lan.proto=dhcp
uci commit network
run
[ -z "$(listed)" ] || fail "no static address, yet lan_subnet '$(listed)'"
grep -qF "no static IPv4 address for interface 'lan'" "$FAKE_LOG" || fail "no log line: $(cat "$FAKE_LOG")"
ok "no static LAN address: nothing listed, one log line"
finish

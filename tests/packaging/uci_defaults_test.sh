#!/usr/bin/env bash
# The uci-defaults script (dnsmasq forwards the home zone to router-ca) against the fake uci: run
# twice it leaves exactly one server line and one rebind_domain entry; the removal script then
# leaves dnsmasq's config byte for byte as it was, also when the admin had one of the entries
# before; dns_port 0 adds nothing.
source "$(dirname "$0")/lib.sh"
DEFAULTS="$FILES/router-ca.uci-defaults"
UNFORWARD="$FILES/dnsmasq-unforward"
export DNSMASQ_INIT="$WORK/dnsmasq-init"
printf '#!/bin/sh\necho "dnsmasq $*" >>"%s"\n' "$WORK/dnsmasq.calls" >"$DNSMASQ_INIT"
chmod +x "$DNSMASQ_INIT"

# OpenWrt 24.10's stock /etc/config/dhcp (abridged), with an upstream server the admin added;
# committed once through uci so that it is in uci's own file format.
write_dhcp() {
  cat >"$UCI_CONFIG_DIR/dhcp" <<'CFG'
config dnsmasq
	option domainneeded '1'
	option localise_queries '1'
	option rebind_protection '1'
	option rebind_localhost '1'
	option local '/lan/'
	option domain 'lan'
	option expandhosts '1'
	option authoritative '1'
	option readethers '1'
	option leasefile '/tmp/dhcp.leases'
	option localservice '1'
	list server '9.9.9.9'

config dhcp 'lan'
	option interface 'lan'
	option start '100'
	option limit '150'
	option leasetime '12h'
CFG
  uci set dhcp.lan.interface=lan
  uci commit dhcp
}
# run SCRIPT: as the package runs it (from /etc/uci-defaults, or the prerm), with the fakes.
run() { (cd "$WORK" && "${ASH[@]}" "$1") >"$WORK/run.out" 2>&1 || fail "$(basename "$1"): $(cat "$WORK/run.out")"; }
count() { uci -q get "dhcp.@dnsmasq[0].$1" | tr ' ' '\n' | grep -cxF "$2" || true; }

install_router_config
write_dhcp
cp "$UCI_CONFIG_DIR/dhcp" "$WORK/dhcp.before"
# uci rewrites a file it commits (comments go), so router-ca's own config is compared by content.
uci show router-ca >"$WORK/router-ca.before"

run "$DEFAULTS"
run "$DEFAULTS"
[ "$(count server '/home.arpa/127.0.0.1#5335')" = 1 ] || fail "server entries: $(uci -q get 'dhcp.@dnsmasq[0].server')"
[ "$(count rebind_domain home.arpa)" = 1 ] || fail "rebind_domain: $(uci -q get 'dhcp.@dnsmasq[0].rebind_domain')"
[ "$(count server 9.9.9.9)" = 1 ] || fail "the admin's server entry changed"
ok "run twice: one 'server /home.arpa/127.0.0.1#5335', one 'rebind_domain home.arpa', 9.9.9.9 kept"
grep -qF "list server '/home.arpa/127.0.0.1#5335'" "$UCI_CONFIG_DIR/dhcp" || fail "not committed to /etc/config/dhcp"
[ ! -e "$UCI_CONFIG_DIR/.staged/dhcp" ] || fail "changes left uncommitted"
ok "committed to /etc/config/dhcp"
[ "$(grep -c restart "$WORK/dnsmasq.calls")" = 1 ] && grep -qx "dnsmasq running" "$WORK/dnsmasq.calls" ||
  fail "dnsmasq should restart once, if running (the second run changes nothing): $(cat "$WORK/dnsmasq.calls")"
ok "dnsmasq restarted once (it was running)"

run "$UNFORWARD"
cmp -s "$WORK/dhcp.before" "$UCI_CONFIG_DIR/dhcp" || fail "dhcp differs: $(diff "$WORK/dhcp.before" "$UCI_CONFIG_DIR/dhcp")"
uci show router-ca >"$WORK/router-ca.after"
cmp -s "$WORK/router-ca.before" "$WORK/router-ca.after" ||
  fail "router-ca differs: $(diff "$WORK/router-ca.before" "$WORK/router-ca.after")"
ok "removal: /etc/config/dhcp byte for byte as before, router-ca's record of its entries gone"
run "$UNFORWARD"
cmp -s "$WORK/dhcp.before" "$UCI_CONFIG_DIR/dhcp" || fail "a second removal changed dhcp"
ok "a second removal changes nothing"

# The admin had rebind_domain home.arpa before: it is not router-ca's to take away.
uci add_list 'dhcp.@dnsmasq[0].rebind_domain=home.arpa'
uci commit dhcp
cp "$UCI_CONFIG_DIR/dhcp" "$WORK/dhcp.before"
run "$DEFAULTS"
[ "$(count rebind_domain home.arpa)" = 1 ] || fail "rebind_domain added twice"
run "$UNFORWARD"
cmp -s "$WORK/dhcp.before" "$UCI_CONFIG_DIR/dhcp" || fail "dhcp differs: $(diff "$WORK/dhcp.before" "$UCI_CONFIG_DIR/dhcp")"
ok "an entry the admin had before stays after removal"

# Another domain and port, then dns_port 0 (router-ca's DNS off): nothing to forward.
write_dhcp
uci set router-ca.main.domain=example.home.arpa
uci set router-ca.main.dns_port=5353
uci commit router-ca
run "$DEFAULTS"
[ "$(count server '/example.home.arpa/127.0.0.1#5353')" = 1 ] || fail "server for the configured domain and port"
[ "$(count rebind_domain example.home.arpa)" = 1 ] || fail "rebind_domain for the configured domain"
ok "domain and dns_port come from /etc/config/router-ca"
run "$UNFORWARD"
cp "$UCI_CONFIG_DIR/dhcp" "$WORK/dhcp.before"
uci set router-ca.main.dns_port=0
uci commit router-ca
run "$DEFAULTS"
cmp -s "$WORK/dhcp.before" "$UCI_CONFIG_DIR/dhcp" || fail "dns_port 0 changed dhcp"
ok "dns_port 0: dnsmasq left alone"
finish

#!/usr/bin/env bash
# The procd init script with test doubles of /etc/rc.common, /lib/functions.sh, procd and uci:
# the daemon's command line follows /etc/config/router-ca, a disabled service starts nothing, and
# the real router-ca accepts the command line the script builds.
source "$(dirname "$0")/lib.sh"
INIT="$FILES/router-ca.init"

# start: runs `/etc/init.d/router-ca start` against the doubles; the procd calls go to
# $WORK/procd.log, one per line, arguments separated by tabs.
start() {
  export PROCD_LOG="$WORK/procd.log"
  : >"$PROCD_LOG"
  "${ASH[@]}" "$FAKES/rc.common" "$INIT" start >"$WORK/start.out" 2>&1 || fail "start: $(cat "$WORK/start.out")"
}
# argv INSTANCE: the instance's command, set_param then append_param, one argument per line.
argv() {
  awk -F '\t' -v want="$1" '
    $1 == "open_instance" { inst = $2 }
    $1 == "close_instance" { inst = "" }
    inst == want && ($1 == "set_param" || $1 == "append_param") && $2 == "command" {
      for (i = 3; i <= NF; i++) print $i
    }' "$PROCD_LOG"
}
expect_argv() {
  local instance=$1 what=$2; shift 2
  printf '%s\n' "$@" >"$WORK/expected"
  argv "$instance" >"$WORK/actual"
  diff -u "$WORK/expected" "$WORK/actual" >"$WORK/diff" || fail "$what: $(cat "$WORK/diff")"
  ok "$what: $*"
}
has_call() { grep -qxF "$(printf '%s\t' "$@" | sed 's/\t$//')" "$PROCD_LOG"; }

install_router_config
start
expect_argv daemon "defaults" /usr/sbin/router-ca serve --data-dir /etc/router-ca \
  --listen 192.168.1.1:8443 --domain home.arpa --pair-seconds 120 --leaf-days 90 \
  --acme-http-port 80 --acme-tls-port 443 --dns-listen 127.0.0.1:5335 --mdns on
expect_argv cert-keeper "defaults, cert-keeper" /usr/libexec/router-ca/cert-keeper /etc/router-ca 90 0
for call in "set_param respawn 3600 5 5" "set_param stdout 1" "set_param stderr 1"; do
  [ "$(grep -cxF "$(printf '%s' "$call" | tr ' ' '\t')" "$PROCD_LOG")" = 2 ] ||
    fail "both instances should have '$call': $(cat "$PROCD_LOG")"
done
ok "both instances: respawn 3600 5 5, stdout and stderr to the log"
has_call add_reload_trigger router-ca || fail "no reload trigger: $(cat "$PROCD_LOG")"
has_call add_interface_trigger 'interface.*.up' lan /etc/init.d/router-ca reload ||
  fail "no interface trigger: $(cat "$PROCD_LOG")"
ok "reload trigger on /etc/config/router-ca; restart when the lan interface comes up"

# Every option changed at once.
uci set router-ca.main.domain=example.home.arpa
uci set router-ca.main.listen_address=10.0.0.1
uci set router-ca.main.port=9443
uci add_list router-ca.main.lan_subnet=10.0.0.0/24
uci add_list router-ca.main.lan_subnet=192.168.8.0/24
uci add_list router-ca.main.lan_subnet6=fd12:3456:789a::/48
uci set router-ca.main.local_names=0
uci set router-ca.main.mdns=0
uci set router-ca.main.dns_port=0
uci set router-ca.main.pair_seconds=60
uci set router-ca.main.leaf_days=30
uci set router-ca.main.acme_http_port=8080
uci set router-ca.main.acme_tls_port=8444
uci set router-ca.main.uhttpd_cert=1
uci set router-ca.main.intermediate_key_secret=/root/router-ca.secret
uci commit router-ca
start
expect_argv daemon "every option set" /usr/sbin/router-ca serve --data-dir /etc/router-ca \
  --listen 10.0.0.1:9443 --domain example.home.arpa --pair-seconds 60 --leaf-days 30 \
  --acme-http-port 8080 --acme-tls-port 8444 \
  --lan-subnet 10.0.0.0/24 --lan-subnet 192.168.8.0/24 --lan-subnet6 fd12:3456:789a::/48 \
  --no-local-names --dns-listen none --mdns off \
  --intermediate-key-secret /root/router-ca.secret
expect_argv cert-keeper "uhttpd_cert on" /usr/libexec/router-ca/cert-keeper /etc/router-ca 30 1

# The LAN address as `list ipaddr 'A/P'` on another interface, and an HQ URL with its roots.
install_router_config
uci set router-ca.main.interface=home
uci set router-ca.main.hq_url=https://hq.example
uci set router-ca.main.hq_ca_file=/etc/router-ca-hq.pem
uci set network.home=interface
uci add_list network.home.ipaddr=192.168.8.1/24
uci commit
start
expect_argv daemon "interface with list ipaddr" /usr/sbin/router-ca serve --data-dir /etc/router-ca \
  --listen 192.168.8.1:8443 --domain home.arpa --pair-seconds 120 --leaf-days 90 \
  --acme-http-port 80 --acme-tls-port 443 \
  --dns-listen 127.0.0.1:5335 --mdns on --hq-url https://hq.example --hq-ca-file /etc/router-ca-hq.pem
has_call add_interface_trigger 'interface.*.up' home /etc/init.d/router-ca reload ||
  fail "interface trigger not on 'home'"
ok "hq_url and hq_ca_file become --hq-url and --hq-ca-file; the trigger follows the interface"

# The factory credential named in UCI is passed when the file exists (absent, the daemon logs
# that HQ will refuse it; tests/e2e/hq_router_credentials_test.sh runs the daemon with it).
install_router_config
(umask 077 && printf 'R-1:0123456789abcdef0123456789abcdef\n' >"$WORK/hq-credential")
uci set router-ca.main.hq_url=https://hq.example
uci set router-ca.main.hq_credential_file="$WORK/hq-credential"
uci commit router-ca
start
expect_argv daemon "hq_credential_file" /usr/sbin/router-ca serve --data-dir /etc/router-ca \
  --listen 192.168.1.1:8443 --domain home.arpa --pair-seconds 120 --leaf-days 90 \
  --acme-http-port 80 --acme-tls-port 443 \
  --dns-listen 127.0.0.1:5335 --mdns on --hq-url https://hq.example --hq-credential-file "$WORK/hq-credential"

install_router_config
uci set router-ca.main.enabled=0
uci commit router-ca
start
! grep -q open_instance "$PROCD_LOG" || fail "a disabled service opened an instance: $(cat "$PROCD_LOG")"
grep -q "disabled in /etc/config/router-ca" "$FAKE_LOG" || fail "no log line for disabled"
ok "enabled '0': no instance, one log line"

# The real daemon parses what the script builds: run it with the data in $WORK. 192.168.1.1 is
# not this machine's, so it stops at the HTTPS listen (exit 6) after making its CA; a usage error
# would be exit 2.
: "${ROUTER_CA:?set ROUTER_CA to the router-ca binary}"
install_router_config
start
mapfile -t cmd < <(argv daemon)
cmd[0]=$ROUTER_CA
cmd[3]="$WORK/data"
dns_port=$(free_port)
for i in "${!cmd[@]}"; do [ "${cmd[$i]}" = 127.0.0.1:5335 ] && cmd[i]="127.0.0.1:$dns_port"; done
set +e
timeout 30 "${cmd[@]}" --mdns off >"$WORK/daemon.log" 2>&1
code=$?
set -e
[ "$code" != 2 ] && [ "$code" != 124 ] || fail "router-ca serve exited $code: $(tail -n 3 "$WORK/daemon.log")"
grep -q "cannot serve HTTPS: HTTPS on 192.168.1.1:8443: bind" "$WORK/daemon.log" ||
  fail "expected the listen to fail: $(tail -n 3 "$WORK/daemon.log")"
ok "router-ca accepts the init script's command line (stops only at binding 192.168.1.1, exit $code)"
finish

#!/usr/bin/env bash
# cert-keeper (the procd instance that keeps router-ca's TLS certificate fresh and, with
# uhttpd_cert 1, gives it to uhttpd): backs uhttpd's own pair up once, installs router-ca's with
# the right modes, points uhttpd's UCI at it, restarts uhttpd only when something changed, puts the
# original back on `restore`, and asks procd to restart the daemon when its certificate reaches
# the last third of its life.
source "$(dirname "$0")/lib.sh"
KEEPER="$FILES/cert-keeper"
export UHTTPD_CRT="$WORK/etc/uhttpd.crt" UHTTPD_KEY="$WORK/etc/uhttpd.key"
export UHTTPD_INIT="$WORK/uhttpd-init" UBUS_CALLS="$WORK/ubus.calls"
export ROUTER_CA_CALLS="$WORK/router-ca.calls"
printf '#!/bin/sh\necho "uhttpd $*" >>"%s"\n' "$WORK/uhttpd.calls" >"$UHTTPD_INIT"
chmod +x "$UHTTPD_INIT"
: >"$WORK/uhttpd.calls"
: >"$UBUS_CALLS"
DATA="$WORK/data"
mkdir -p "$WORK/etc" "$DATA/server"
echo "router chain" >"$DATA/server/chain.pem"
echo "router key" >"$DATA/server/key.pem"
chmod 0600 "$DATA/server/key.pem"
echo "uhttpd's own certificate" >"$UHTTPD_CRT"
echo "uhttpd's own key" >"$UHTTPD_KEY"
chmod 0600 "$UHTTPD_KEY"
printf "\nconfig uhttpd 'main'\n\toption cert '/etc/uhttpd.crt'\n\toption key '/etc/uhttpd.key'\n" \
  >"$UCI_CONFIG_DIR/uhttpd"

# keep LEAF_DAYS UHTTPD_CERT: starts the keeper in the background, in its own process group
# (KEEPER_PID), so that stopping it also ends the sleep it is waiting in.
KEEPER_PID=""
keep() {
  setsid "${ASH[@]}" "$KEEPER" "$DATA" "$1" "$2" >"$WORK/keeper.log" 2>&1 &
  KEEPER_PID=$!
}
stop_keeper() {
  [ -n "$KEEPER_PID" ] || return 0
  # The group, or (had setsid not made one yet) the process itself; either may be gone already,
  # which must not end the test under set -e.
  kill -- "-$KEEPER_PID" 2>/dev/null || kill "$KEEPER_PID" 2>/dev/null || true
  wait "$KEEPER_PID" 2>/dev/null || true
  KEEPER_PID=""
}
trap 'stop_keeper; harness_cleanup' EXIT
# wait_for FILE TEXT: until FILE has a line TEXT (20 s at most: CI machines can be loaded).
wait_for() {
  for _ in $(seq 1 200); do grep -qxF "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  fail "no '$2' in $1: $(cat "$1" 2>/dev/null) (keeper: $(cat "$WORK/keeper.log"))"
}
mode() { stat -c %a "$1"; }

export CHECK_SECONDS=3600
keep 90 1
wait_for "$WORK/uhttpd.calls" "uhttpd restart"
stop_keeper
cmp -s "$UHTTPD_CRT" "$DATA/server/chain.pem" && cmp -s "$UHTTPD_KEY" "$DATA/server/key.pem" ||
  fail "uhttpd's files are not router-ca's"
[ "$(mode "$UHTTPD_CRT")" = 644 ] && [ "$(mode "$UHTTPD_KEY")" = 600 ] ||
  fail "modes: crt $(mode "$UHTTPD_CRT"), key $(mode "$UHTTPD_KEY")"
ok "uhttpd_cert 1: /etc/uhttpd.crt (0644) and .key (0600) are router-ca's chain and key; uhttpd restarted"
[ "$(cat "$UHTTPD_CRT.router-ca-orig")" = "uhttpd's own certificate" ] &&
  [ "$(cat "$UHTTPD_KEY.router-ca-orig")" = "uhttpd's own key" ] || fail "no backup of uhttpd's own pair"
[ "$(mode "$UHTTPD_KEY.router-ca-orig")" = 600 ] || fail "the key's backup is $(mode "$UHTTPD_KEY.router-ca-orig")"
ok "uhttpd's own pair kept as *.router-ca-orig (the key's copy 0600)"
[ "$(uci -q get uhttpd.main.cert)" = "$UHTTPD_CRT" ] && [ "$(uci -q get uhttpd.main.key)" = "$UHTTPD_KEY" ] ||
  fail "uhttpd's UCI does not name the files: $(uci show uhttpd)"
ok "uhttpd.main.cert and .key name them (committed)"

echo "router chain, renewed" >"$DATA/server/chain.pem"
: >"$WORK/uhttpd.calls"
keep 90 1
wait_for "$WORK/uhttpd.calls" "uhttpd restart"
stop_keeper
cmp -s "$UHTTPD_CRT" "$DATA/server/chain.pem" || fail "the renewed chain was not copied"
[ "$(cat "$UHTTPD_CRT.router-ca-orig")" = "uhttpd's own certificate" ] || fail "the backup was overwritten"
: >"$WORK/uhttpd.calls"
keep 90 1
sleep 2
stop_keeper
[ ! -s "$WORK/uhttpd.calls" ] || fail "uhttpd restarted with nothing changed"
ok "a renewed certificate is copied again, the backup stays the original, no restart when unchanged"

keep 90 0
wait_for "$WORK/uhttpd.calls" "uhttpd restart"
stop_keeper
[ "$(cat "$UHTTPD_CRT")" = "uhttpd's own certificate" ] && [ "$(cat "$UHTTPD_KEY")" = "uhttpd's own key" ] ||
  fail "uhttpd_cert 0 did not restore uhttpd's pair"
[ ! -e "$UHTTPD_CRT.router-ca-orig" ] && [ ! -e "$UHTTPD_KEY.router-ca-orig" ] || fail "backups left"
ok "uhttpd_cert 0: uhttpd's own pair is back, backups gone, uhttpd restarted"

# No pair before (uhttpd had not made one yet): restore removes router-ca's, so uhttpd makes its own.
rm -f "$UHTTPD_CRT" "$UHTTPD_KEY"
keep 90 1
wait_for "$WORK/uhttpd.calls" "uhttpd restart"
stop_keeper
"${ASH[@]}" "$KEEPER" restore || fail "restore failed"
[ ! -e "$UHTTPD_CRT" ] && [ ! -e "$UHTTPD_KEY" ] && [ ! -e "$UHTTPD_CRT.router-ca-orig" ] ||
  fail "restore should leave no uhttpd pair: $(ls "$WORK/etc")"
ok "restore (prerm) without an original pair removes router-ca's"

# Renewal: the chain is 61 of 90 days old, past two thirds: procd is asked to restart the daemon
# once (the same chain is not restarted for twice).
export CHECK_SECONDS=1
touch -d '61 days ago' "$DATA/server/chain.pem"
keep 90 0
wait_for "$UBUS_CALLS" 'call service signal {"name":"router-ca","instance":"daemon","signal":15}'
sleep 13
stop_keeper
[ "$(wc -l <"$UBUS_CALLS")" = 1 ] || fail "expected one restart: $(cat "$UBUS_CALLS")"
ok "a certificate in the last third of its life: one 'ubus call service signal' (SIGTERM) to the daemon"
: >"$UBUS_CALLS"
touch -d '59 days ago' "$DATA/server/chain.pem"
keep 90 0
sleep 3
stop_keeper
[ ! -s "$UBUS_CALLS" ] || fail "restarted a certificate 59 of 90 days old: $(cat "$UBUS_CALLS")"
ok "59 of 90 days: left alone"
finish

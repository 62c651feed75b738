#!/usr/bin/env bash
# /etc/hotplug.d/button/50-router-ca with ACTION, BUTTON and SEEN as procd sets them and a fake
# router-ca: it opens the pairing window only for the configured button, held long enough, on
# release; it leaves other buttons and short presses (WPS's) alone; and it returns at once.
source "$(dirname "$0")/lib.sh"
HANDLER="$FILES/router-ca.hotplug-button"
export ROUTER_CA_CALLS="$WORK/calls" ROUTER_CA_PIDS="$WORK/pids"
stop_fakes() { [ -f "$ROUTER_CA_PIDS" ] && xargs -r kill <"$ROUTER_CA_PIDS" 2>/dev/null; rm -f "$ROUTER_CA_PIDS"; }
trap 'stop_fakes; harness_cleanup' EXIT
install_router_config

# press ACTION BUTTON SEEN: runs the handler as hotplug-call does (sourced, in a subshell) and
# fails if it takes a second or more.
press() {
  : >"$ROUTER_CA_CALLS"
  local start end
  start=$(date +%s%N)
  env ACTION="$1" BUTTON="$2" SEEN="$3" "${ASH[@]}" -c '. "$1"' hotplug-call "$HANDLER" || fail "handler exited non-zero"
  end=$(date +%s%N)
  ELAPSED_MS=$(((end - start) / 1000000))
  [ "$ELAPSED_MS" -lt 1000 ] || fail "the handler took $ELAPSED_MS ms for $1 $2 SEEN=$3"
}
expect_pair() {
  for _ in $(seq 1 30); do [ -s "$ROUTER_CA_CALLS" ] && break; sleep 0.1; done
  [ "$(cat "$ROUTER_CA_CALLS")" = "pair --data-dir /etc/router-ca" ] ||
    fail "$1: expected one 'router-ca pair --data-dir /etc/router-ca', got '$(cat "$ROUTER_CA_CALLS")'"
  ok "$1 opens the pairing window (handler returned in $ELAPSED_MS ms; router-ca takes 5 s)"
  stop_fakes
}
expect_nothing() {
  sleep 0.5
  [ ! -s "$ROUTER_CA_CALLS" ] || fail "$1: router-ca was called: $(cat "$ROUTER_CA_CALLS")"
  ok "$1 leaves router-ca alone"
}

press released wps 3; expect_pair "wps released after 3 s (the default press length)"
press released wps 12; expect_pair "wps released after 12 s"
press released wps 2; expect_nothing "wps released after 2 s (hostapd's WPS press)"
press released wps 0; expect_nothing "wps released at once"
press pressed wps 0; expect_nothing "wps pressed"
press released reset 4; expect_nothing "reset released after 4 s"
press released BTN_1 9; expect_nothing "another button"
press released wps ""; expect_nothing "wps released without SEEN"

uci set router-ca.main.pair_button=reset
uci set router-ca.main.pair_press_seconds=2
uci commit router-ca
press released reset 2; expect_pair "configured reset/2 s: reset released after 2 s"
press released wps 5; expect_nothing "configured reset/2 s: wps released after 5 s"
press released reset 1; expect_nothing "configured reset/2 s: reset released after 1 s"

grep -q "router-ca: button 'reset' held 2 s: opening the pairing window" "$FAKE_LOG" ||
  fail "no log line: $(cat "$FAKE_LOG")"
ok "each opening is logged"
finish

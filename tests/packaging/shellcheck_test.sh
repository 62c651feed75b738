#!/usr/bin/env bash
# Debian's shellcheck on every shell script of the OpenWrt package, as POSIX sh: they run under
# busybox ash on the router. busybox's ash must also parse each one (sh -n). The host-side scripts
# (build-ipk.sh, these tests) are checked as bash.
source "$(dirname "$0")/lib.sh"

router_scripts=(
  "$FILES/router-ca.init" "$FILES/router-ca.hotplug-button" "$FILES/router-ca.uci-defaults"
  "$FILES/router-ca.lan-subnet"
  "$FILES/dnsmasq-unforward" "$FILES/cert-keeper"
)
# The prerm the feed Makefile defines (make's $$ is one $ in the script).
awk '$0 == "define Package/router-ca/prerm" { on = 1; next } on && $0 == "endef" { exit } on' \
  "$OPENWRT/router-ca/Makefile" | sed 's/\$\$/$/g' >"$WORK/prerm-pkg"
[ -s "$WORK/prerm-pkg" ] || fail "no Package/router-ca/prerm in the feed Makefile"
router_scripts+=("$WORK/prerm-pkg")

for script in "${router_scripts[@]}"; do
  head -n 1 "$script" | grep -qE '^#!/bin/sh( /etc/rc.common)?$' || fail "$script does not start with #!/bin/sh"
  shellcheck -s sh "$script" >"$WORK/sc.out" 2>&1 || fail "shellcheck -s sh $script:
$(cat "$WORK/sc.out")"
  "${ASH[@]}" -n "$script" 2>"$WORK/ash.out" || fail "busybox ash cannot parse $script: $(cat "$WORK/ash.out")"
  ok "shellcheck -s sh and busybox ash -n: ${script#"$ROOT"/}"
done

fakes=("$FAKES/functions.sh" "$FAKES/procd.sh" "$FAKES/rc.common" "$FAKES/logger" "$FAKES/uci"
  "$FAKES/router-ca" "$FAKES/ubus")
shellcheck -s sh -x "${fakes[@]}" >"$WORK/sc.out" 2>&1 || fail "shellcheck on the test doubles:
$(cat "$WORK/sc.out")"
ok "shellcheck -s sh: the test doubles in tests/packaging/fakes"

# Warnings and errors; the notes (A && B || C with a fail that exits, '$' meant literally) are not.
shellcheck -s bash -x --severity=warning "$OPENWRT/build-ipk.sh" "$HERE"/*.sh >"$WORK/sc.out" 2>&1 || fail "shellcheck -s bash:
$(cat "$WORK/sc.out")"
ok "shellcheck -s bash: packaging/openwrt/build-ipk.sh and tests/packaging/*.sh"
finish

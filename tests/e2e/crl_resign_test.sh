#!/usr/bin/env bash
# The router re-signs its CRL before the CRL's nextUpdate while the daemon runs, with no
# revocation to prompt it (core/enrolment_service.cpp: in its maintenance tick, once less than
# half of kCrlLifetime, 7 days, is left). The daemon has no clock to inject (daemon/system_time.hpp
# is the system clock), so it runs under libfaketime, whose offset the test moves forward through
# FAKETIME_TIMESTAMP_FILE: +2 days (nothing to do yet), +4 days and +8 days (re-signed each time).
# Jumps rather than a fast clock: libfaketime's speed-up also shortens poll() timeouts, which
# makes the HTTPS server drop connections. About 10 s.
source "$(dirname "$0")/lib.sh"
# The thread-safe variant: the daemon has several threads.
FAKETIME_LIB=$(dpkg -L libfaketime 2>/dev/null | grep '/libfaketimeMT\.so\.1$' | head -n 1 || true)
[ -f "$FAKETIME_LIB" ] || fail "libfaketime is not installed (scripts/setup.sh installs faketime)"

echo "+0" >"$WORK/faketime.rc"
REAL_ROUTER_CA=$ROUTER_CA
ROUTER_CA="$WORK/router-ca-faketime"
cat >"$ROUTER_CA" <<SH
#!/bin/sh
LD_PRELOAD=$FAKETIME_LIB FAKETIME_TIMESTAMP_FILE=$WORK/faketime.rc FAKETIME_NO_CACHE=1 \\
  FAKETIME_DONT_FAKE_MONOTONIC=1 exec "$REAL_ROUTER_CA" "\$@"
SH
chmod +x "$ROUTER_CA"
start_router router

# crl_dates: "LAST NEXT" of the served CRL, as Unix times.
crl_dates() {
  curl -sf --cacert "$ROUTER_DIR/ca/root.pem" "$ROUTER_URL/crl" -o "$WORK/crl.der" || fail "no CRL"
  local last next
  last=$(openssl crl -inform DER -in "$WORK/crl.der" -noout -lastupdate | cut -d= -f2)
  next=$(openssl crl -inform DER -in "$WORK/crl.der" -noout -nextupdate | cut -d= -f2)
  echo "$(date -d "$last" +%s) $(date -d "$next" +%s)"
}
DAY=86400
read -r last0 next0 <<<"$(crl_dates)"
[ $((next0 - last0)) = $((7 * DAY)) ] || fail "CRL lifetime is $((next0 - last0)) s, not 7 days"
ok "first CRL: $(date -ud "@$last0" +%FT%TZ), next update 7 days later"

echo "+2d" >"$WORK/faketime.rc"
sleep 3  # several maintenance ticks (one a second)
read -r last1 _ <<<"$(crl_dates)"
[ "$last1" = "$last0" ] || fail "re-signed with 5 of 7 days left (at $(date -ud "@$last1" +%FT%TZ))"
ok "2 days on: the same CRL (5 of 7 days left, not yet due)"

# wait_resigned AFTER: polls until the served CRL was signed after AFTER (30 s at most).
wait_resigned() {
  for _ in $(seq 1 60); do
    read -r last next <<<"$(crl_dates)"
    [ "$last" -gt "$1" ] && return 0
    sleep 0.5
  done
  fail "the CRL signed at $(date -ud "@$1" +%FT%TZ) was not re-signed within 30 s"
}
prev_last=$last0 prev_next=$next0
for days in 4 8; do
  echo "+${days}d" >"$WORK/faketime.rc"
  wait_resigned "$prev_last"
  [ "$last" -ge $((last0 + days * DAY)) ] || fail "new CRL signed before the jump to +$days days"
  [ "$last" -lt "$prev_next" ] || fail "re-signed only after the previous CRL expired"
  ok "$days days on: re-signed at $(date -ud "@$last" +%FT%TZ), $(((prev_next - last) / 3600)) h before the previous one's nextUpdate"
  prev_last=$last prev_next=$next
done
finish

#!/usr/bin/env bash
# The router's CRL tells the truth (issue 15, part 6), read with `openssl crl -text`: its CRL
# number grows with every CRL it issues, also across a restart (RFC 5280 5.2.3: on main it stayed
# 2); the reason the admin gives `router-ca revoke --reason` is in the CRL entry, and an entry
# revoked without one carries no reasonCode (5.3.1: absent rather than "unspecified"); a reason
# outside RFC 5280's list for leaves is refused and revokes nothing; `router-ca devices` says why
# each device is revoked. About 15 s.
source "$(dirname "$0")/lib.sh"
start_router router --pair-guard 0
enrol_device "$WORK/cam" cam
enrol_device "$WORK/printer" printer
enrol_device "$WORK/tv" tv
cam=$(serial_of "$WORK/cam/cert.pem")
printer=$(serial_of "$WORK/printer/cert.pem")
tv=$(serial_of "$WORK/tv/cert.pem")

fetch_crl
n0=$(crl_number)
[ -n "$n0" ] || fail "the CRL has no CRL number: $(cat "$WORK/crl.txt")"
grep -q "No Revoked Certificates" "$WORK/crl.txt" || fail "a CRL before any revocation lists: $(cat "$WORK/crl.txt")"
ok "before any revocation: CRL number $n0, no entries"

rca revoke cam --reason keyCompromise >"$WORK/revoke.out" || fail "router-ca revoke cam --reason keyCompromise failed"
fetch_crl
n1=$(crl_number)
[ "$n1" -gt "$n0" ] || fail "CRL number $n1 after a revocation, $n0 before"
[ "$(crl_reason "$cam")" = "Key Compromise" ] || fail "cam's entry: reason '$(crl_reason "$cam")': $(cat "$WORK/crl.txt")"
ok "router-ca revoke cam --reason keyCompromise: cam's entry says Key Compromise; CRL number $n0 -> $n1"

rca revoke printer >/dev/null || fail "router-ca revoke printer failed"
fetch_crl
n2=$(crl_number)
[ "$n2" -gt "$n1" ] || fail "CRL number $n2 after the second revocation, $n1 before"
[ "$(crl_reason "$printer")" = none ] ||
  fail "printer, revoked without a reason, has an entry with reason '$(crl_reason "$printer")' (RFC 5280 5.3.1: absent)"
[ "$(crl_reason "$cam")" = "Key Compromise" ] || fail "cam's reason did not survive the re-signing"
ok "router-ca revoke printer: its entry has no reasonCode (RFC 5280 5.3.1); cam's keeps its own; CRL number $n1 -> $n2"

if rca revoke tv --reason cACompromise >"$WORK/bad.out" 2>&1; then fail "router-ca revoke --reason cACompromise succeeded"; fi
grep -q "must be one of unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn" "$WORK/bad.out" ||
  fail "unclear refusal: $(cat "$WORK/bad.out")"
fetch_crl
if crl_reason "$tv" >/dev/null; then fail "tv is in the CRL after a refused revocation"; fi
[ "$(crl_number)" = "$n2" ] || fail "a refused revocation re-signed the CRL ($(crl_number))"
ok "router-ca revoke tv --reason cACompromise: refused, naming the reasons; tv not revoked, the CRL unchanged"

rca devices --json >"$WORK/devices.json"
python3 - "$WORK/devices.json" <<'PY' || fail "devices --json: $(cat "$WORK/devices.json")"
import json, sys
d = {x["name"]: x for x in json.load(open(sys.argv[1]))["devices"]}
assert d["cam"]["revoked"] and d["cam"]["revocation_reason"] == "keyCompromise", d["cam"]
assert d["printer"]["revoked"] and d["printer"]["revocation_reason"] == "unspecified", d["printer"]
assert not d["tv"]["revoked"] and "revocation_reason" not in d["tv"], d["tv"]
PY
rca devices >"$WORK/devices.txt"
grep -q "^cam .* revoked (keyCompromise)$" "$WORK/devices.txt" && grep -q "^printer .* revoked (unspecified)$" "$WORK/devices.txt" &&
  grep -q "^tv .* native$" "$WORK/devices.txt" || fail "router-ca devices: $(cat "$WORK/devices.txt")"
ok "router-ca devices: cam revoked (keyCompromise), printer revoked (unspecified), tv native"

# A restart: the next CRL is numbered above every one before (the number is kept in the store).
stop_router
start_router router --pair-guard 0
fetch_crl
n3=$(crl_number)
[ "$n3" -gt "$n2" ] || fail "after a restart the CRL number is $n3, and was $n2 before it"
[ "$(crl_reason "$cam")" = "Key Compromise" ] && [ "$(crl_reason "$printer")" = none ] ||
  fail "the reasons did not survive the restart: $(cat "$WORK/crl.txt")"
ok "after a restart: CRL number $n2 -> $n3, the entries and their reasons as before"

rca revoke tv --reason cessationOfOperation >/dev/null || fail "router-ca revoke tv --reason cessationOfOperation failed"
fetch_crl
[ "$(crl_number)" -gt "$n3" ] && [ "$(crl_reason "$tv")" = "Cessation Of Operation" ] ||
  fail "after the restart: number $(crl_number), tv's reason '$(crl_reason "$tv" || true)'"
ok "after the restart: router-ca revoke tv --reason cessationOfOperation, CRL number $n3 -> $(crl_number)"
finish

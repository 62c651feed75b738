#!/usr/bin/env bash
# Pairing like WPS push-button: two devices in one window are an overlap (nobody approved); the
# admin resolves it; a device that asked before the button was pressed still pairs.
source "$(dirname "$0")/lib.sh"
start_router router --pair-guard 2
FP=$(root_fingerprint)

rca pair >/dev/null
set +e
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$WORK/a" --name a --ca-fingerprint "$FP" \
  --timeout 30 >"$WORK/a.out" 2>&1 &
pid_a=$!
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$WORK/b" --name b --ca-fingerprint "$FP" \
  --timeout 30 >"$WORK/b.out" 2>&1 &
pid_b=$!
wait $pid_a; code_a=$?
wait $pid_b; code_b=$?
set -e
[ $code_a = 6 ] && [ $code_b = 6 ] || fail "expected overlap (6) for both, got $code_a and $code_b: $(cat "$WORK/a.out" "$WORK/b.out")"
ok "two devices in one window: both told overlap (exit 6): $(tail -n 1 "$WORK/a.out")"

rca status --json >"$WORK/status.json"
python3 - "$WORK/status.json" >"$WORK/overlap_ids" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["pairing"]["outcome"] == "overlap", s["pairing"]
ids = [r["id"] for r in s["requests"] if r["status"] == "overlap"]
assert len(ids) == 2, s["requests"]
print("\n".join(ids))
PY
[ "$(rca devices --json | python3 -c 'import json,sys; print(len([d for d in json.load(sys.stdin)["devices"] if d["source"] == "native"]))')" = 0 ] ||
  fail "a device was created despite the overlap"
ok "no certificate issued; both requests listed as overlap; pairing outcome overlap"

first=$(sed -n 1p "$WORK/overlap_ids"); second=$(sed -n 2p "$WORK/overlap_ids")
rca approve "$first" >"$WORK/approve.out" || fail "approve failed"
ok "router-ca approve: $(cat "$WORK/approve.out")"
rca deny "$second" >/dev/null || fail "deny failed"
if rca deny "$second" >"$WORK/deny2.out" 2>&1; then fail "denying twice succeeded"; fi
ok "router-ca deny; a second deny is refused: $(cat "$WORK/deny2.out")"
rca devices --json | python3 -c '
import json, sys
names = sorted(d["name"] for d in json.load(sys.stdin)["devices"] if d["source"] == "native")
assert len(names) == 1 and names[0] in ("a", "b"), names' || fail "exactly one device expected after approval"
ok "exactly the approved device exists"

# The device first, the button 2 s later: the request counts (pending within 120 s before).
"$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$WORK/c" --name early --ca-fingerprint "$FP" \
  --timeout 30 >"$WORK/c.out" 2>&1 &
pid_c=$!
sleep 2
rca pair >/dev/null
wait $pid_c || fail "the early device did not pair: $(cat "$WORK/c.out")"
grep -q "early.home.arpa" "$WORK/c/state.json" || fail "state.json does not name early.home.arpa"
ok "a device that asked before the button press is approved"

# Every transition is in the audit log, which lives in the store.
finish

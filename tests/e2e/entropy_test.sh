#!/usr/bin/env bash
# A cold device: device-enrol pairs while getrandom(GRND_NONBLOCK) says the kernel's pool is not
# initialised (EAGAIN, simulated by an LD_PRELOAD shim, since only a fresh boot shows it for
# real). It must say that it waits and for how long, still make its key, and take the key's bytes
# from a blocking getrandom(). Then a cold router: its first start makes the CA under the same
# shim, with the same wait and the same source (entropy/kernel_rng.hpp). About 20 s.
source "$(dirname "$0")/lib.sh"
: "${GETRANDOM_SHIM:?set GETRANDOM_SHIM to the getrandom_shim module}"

start_router router --pair-guard 0
rca pair >/dev/null
LD_PRELOAD="$GETRANDOM_SHIM" GETRANDOM_SHIM_LOG="$WORK/getrandom.rec" GETRANDOM_SHIM_WAIT_MS=400 \
  "$DEVICE_ENROL" pair --router "$ROUTER_URL" --out "$WORK/cold" --name cold \
  --ca-fingerprint "$(root_fingerprint)" --timeout 30 >"$WORK/pair.out" 2>&1 ||
  fail "pair on a cold device failed: $(cat "$WORK/pair.out")"

head -n 1 "$WORK/getrandom.rec" | grep -q "^nonblock EAGAIN$" ||
  fail "device-enrol did not probe with GRND_NONBLOCK first: $(head -n 3 "$WORK/getrandom.rec")"
ok "device-enrol probed getrandom(GRND_NONBLOCK) first and got EAGAIN"
grep -q "waiting for the kernel's random pool to be initialised before making keys" "$WORK/pair.out" ||
  fail "no log line about the wait: $(cat "$WORK/pair.out")"
waited=$(sed -n "s/.*random pool is ready after waiting \([0-9.]*\) s.*/\1/p" "$WORK/pair.out")
[ -n "$waited" ] || fail "no log line with the time waited: $(cat "$WORK/pair.out")"
python3 -c "import sys; sys.exit(0 if float('$waited') >= 0.4 else 1)" ||
  fail "reported a wait of $waited s for a 0.4 s wait"
ok "the log says it waits and why, then 'ready after waiting $waited s' (simulated: 0.4 s)"
[ "$(grep -n "waiting for the kernel" "$WORK/pair.out" | cut -d: -f1)" -lt \
  "$(grep -n "making a new p256 key" "$WORK/pair.out" | cut -d: -f1)" ] ||
  fail "the key was made before the wait: $(cat "$WORK/pair.out")"
ok "the wait comes before the key is made"

[ "$(stat -c %a "$WORK/cold/key.pem")" = 600 ] || fail "key.pem is not 0600"
verify_chain "$WORK/cold/cert.pem" "$ROUTER_DIR/ca/root.pem" "$WORK/cold/chain.pem" >/dev/null ||
  fail "the cold device's chain does not verify"
ok "the key was made (0600) and the certificate verifies"

# Botan 2.19 draws a P-256 private key as the 32 bytes of one randomize() call, redrawn while out
# of [1, n) (EC_Group::random_scalar -> BigInt::random_integer(rng, 1, n) in big_rand.cpp): it must
# be one of the blocking getrandom() answers the shim recorded.
# key_from_getrandom KEY RECORD: true when KEY's private scalar is one of RECORD's blocking answers.
key_from_getrandom() {
  openssl pkey -in "$1" -noout -text >"$WORK/key.txt"
  python3 - "$WORK/key.txt" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
priv = int(re.sub(r"[^0-9a-f]", "", re.search(r"priv:(.*?)pub:", text, re.S).group(1)), 16)
answers = [l.split() for l in open(sys.argv[2]) if l.startswith("block 32 ")]
assert any(int(a[2], 16) == priv for a in answers), f"{len(answers)} answers, none matches"
PY
}
key_from_getrandom "$WORK/cold/key.pem" "$WORK/getrandom.rec" || fail "the private key is not from any getrandom() answer"
ok "the private key is the very bytes a blocking getrandom() returned ($(grep -c '^block' "$WORK/getrandom.rec") blocking calls recorded)"

# A cold router: router-ca started directly (not through start_router, whose curl would run under
# the shim too) on an empty data folder, so its first start makes the root and intermediate keys.
COLD_DIR="$WORK/cold-router"
LD_PRELOAD="$GETRANDOM_SHIM" GETRANDOM_SHIM_LOG="$WORK/router-getrandom.rec" GETRANDOM_SHIM_WAIT_MS=400 \
  "$ROUTER_CA" serve --data-dir "$COLD_DIR" --listen "127.0.0.1:$(free_port)" \
  --lan-subnet 127.0.0.0/8 --dns-listen "127.0.0.1:$(free_port)" --mdns off >"$WORK/cold-router.log" 2>&1 &
cold_pid=$!
PIDS+=("$cold_pid")
for _ in $(seq 1 300); do
  [ -f "$COLD_DIR/ca/intermediate.key.pem" ] && break
  kill -0 "$cold_pid" 2>/dev/null || fail "the cold router exited: $(cat "$WORK/cold-router.log")"
  sleep 0.1
done
[ -f "$COLD_DIR/ca/intermediate.key.pem" ] || fail "the cold router made no CA within 30 s: $(cat "$WORK/cold-router.log")"
grep -q "^nonblock EAGAIN$" "$WORK/router-getrandom.rec" || fail "router-ca did not probe getrandom(GRND_NONBLOCK)"
grep -q "waiting for the kernel's random pool to be initialised before making keys" "$WORK/cold-router.log" ||
  fail "router-ca did not say that it waits: $(cat "$WORK/cold-router.log")"
grep -q "random pool is ready after waiting" "$WORK/cold-router.log" ||
  fail "router-ca did not say how long it waited: $(cat "$WORK/cold-router.log")"
ok "router-ca's first start waits for the pool and says so: '$(grep -o "ready after waiting [0-9.]* s" "$WORK/cold-router.log")'"
for key in root intermediate; do
  key_from_getrandom "$COLD_DIR/ca/$key.key.pem" "$WORK/router-getrandom.rec" ||
    fail "the router's $key key is not from any getrandom() answer"
done
ok "the router's root and intermediate keys are the very bytes blocking getrandom() calls returned"
finish

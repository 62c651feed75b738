#!/usr/bin/env bash
# footprint: what router-ca costs a router at rest, next to peers measured in the same run.
#
#   idle RSS:   VmRSS (and VmHWM, the peak) of `router-ca serve` a few seconds after it answers
#               /healthz, with a fresh data directory (so the CA and its own certificate were just
#               made). Peer: `pebble` (Debian's Let's Encrypt test ACME CA) idle on loopback.
#   disk:       size of the stripped binaries (strip -o a copy): router-ca, device-enrol, and
#               pebble. The shared libraries they load are listed with their sizes, since a
#               router without them (OpenWrt has no Botan package) must carry them too.
#
# usage: bench/footprint.sh [BUILD_DIR]      (default: build; builds nothing itself)
# env:   SETTLE (seconds to wait after start before reading RSS, default 3)
set -euo pipefail

BUILD=${1:-build}
SETTLE=${SETTLE:-3}
ROUTER_CA="$BUILD/router-ca/cli/router-ca"
DEVICE_ENROL="$BUILD/device-enrol/device-enrol"

die() {
  echo >&2
  echo "footprint: ERROR: $*" >&2
  echo "footprint: no figures produced" >&2
  exit 1
}

[[ "$SETTLE" =~ ^[0-9]+$ && "$SETTLE" -le 60 ]] || die "SETTLE must be 0..60"
[ -x "$ROUTER_CA" ] || die "$ROUTER_CA not found: build it first (cmake --build $BUILD --target router-ca)"
[ -x "$DEVICE_ENROL" ] ||
  die "$DEVICE_ENROL not found: build it first (cmake --build $BUILD --target device-enrol)"
for tool in pebble strip openssl curl python3; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed (the peer is Debian's pebble)"
done

source "$(dirname "$0")/../scripts/lib/harness.sh"
harness_init rca-bench-footprint
# status_kb PID FIELD: a field of /proc/PID/status in kB.
status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
threads() { awk '$1 == "Threads:" { print $2 }' "/proc/$1/status"; }
stripped_size() {
  strip -o "$WORK/stripped" "$1" 2>/dev/null || cp "$1" "$WORK/stripped"
  stat -c %s "$WORK/stripped"
}
kib() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1024 }'; }
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)

echo "footprint: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -sr)," \
  "build type ${build_type:-?}, pebble $(dpkg-query -W -f='${Version}' pebble 2>/dev/null || echo '?')"

# --- idle RSS -----------------------------------------------------------------------------------
RDIR="$WORK/router"
RPORT=$(free_port)
"$ROUTER_CA" serve --data-dir "$RDIR" --listen "127.0.0.1:$RPORT" \
  --lan-subnet 127.0.0.0/8 --lan-subnet 192.168.0.0/16 >"$WORK/router.log" 2>&1 &
RPID=$!
PIDS+=("$RPID")
router_up() {
  [ -f "$RDIR/ca/root.pem" ] &&
    curl -sf --cacert "$RDIR/ca/root.pem" "https://127.0.0.1:$RPORT/healthz"
}
wait_until 20 "router-ca serve" "$RPID" router_up

# pebble: HTTPS certificate made here (Debian ships none), management interface off, loopback.
PB="$WORK/pebble"
mkdir -p "$PB"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$PB/key.pem" -out "$PB/cert.pem" >/dev/null 2>&1 ||
  die "openssl could not make pebble's TLS certificate"
PPORT=$(free_port)
cat >"$PB/pebble.json" <<EOF
{"pebble": {"listenAddress": "127.0.0.1:$PPORT", "managementListenAddress": "",
  "certificate": "$PB/cert.pem", "privateKey": "$PB/key.pem",
  "httpPort": $(free_port), "tlsPort": $(free_port), "ocspResponderURL": "",
  "externalAccountBindingRequired": false}}
EOF
pebble -config "$PB/pebble.json" >"$WORK/pebble.log" 2>&1 &
PEBBLE_PID=$!
PIDS+=("$PEBBLE_PID")
pebble_up() { curl -sf --cacert "$PB/cert.pem" "https://127.0.0.1:$PPORT/dir"; }
wait_until 20 "pebble" "$PEBBLE_PID" pebble_up

sleep "$SETTLE"
R_RSS=$(status_kb "$RPID" VmRSS)
R_HWM=$(status_kb "$RPID" VmHWM)
R_ANON=$(status_kb "$RPID" RssAnon)
R_THREADS=$(threads "$RPID")
P_RSS=$(status_kb "$PEBBLE_PID" VmRSS)
P_HWM=$(status_kb "$PEBBLE_PID" VmHWM)
P_ANON=$(status_kb "$PEBBLE_PID" RssAnon)
P_THREADS=$(threads "$PEBBLE_PID")
[ -n "$R_RSS" ] && [ -n "$P_RSS" ] || die "could not read /proc/PID/status"
echo
echo "idle memory, ${SETTLE} s after answering (fresh data directory):"
row() { printf '  %-18s VmRSS %6d KiB  (private RssAnon %6d KiB)  VmHWM %6d KiB  threads %s\n' "$@"; }
row "router-ca serve" "$R_RSS" "$R_ANON" "$R_HWM" "$R_THREADS"
row "peer: pebble" "$P_RSS" "$P_ANON" "$P_HWM" "$P_THREADS"
RSS_RATIO=$(python3 -c "print(f'{$R_RSS / $P_RSS:.2f}')")
ANON_RATIO=$(python3 -c "print(f'{$R_ANON / $P_ANON:.2f}')")
echo "  ratio router-ca / pebble: VmRSS $RSS_RATIO, private RssAnon $ANON_RATIO"

# --- binary sizes -------------------------------------------------------------------------------
R_SIZE=$(stripped_size "$ROUTER_CA")
D_SIZE=$(stripped_size "$DEVICE_ENROL")
P_SIZE=$(stripped_size "$(command -v pebble)")
echo
echo "stripped binary size (strip -o a copy):"
printf '  %-22s %6s KiB  (unstripped %s KiB)\n' "router-ca" "$(kib "$R_SIZE")" "$(kib "$(stat -c %s "$ROUTER_CA")")"
printf '  %-22s %6s KiB  (unstripped %s KiB)\n' "device-enrol" "$(kib "$D_SIZE")" "$(kib "$(stat -c %s "$DEVICE_ENROL")")"
printf '  %-22s %6s KiB  (Go runtime built in; links only libc)\n' "peer: pebble" "$(kib "$P_SIZE")"
echo "  ratio router-ca / device-enrol: $(python3 -c "print(f'{$R_SIZE / $D_SIZE:.2f}')")," \
  "router-ca / pebble: $(python3 -c "print(f'{$R_SIZE / $P_SIZE:.2f}')")"
echo
echo "shared libraries router-ca loads (not counted above), size on disk:"
ldd "$ROUTER_CA" | awk '$3 ~ /^\// { print $1, $3 }' | while read -r name path; do
  real=$(readlink -f "$path")
  printf '  %-28s %6s KiB\n' "$name" "$(kib "$(stat -c %s "$real")")"
done
echo "RESULT footprint router_rss_kib=$R_RSS router_anon_kib=$R_ANON router_hwm_kib=$R_HWM" \
  "pebble_rss_kib=$P_RSS pebble_anon_kib=$P_ANON" \
  "rss_ratio=$RSS_RATIO anon_ratio=$ANON_RATIO router_stripped_kib=$(kib "$R_SIZE") device_enrol_stripped_kib=$(kib "$D_SIZE")" \
  "pebble_stripped_kib=$(kib "$P_SIZE")"

#!/usr/bin/env bash
# daemon_zone_rss: memory of the whole `router-ca serve` daemon (CA, store, HTTPS, DNS zone) with
# HOSTS devices in its home zone, beside the same daemon with none and beside dnsmasq holding the
# same names in a hosts file, measured in one run.
#
# The devices are written straight into the daemon's SQLite store (rows of the devices table, as
# enrolment leaves them) while the daemon is stopped: enrolling 10,000 devices through the API
# takes about 13 minutes, and the zone is built from the same rows either way. The script then
# asks the daemon's DNS for a few of them, so the figure is for a zone that really holds them.
#
# usage: bench/daemon_zone_rss.sh [BUILD_DIR]     env: HOSTS (default 10000, 1..60000)
set -euo pipefail

BUILD=${1:-build}
HOSTS=${HOSTS:-10000}
ROUTER_CA="$BUILD/router-ca/cli/router-ca"
die() { echo "daemon_zone_rss: ERROR: $*" >&2; exit 1; }
[[ "$HOSTS" =~ ^[0-9]+$ && "$HOSTS" -ge 1 && "$HOSTS" -le 60000 ]] || die "HOSTS must be 1..60000"
[ -x "$ROUTER_CA" ] || die "$ROUTER_CA not found: cmake --build $BUILD --target router-ca"
for tool in dnsmasq kdig python3 curl; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

source "$(dirname "$0")/../scripts/lib/harness.sh"
harness_init rca-bench-zone-rss

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# start_daemon: starts router-ca on $WORK/router; sets PID, DNS.
start_daemon() {
  local port; port=$(free_port); DNS=$(free_port)
  "$ROUTER_CA" serve --data-dir "$WORK/router" --listen "127.0.0.1:$port" \
    --lan-subnet 127.0.0.0/8 --lan-subnet 10.0.0.0/8 --dns-listen "127.0.0.1:$DNS" --mdns off \
    >>"$WORK/router.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 1 200); do
    curl -sf --cacert "$WORK/router/ca/root.pem" "https://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return
    sleep 0.05
  done
  die "router-ca did not start: $(tail -n 3 "$WORK/router.log")"
}
stop_daemon() { kill -TERM "$PID"; wait "$PID" || true; }

start_daemon
sleep 2
empty_rss=$(rss_kib "$PID")
stop_daemon

python3 - "$WORK/router/router-ca.db" "$HOSTS" "$WORK/hosts" <<'PY'
import sqlite3, sys, time
db, n, hosts = sys.argv[1], int(sys.argv[2]), sys.argv[3]
con = sqlite3.connect(db)
now = int(time.time() * 1000)
rows = [(f"device-{i}", f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}", "p256", "native", now)
        for i in range(1, n + 1)]
with con:
    con.executemany("INSERT INTO devices (name, ipv4, key_type, source, created_at) VALUES (?,?,?,?,?)", rows)
with open(hosts, "w") as f:
    for name, ip, *_ in rows:
        f.write(f"{ip} {name}.home.arpa\n")
PY

start_daemon
last="device-$HOSTS.home.arpa"
answer=$(kdig @127.0.0.1 -p "$DNS" +short +timeout=2 "$last")
[ -n "$answer" ] || die "the daemon's zone does not answer $last"
sleep 2
full_rss=$(rss_kib "$PID")

MPORT=$(free_port)
dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null --local=/home.arpa/ \
  --addn-hosts="$WORK/hosts" --listen-address=127.0.0.1 --bind-interfaces --port="$MPORT" \
  --pid-file="$WORK/dnsmasq.pid" >"$WORK/dnsmasq.log" 2>&1 &
MPID=$!
PIDS+=("$MPID")
for _ in $(seq 1 100); do
  [ -n "$(kdig @127.0.0.1 -p "$MPORT" +short +timeout=1 "$last" 2>/dev/null)" ] && break
  sleep 0.05
done
sleep 1
dnsmasq_rss=$(rss_kib "$MPID")

echo "router-ca serve, 0 devices:       ${empty_rss} KiB VmRSS"
echo "router-ca serve, $HOSTS devices:  ${full_rss} KiB VmRSS ($last -> $answer)"
echo "  the zone's own cost:           $((full_rss - empty_rss)) KiB"
echo "peer: dnsmasq, $HOSTS hosts:      ${dnsmasq_rss} KiB VmRSS"
echo "RESULT daemon_zone_rss hosts=$HOSTS router_empty_kib=$empty_rss router_full_kib=$full_rss dnsmasq_kib=$dnsmasq_rss"

#!/usr/bin/env bash
# dns_bench: router-ca's authoritative DNS responder against dnsmasq, same machine, same run, same
# query file, measured by dnsperf (Debian).
#
#   responder:  dns-serve-zone (the responder library router-ca serves with, on its own; a test
#               tool built with the tests) serving home.arpa with HOSTS devices, its reverse zone,
#               and its per-thread response cache (default) -- and once more with the cache off
#               (--cache-entries 0), to show the cost of building every answer with libldns.
#   peer:       dnsmasq serving the same names from a hosts file (--addn-hosts), with no upstream
#               (--no-resolv) and home.arpa local (--local=/home.arpa/), so misses are answered
#               NXDOMAIN and out-of-zone names REFUSED, as the responder does; --local-ttl=60.
#   queries:    the same files for all: "mixed", 60% A for devices, 10% AAAA for devices
#               (NODATA), 10% PTR for device addresses, 10% A for names that do not exist
#               (NXDOMAIN), 10% A outside the zone (REFUSED); and "forward", the same without the
#               PTRs (dnsmasq finds a PTR in its hosts by scanning them all, so PTRs dominate its
#               mixed figure; the forward file shows the rest on its own).
#   figures:    throughput: dnsperf at full speed for DURATION s per server and file, ROUNDS
#               rounds in rotating order, median queries/s and average latency; latency: dnsperf
#               at a fixed RATE queries/s for 5 s with per-query output, p50/p99/p99.9; memory: VmRSS of each
#               server idle after start and after the load (the cache full), and of the responder
#               with an empty zone, so the zone's own cost shows.
#
# usage: bench/dns_bench.sh [BUILD_DIR]      (default: build; builds nothing itself)
# env:   DURATION (s per throughput run, default 10, 1..60), ROUNDS (default 3, 1..9),
#        HOSTS (devices in the zone, default 10000, 1..60000), RATE (default 10000 q/s)
set -euo pipefail

BUILD=${1:-build}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
HOSTS=${HOSTS:-10000}
RATE=${RATE:-10000}
SERVE_ZONE="$BUILD/tests/router-ca/dns/dns-serve-zone"

die() {
  echo >&2
  echo "dns_bench: ERROR: $*" >&2
  echo "dns_bench: no figures produced" >&2
  exit 1
}

[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 && "$DURATION" -le 60 ]] || die "DURATION must be 1..60"
[[ "$ROUNDS" =~ ^[0-9]+$ && "$ROUNDS" -ge 1 && "$ROUNDS" -le 9 ]] || die "ROUNDS must be 1..9"
[[ "$HOSTS" =~ ^[0-9]+$ && "$HOSTS" -ge 1 && "$HOSTS" -le 60000 ]] || die "HOSTS must be 1..60000"
[[ "$RATE" =~ ^[0-9]+$ && "$RATE" -ge 100 && "$RATE" -le 200000 ]] || die "RATE must be 100..200000"
[ -x "$SERVE_ZONE" ] ||
  die "$SERVE_ZONE not found: build it first (cmake --build $BUILD --target dns-serve-zone)"
for tool in dnsperf dnsmasq kdig python3; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed (scripts/setup.sh installs it)"
done

source "$(dirname "$0")/../scripts/lib/harness.sh"
harness_init rca-bench-dns
status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

echo "dns_bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "dnsperf $(dpkg-query -W -f='${Version}' dnsperf 2>/dev/null || echo '?')," \
  "dnsmasq $(dpkg-query -W -f='${Version}' dnsmasq-base 2>/dev/null || echo '?')"
echo "zone: home.arpa with $HOSTS devices; throughput ${DURATION} s x $ROUNDS rounds per server"

# --- zone, hosts files and the query file --------------------------------------------------------
python3 - "$WORK" "$HOSTS" <<'PY'
import random, sys
work, hosts = sys.argv[1], int(sys.argv[2])
addr = lambda i: f"192.168.{1 + i // 250}.{1 + i % 250}"
with open(f"{work}/zone.hosts", "w") as z, open(f"{work}/dnsmasq.hosts", "w") as d:
    for i in range(hosts):
        z.write(f"device-{i} {addr(i)}\n")
        d.write(f"{addr(i)} device-{i}.home.arpa\n")
rng = random.Random(1)
with open(f"{work}/mixed.txt", "w") as mixed, open(f"{work}/forward.txt", "w") as forward:
    for _ in range(20000):
        r = rng.random()
        i = rng.randrange(hosts)
        if r < 0.6:
            line = f"device-{i}.home.arpa A\n"
        elif r < 0.7:
            line = f"device-{i}.home.arpa AAAA\n"
        elif r < 0.8:
            a = addr(i).split(".")
            mixed.write(f"{a[3]}.{a[2]}.{a[1]}.{a[0]}.in-addr.arpa PTR\n")
            continue
        elif r < 0.9:
            line = f"ghost-{rng.randrange(1000)}.home.arpa A\n"
        else:
            line = f"www{rng.randrange(10)}.example.com A\n"
        mixed.write(line)
        forward.write(line)
PY

# start_serve_zone NAME [options]: sets the PID and port variables NAME_PID, NAME_PORT.
start_serve_zone() {
  local name=$1 port=""; shift
  "$SERVE_ZONE" --listen 127.0.0.1:0 --domain home.arpa --subnet 192.168.0.0/16 \
    --router 192.168.0.1 "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 300); do
    port=$(sed -n 's/^listening on .*:\([0-9]*\) (.*/\1/p' "$WORK/$name.log")
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || die "dns-serve-zone ($name) exited: $(tail -n 3 "$WORK/$name.log")"
    sleep 0.1
  done
  [ -n "$port" ] || die "dns-serve-zone ($name) did not start"
  printf -v "${name}_PID" %s "$pid"
  printf -v "${name}_PORT" %s "$port"
}

start_serve_zone responder --hosts-file "$WORK/zone.hosts"
start_serve_zone uncached --hosts-file "$WORK/zone.hosts" --cache-entries 0
start_serve_zone empty

dnsmasq_PORT=$(free_port)
dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
  --listen-address=127.0.0.1 --bind-interfaces --port="$dnsmasq_PORT" \
  --addn-hosts="$WORK/dnsmasq.hosts" --local=/home.arpa/ --local-ttl=60 \
  --pid-file="$WORK/dnsmasq.pid" --log-facility="$WORK/dnsmasq.log" --user="$(id -un)" &
dnsmasq_PID=$!
PIDS+=("$dnsmasq_PID")
# --user: stay who we are, so dnsmasq can read the hosts file in our private work folder.
for _ in $(seq 1 100); do
  grep -q 'read .*dnsmasq.hosts' "$WORK/dnsmasq.log" 2>/dev/null && break
  kill -0 "$dnsmasq_PID" 2>/dev/null || die "dnsmasq exited: $(tail -n 3 "$WORK/dnsmasq.log")"
  sleep 0.1
done
grep -q 'read .*dnsmasq.hosts' "$WORK/dnsmasq.log" ||
  die "dnsmasq did not load its hosts file: $(tail -n 3 "$WORK/dnsmasq.log")"

# Both must give the same answers before their speed means anything.
last=$((HOSTS - 1))
for q in "device-$last.home.arpa A" "device-0.home.arpa AAAA" "1.1.168.192.in-addr.arpa PTR" \
  "ghost-1.home.arpa A" "www1.example.com A"; do
  # shellcheck disable=SC2086
  a=$(kdig @127.0.0.1 -p "$responder_PORT" +retry=0 +short +timeout=2 $q 2>&1)
  # shellcheck disable=SC2086
  b=$(kdig @127.0.0.1 -p "$dnsmasq_PORT" +retry=0 +short +timeout=2 $q 2>&1)
  # shellcheck disable=SC2086
  sa=$(kdig @127.0.0.1 -p "$responder_PORT" +retry=0 +timeout=2 $q | sed -n 's/.*status: \([A-Z]*\).*/\1/p')
  # shellcheck disable=SC2086
  sb=$(kdig @127.0.0.1 -p "$dnsmasq_PORT" +retry=0 +timeout=2 $q | sed -n 's/.*status: \([A-Z]*\).*/\1/p')
  [ "$a" = "$b" ] && [ "$sa" = "$sb" ] ||
    die "answers differ for '$q': responder $sa '$a', dnsmasq $sb '$b'"
  echo "  same answer from both: $q -> $sa ${a:-(no data)}"
done

IDLE_RESPONDER=$(status_kb "$responder_PID" VmRSS)
IDLE_EMPTY=$(status_kb "$empty_PID" VmRSS)
IDLE_DNSMASQ=$(status_kb "$dnsmasq_PID" VmRSS)

# --- throughput ------------------------------------------------------------------------------------
# run_dnsperf NAME FILE ROUND: one full-speed run; appends "qps latency lost%" to $WORK/NAME.FILE.
run_dnsperf() {
  local name=$1 file=$2 round=$3 port_var="${1}_PORT" out="$WORK/$1.$2.$3.perf"
  dnsperf -s 127.0.0.1 -p "${!port_var}" -d "$WORK/$file.txt" -l "$DURATION" -c 1 -T 1 -q 100 \
    >"$out" 2>&1 || die "dnsperf against $name failed: $(tail -n 5 "$out")"
  local qps lat lost
  qps=$(sed -n 's/^ *Queries per second: *\([0-9.]*\).*/\1/p' "$out")
  lat=$(sed -n 's/^ *Average Latency (s): *\([0-9.]*\).*/\1/p' "$out")
  lost=$(sed -n 's/^ *Queries lost: *[0-9]* (\([0-9.]*\)%).*/\1/p' "$out")
  [ -n "$qps" ] && [ -n "$lat" ] || die "no figures in dnsperf's output for $name"
  echo "$qps $lat $lost" >>"$WORK/$name.$file"
  printf '  round %d  %-8s %-10s %9.0f q/s  average latency %6.3f ms  lost %s%%\n' "$round" "$file" \
    "$name" "$qps" "$(python3 -c "print($lat * 1000)")" "$lost"
}

echo
echo "throughput (dnsperf -c 1 -T 1 -q 100, full speed, ${DURATION} s a run):"
servers=(responder dnsmasq uncached)
for round in $(seq 1 "$ROUNDS"); do
  for file in mixed forward; do
    for i in 0 1 2; do
      run_dnsperf "${servers[$(((i + round - 1) % 3))]}" "$file" "$round"
    done
  done
done
for name in responder dnsmasq; do
  printf '  %-10s %s\n' "$name:" "$(grep -h 'Response codes' "$WORK/$name.mixed.1.perf" | sed 's/^ *//')"
done

# median FILE COLUMN
median() { sort -g -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'; }
for name in responder dnsmasq uncached; do
  for file in mixed forward; do
    printf -v "QPS_${name}_${file}" %s "$(median "$WORK/$name.$file" 1)"
    printf -v "LAT_${name}_${file}" %s "$(median "$WORK/$name.$file" 2)"
  done
done

# --- latency at a fixed rate ---------------------------------------------------------------------
# percentiles NAME FILE: dnsperf -v at RATE q/s for 5 s; prints "p50 p99 p99.9 max" in ms.
percentiles() {
  local port_var="${1}_PORT"
  dnsperf -s 127.0.0.1 -p "${!port_var}" -d "$WORK/$2.txt" -l 5 -Q "$RATE" -v \
    >"$WORK/$1.$2.verbose" 2>&1 || die "dnsperf -v against $1 failed"
  python3 - "$WORK/$1.$2.verbose" <<'PY'
import sys
lat = sorted(float(l.split()[-1]) for l in open(sys.argv[1]) if l.startswith("> ") and l.split()[1] != "T")
if not lat:
    sys.exit("no per-query latencies")
pick = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
print(f"{pick(0.5):.3f} {pick(0.99):.3f} {pick(0.999):.3f} {lat[-1] * 1000:.3f}")
PY
}
echo
echo "latency at $RATE q/s (dnsperf -Q $RATE -v, 5 s a run), ms:"
lrow() { printf '  %-8s %-20s p50 %6s  p99 %7s  p99.9 %7s  max %7s\n' "$@"; }
for file in mixed forward; do
  for name in responder dnsmasq uncached; do
    read -r p50 p99 p999 pmax < <(percentiles "$name" "$file")
    printf -v "P50_${name}_${file}" %s "$p50"
    printf -v "P99_${name}_${file}" %s "$p99"
    lrow "$file" "$name" "$p50" "$p99" "$p999" "$pmax"
  done
done

# --- memory --------------------------------------------------------------------------------------
LOADED_RESPONDER=$(status_kb "$responder_PID" VmRSS)
LOADED_DNSMASQ=$(status_kb "$dnsmasq_PID" VmRSS)
echo
echo "memory (VmRSS, KiB):"
printf '  %-34s %7s idle  %7s after the load\n' "responder, $HOSTS devices" "$IDLE_RESPONDER" "$LOADED_RESPONDER"
printf '  %-34s %7s idle\n' "responder, empty zone" "$IDLE_EMPTY"
printf '  %-34s %7s idle  %7s after the load\n' "peer: dnsmasq, $HOSTS hosts" "$IDLE_DNSMASQ" "$LOADED_DNSMASQ"

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
ms() { python3 -c "print(f'{$1 * 1000:.3f}')"; }
echo
echo "summary (medians of $ROUNDS rounds; 'responder, no cache' builds every answer with libldns):"
for file in mixed forward; do
  for name in responder dnsmasq uncached; do
    q="QPS_${name}_${file}" l="LAT_${name}_${file}"
    printf '  %-8s %-20s %9.0f q/s  average latency %s ms\n' "$file" "$name" "${!q}" "$(ms "${!l}")"
  done
  echo "  $file: ratio responder / dnsmasq $(ratio "$(eval echo "\$QPS_responder_$file")" "$(eval echo "\$QPS_dnsmasq_$file")")x," \
    "no cache / dnsmasq $(ratio "$(eval echo "\$QPS_uncached_$file")" "$(eval echo "\$QPS_dnsmasq_$file")")x"
done
echo "  zone of $HOSTS devices: $((IDLE_RESPONDER - IDLE_EMPTY)) KiB" \
  "(responder idle $IDLE_RESPONDER KiB vs empty $IDLE_EMPTY KiB)"
echo "RESULT dns mixed_responder_qps=$QPS_responder_mixed mixed_dnsmasq_qps=$QPS_dnsmasq_mixed" \
  "mixed_uncached_qps=$QPS_uncached_mixed mixed_ratio=$(ratio "$QPS_responder_mixed" "$QPS_dnsmasq_mixed")" \
  "forward_responder_qps=$QPS_responder_forward forward_dnsmasq_qps=$QPS_dnsmasq_forward" \
  "forward_uncached_qps=$QPS_uncached_forward forward_ratio=$(ratio "$QPS_responder_forward" "$QPS_dnsmasq_forward")" \
  "mixed_responder_p50_ms=$P50_responder_mixed mixed_responder_p99_ms=$P99_responder_mixed" \
  "mixed_dnsmasq_p50_ms=$P50_dnsmasq_mixed mixed_dnsmasq_p99_ms=$P99_dnsmasq_mixed" \
  "forward_responder_p50_ms=$P50_responder_forward forward_responder_p99_ms=$P99_responder_forward" \
  "forward_dnsmasq_p50_ms=$P50_dnsmasq_forward forward_dnsmasq_p99_ms=$P99_dnsmasq_forward" \
  "responder_rss_kib=$IDLE_RESPONDER responder_loaded_rss_kib=$LOADED_RESPONDER" \
  "empty_rss_kib=$IDLE_EMPTY dnsmasq_rss_kib=$IDLE_DNSMASQ dnsmasq_loaded_rss_kib=$LOADED_DNSMASQ hosts=$HOSTS"

#!/usr/bin/env bash
# attack_bench: every unauthenticated flood at once against one router-ca daemon for DURATION s,
# while a real device pairs, renews and resolves names; the same operations on the idle router,
# before and after the floods in the same run, are the peer (issue 14, part 4).
#
#   floods:   one load client per source address in 127.0.0.0/8, all started together, each as
#             fast as the router answers (closed loop; FLOOD_CONNECTIONS keep-alive connections
#             per HTTPS flood):
#               127.0.3.1  enrolment requests, valid CSRs of 64 distinct keys (attack_client.py)
#               127.0.3.2  enrolment polls with wrong bearer tokens
#               127.0.3.3  admin logins with a wrong 1024-character password (the admin exists)
#               127.0.3.4  ACME newAccount, a new account key each time
#               127.0.3.5  ACME newNonce
#               127.0.3.6  DNS over UDP (dnsperf, 100 queries in flight)
#               127.0.3.7  DNS over TCP (dnsperf, 4 connections, 32 queries in flight)
#               127.0.3.8  slow clients (tests/e2e/slow_client.py: 24 idle, ClientHello- and
#                          request-trickling connections, each replaced 0.2 s after it is closed)
#             The flood clients run at nice FLOOD_NICE (19): on a router the attackers' CPU is
#             not the router's, and here they share 2 cores with the daemon and the device.
#   device:   from 127.0.0.1, idle, then WARM_UP s into the floods, then idle again: `device-enrol
#             pair` with the button pressed a second after it asked (`router-ca pair`); RUNS x
#             `device-enrol renew --force`; QUERIES A queries for its name over UDP and over TCP
#             (bench/dns_probe.py); `device-enrol pair` approved by the admin (`router-ca
#             approve`, the request found by its source address and name). Under the floods the
#             press meets the floods' pending requests and ACME accounts: an overlap; the script
#             prints what the admin then sees (`router-ca status`, `router-ca acme accounts`).
#   figures:  each flood's answers per second and their HTTP status codes (DNS: response codes),
#             its failed connections and any second with no answer, so a flood that did not run
#             shows; the daemon's peak RSS (VmHWM), data folder growth, CPU seconds, threads, and
#             rows and bytes per table afterwards; the device's median times idle and under attack
#             with their ratio; and the goals (peak RSS <= 48 MiB, data folder growth <= 2 MiB,
#             renewal and DNS <= 3x idle), each "met" or "MISSED".
#
# usage: bench/attack_bench.sh [BUILD_DIR]     (default: build; builds nothing itself)
# env:   DURATION (s, default 60, 30..600); FLOOD_CONNECTIONS (per HTTPS flood, default 1, 1..6);
#        FLOOD_NICE (default 19; 0 lets the flood clients compete with the daemon for the CPU);
#        FLOODS (which floods run, default all: "enrol poll login acme-account acme-nonce dns-udp
#        dns-tcp slow"; a subset tells which flood costs what); RUNS (renewals per phase, default
#        5); QUERIES (DNS queries per transport and phase, default 100)
# Exit status 0 when it ran and printed its figures, whether or not the goals were met; 1 when it
# could not run (a tool missing, a flood client failing, the router not answering).
set -euo pipefail

BUILD=${1:-build}
DURATION=${DURATION:-60}
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-1}
ALL_FLOODS="enrol poll login acme-account acme-nonce dns-udp dns-tcp slow"
FLOODS=${FLOODS:-$ALL_FLOODS}
FLOOD_NICE=${FLOOD_NICE:-19}
RUNS=${RUNS:-5}
QUERIES=${QUERIES:-100}
ROUTER_CA="$BUILD/router-ca/cli/router-ca"
DEVICE_ENROL="$BUILD/device-enrol/device-enrol"
HERE=$(cd "$(dirname "$0")" && pwd)
SLOW_CLIENT="$HERE/../tests/e2e/slow_client.py"
RSS_GOAL_KIB=$((48 * 1024))
DATA_GOAL_BYTES=$((2 * 1024 * 1024))
# The device's operations start this long after the floods, once every flood is up to speed.
WARM_UP=5

die() {
  echo >&2
  echo "attack_bench: ERROR: $*" >&2
  echo "attack_bench: no figures produced" >&2
  exit 1
}

[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 30 && "$DURATION" -le 600 ]] || die "DURATION must be 30..600"
[[ "$FLOOD_NICE" =~ ^[0-9]+$ && "$FLOOD_NICE" -le 19 ]] || die "FLOOD_NICE must be 0..19"
[[ "$FLOOD_CONNECTIONS" =~ ^[1-6]$ ]] || die "FLOOD_CONNECTIONS must be 1..6 (the router's per-address limit)"
for kind in $FLOODS; do
  [[ " $ALL_FLOODS " == *" $kind "* ]] || die "FLOODS: unknown flood '$kind' (known: $ALL_FLOODS)"
done
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 && "$RUNS" -le 50 ]] || die "RUNS must be 1..50"
[[ "$QUERIES" =~ ^[0-9]+$ && "$QUERIES" -ge 1 && "$QUERIES" -le 1000 ]] || die "QUERIES must be 1..1000"
for binary in "$ROUTER_CA" "$DEVICE_ENROL"; do
  [ -x "$binary" ] || die "$binary not found: cmake --build $BUILD --target router-ca device-enrol"
done
for tool in dnsperf openssl curl python3 du; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed (scripts/setup.sh installs it)"
done
python3 -c 'import cryptography' 2>/dev/null ||
  die "python3-cryptography is not importable (scripts/setup.sh installs it)"

source "$HERE/../scripts/lib/harness.sh"
source "$HERE/router_lib.sh"
harness_init rca-bench-attack
status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
# cpu_ticks PID: user + system time of the process (all threads) in clock ticks (proc(5)).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
now_ms() { date +%s%3N; }

echo "attack_bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "router-ca $(git -C "$HERE/.." rev-parse --short HEAD 2>/dev/null || echo '?'), dnsperf $(dpkg-query -W -f='${Version}' dnsperf 2>/dev/null || echo '?')"
echo "floods: $DURATION s, $FLOOD_CONNECTIONS connection(s) per HTTPS flood; device: $RUNS renewals," \
  "$QUERIES DNS queries per transport, per phase"

# --- the router ----------------------------------------------------------------------------------
start_bench_router router "$ROUTER_CA"
rca() { "$ROUTER_CA" "$@" --data-dir "$DATA"; }
FP=$(openssl x509 -in "$ROOT" -outform DER | sha256sum | cut -d' ' -f1)

# The admin account exists, as on any router in use: logins are then hashed and counted.
python3 -c 'import json,sys; print(json.dumps({"code": sys.argv[1], "password": "the admin password"}))' \
  "$(rca setup-code)" >"$WORK/setup.json"
code=$(curl -s -o "$WORK/setup.out" -w '%{http_code}' --cacert "$ROOT" -H 'Content-Type: application/json' \
  --data @"$WORK/setup.json" "$URL/api/v1/admin/setup")
[ "$code" = 201 ] || die "admin setup gave $code: $(cat "$WORK/setup.out")"

# --- the real device -----------------------------------------------------------------------------
# timed NAME CMD...: runs CMD, appends "NAME ms exit" to $WORK/times.
timed() {
  local name=$1; shift
  local start status=0
  start=$(now_ms)
  "$@" >>"$WORK/device.log" 2>&1 || status=$?
  echo "$name $(($(now_ms) - start)) $status" >>"$WORK/times"
  return 0
}
# A window watches for its whole length after it approves (issue 15): a second device asking in
# it would take the approval back. So each press is short, and nothing else pairs until it closes.
WINDOW_SECONDS=8
wait_window_closed() {
  for _ in $(seq 1 $((WINDOW_SECONDS * 20))); do
    rca status --json | python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["pairing"]["open"])' &&
      return 0
    sleep 0.1
  done
  die "the pairing window did not close within ${WINDOW_SECONDS} s"
}
# pair_by_button PHASE DIR NAME: the device asks first, the admin presses the button a second
# later (the order WPS allows both ways; here the press meets whatever else is pending).
# Timed from the press to the device's exit: what the user waits for after pressing.
pair_by_button() {
  local phase=$1 dir=$2 name=$3 start status=0
  "$DEVICE_ENROL" pair --router "$URL" --out "$dir" --name "$name" --ca-fingerprint "$FP" \
    --timeout 30 >>"$WORK/device.log" 2>&1 &
  local pid=$!
  sleep 1
  start=$(now_ms)
  echo "$start" >"$WORK/$phase.press_ms"
  rca pair --seconds "$WINDOW_SECONDS" >/dev/null
  wait "$pid" || status=$?
  echo "$phase.pair_button $(($(now_ms) - start)) $status" >>"$WORK/times"
  wait_window_closed
  rca status --json >"$WORK/$phase.status.json"
  rca status >"$WORK/$phase.status.txt"
  rca acme accounts --json >"$WORK/$phase.accounts.json"
}
# pair_by_approval PHASE DIR NAME: the device asks with no window open; the admin finds its
# request in `router-ca status` (source 127.0.0.1, the hint the device was given) and approves it.
pair_by_approval() {
  local phase=$1 dir=$2 name=$3 start status=0 id=""
  start=$(now_ms)
  "$DEVICE_ENROL" pair --router "$URL" --out "$dir" --name "$name" --ca-fingerprint "$FP" \
    --timeout 30 >>"$WORK/device.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 200); do
    id=$(rca status --json | python3 -c '
import json, sys
ids = [r["id"] for r in json.load(sys.stdin)["requests"]
       if r["source"] == "127.0.0.1" and r["name_hint"] == sys.argv[1] and r["status"] == "pending"]
print(ids[0] if ids else "")' "$name")
    [ -n "$id" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$id" ] && rca approve "$id" >/dev/null
  wait "$pid" || status=$?
  echo "$phase.pair_approval $(($(now_ms) - start)) $status" >>"$WORK/times"
}
# dns_times PHASE TRANSPORT: QUERIES A queries for the device's name, one after another, over
# udp or tcp (bench/dns_probe.py: kdig's 0.1 ms steps are as long as an idle answer takes).
dns_times() {
  local phase=$1 transport=$2 tcp=()
  [ "$transport" = tcp ] && tcp=(--tcp)
  python3 "$HERE/dns_probe.py" --port "$DNS_PORT" --name realdev.home.arpa --count "$QUERIES" \
    "${tcp[@]}" >"$WORK/probe.out"
  # A query counts as done when it was answered NOERROR with an address.
  awk -v p="$phase.dns_$transport" '{ print p, $1, ($2 == "NOERROR" && $3 > 0) ? 0 : $2 }' \
    "$WORK/probe.out" >>"$WORK/times"
}
# device_ops PHASE [nopair]: everything the real device does, in the same order in each phase.
# After the floods the enrolment flood's requests are still pending (for 10 minutes), and a
# button pressed within the lookback (120 s) would meet them: that phase does not pair.
device_ops() {
  local phase=$1
  [ "${2:-}" = nopair ] || pair_by_button "$phase" "$WORK/$phase-button" "$phase-button"
  for _ in $(seq 1 "$RUNS"); do timed "$phase.renew" "$DEVICE_ENROL" renew --force --out "$WORK/realdev"; done
  dns_times "$phase" udp
  dns_times "$phase" tcp
  [ "${2:-}" = nopair ] || pair_by_approval "$phase" "$WORK/$phase-approved" "$phase-approved"
}

# The device whose renewals and name are timed: paired before anything is measured.
rca pair --seconds "$WINDOW_SECONDS" >/dev/null
"$DEVICE_ENROL" pair --router "$URL" --out "$WORK/realdev" --name realdev --ca-fingerprint "$FP" \
  --timeout 30 >>"$WORK/device.log" 2>&1 || die "the device did not pair: $(tail -n 3 "$WORK/device.log")"
wait_window_closed
echo "idle router: the device pairs, renews and resolves ..."
device_ops idle
# Busy and total CPU time of the whole machine (proc(5) /proc/stat "cpu" line): how much of it was
# left while the floods ran, for the flood clients and everyone else on it.
machine_cpu() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }

# --- the floods ----------------------------------------------------------------------------------
printf 'realdev.home.arpa A\nrouter.home.arpa A\nnothing-here.home.arpa A\nexample.com A\n' >"$WORK/queries.txt"
du_bytes() { du -sb "$DATA" | cut -f1; }
data_before=$(du_bytes)
rss_before=$(status_kb "$ROUTER_PID" VmRSS)
hwm_before=$(status_kb "$ROUTER_PID" VmHWM)
# Writing 5 to clear_refs resets VmHWM to the current RSS (proc(5)), so the peak read at the end
# is the attack's own; where refused, the peak is since the daemon started.
if echo 5 >"/proc/$ROUTER_PID/clear_refs" 2>/dev/null; then peak_since="the floods began"; else
  peak_since="the daemon started"; fi
# The Python floods make their keys and requests first, then all begin when $WORK/go appears.
FLOOD_PIDS=()
# start_flood KIND: starts one flood from its own address (see the table at the top).
start_flood() {
  local kind=$1
  case "$kind" in
    enrol | poll | login | acme-account | acme-nonce)
      local n
      n=$(($(tr ' ' '\n' <<<"enrol poll login acme-account acme-nonce" | grep -nx "$kind" | cut -d: -f1)))
      nice -n "$FLOOD_NICE" python3 "$HERE/attack_client.py" "$kind" --port "$PORT" --cafile "$ROOT" \
        --source "127.0.3.$n" --connections "$FLOOD_CONNECTIONS" --seconds "$DURATION" \
        --ready "$WORK/ready-$kind" --go "$WORK/go" --report "$WORK/flood-$kind.json" \
        >"$WORK/flood-$kind.log" 2>&1 &
      ;;
    dns-udp)
      nice -n "$FLOOD_NICE" dnsperf -s 127.0.0.1 -p "$DNS_PORT" -a 127.0.3.6 -d "$WORK/queries.txt" -l "$DURATION" -c 1 -T 1 \
        -q 100 >"$WORK/flood-dns-udp.txt" 2>&1 &
      ;;
    dns-tcp)
      nice -n "$FLOOD_NICE" dnsperf -m tcp -s 127.0.0.1 -p "$DNS_PORT" -a 127.0.3.7 -d "$WORK/queries.txt" -l "$DURATION" \
        -c 4 -T 1 -q 32 >"$WORK/flood-dns-tcp.txt" 2>&1 &
      ;;
    slow)
      nice -n "$FLOOD_NICE" python3 "$SLOW_CLIENT" --port "$PORT" --source 127.0.3.8 --count 24 --every 1 --reconnect 0.2 \
        --hold "$DURATION" --go "$WORK/go" --status "$WORK/slow-status.json" --report "$WORK/flood-slow.json" \
        >"$WORK/flood-slow.log" 2>&1 &
      ;;
  esac
  FLOOD_PIDS+=($!)
  PIDS+=($!)
}
for kind in $FLOODS; do
  case "$kind" in enrol | poll | login | acme-account | acme-nonce | slow) start_flood "$kind" ;; esac
done
for kind in $FLOODS; do
  case "$kind" in
    enrol | poll | login | acme-account | acme-nonce)
      for _ in $(seq 1 1200); do
        [ -e "$WORK/ready-$kind" ] && break
        sleep 0.1
      done
      [ -e "$WORK/ready-$kind" ] || die "the $kind flood was not ready within 120 s: $(tail -n 3 "$WORK/flood-$kind.log")"
      ;;
  esac
done
touch "$WORK/go"
ticks_before=$(cpu_ticks "$ROUTER_PID")
flood_start=$(now_ms)
for kind in $FLOODS; do
  case "$kind" in dns-udp | dns-tcp) start_flood "$kind" ;; esac
done
read -r machine_busy_before machine_total_before < <(machine_cpu)
# Every second until the floods end: the daemon's RSS and threads, and the CPU ticks the flood
# clients have used so far (the last line before they exit is their total, within a second).
(while kill -0 "$ROUTER_PID" 2>/dev/null; do
  clients=0
  for pid in "${FLOOD_PIDS[@]}"; do
    [ -r "/proc/$pid/stat" ] && clients=$((clients + $(cpu_ticks "$pid" 2>/dev/null || echo 0)))
  done
  echo "$(status_kb "$ROUTER_PID" VmRSS) $(status_kb "$ROUTER_PID" Threads) $clients"
  sleep 1
done) >"$WORK/rss.samples" &
SAMPLER=$!
PIDS+=("$SAMPLER")

echo "floods: $DURATION s; the device starts after $WARM_UP s ..."
sleep "$WARM_UP"
device_ops attack
device_end=$(now_ms)
for pid in "${FLOOD_PIDS[@]}"; do
  wait "$pid" || die "a flood client failed: $(tail -n 3 "$WORK"/flood-*.log "$WORK"/flood-dns-*.txt)"
done
flood_end=$(now_ms)
ticks_after=$(cpu_ticks "$ROUTER_PID")
read -r machine_busy_after machine_total_after < <(machine_cpu)
hwm_after=$(status_kb "$ROUTER_PID" VmHWM)
rss_after=$(status_kb "$ROUTER_PID" VmRSS)
data_after=$(du_bytes)
kill "$SAMPLER" 2>/dev/null || true
[ "$device_end" -le $((flood_start + DURATION * 1000)) ] ||
  die "the device's operations outlasted the floods by $((device_end - flood_start - DURATION * 1000)) ms: raise DURATION"
curl -sf --cacert "$ROOT" "$URL/healthz" >/dev/null || die "router-ca stopped answering"
echo "idle router again: the device renews and resolves ..."
device_ops after nopair
# Rows and bytes per table (with its indexes; SQLite's dbstat) of the store the floods wrote to.
python3 - "$DATA/router-ca.db" >"$WORK/store.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
table_of = dict(db.execute("SELECT name, tbl_name FROM sqlite_schema"))
size = {}
for name, pages in db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
    size[table_of.get(name, name)] = size.get(table_of.get(name, name), 0) + pages
rows = []
for table in ("enrolment_requests", "acme_accounts", "audit_log", "devices", "certificates"):
    count = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    rows.append(f"{table} {count} rows {size.get(table, 0)} bytes")
print(", ".join(rows))
PY
stat -c '%n %s' "$DATA"/router-ca.db* | sed "s|$DATA/||" | tr '\n' ' ' >"$WORK/files.txt"
kill -TERM "$ROUTER_PID"
wait "$ROUTER_PID" || die "router-ca did not exit cleanly"
refused=$(sed -n 's/.*HTTPS refused \([0-9]*\) connections.*/\1/p' "$WORK/router.log" | tail -n 1)

# --- figures -------------------------------------------------------------------------------------
python3 - "$WORK" <<PY
import json, re, statistics, sys
work = sys.argv[1]
duration, clk = ($flood_end - $flood_start) / 1000, $(getconf CLK_TCK)
goals = []

floods = "$FLOODS".split()
print(f"floods, each from its own address ({duration:.1f} s, all at once): {' '.join(floods)}")
for kind in [k for k in ("enrol", "poll", "login", "acme-account", "acme-nonce") if k in floods]:
    r = json.load(open(f"{work}/flood-{kind}.json"))
    statuses = ", ".join(f"{k}: {v}" for k, v in r["statuses"].items()) or "none"
    silent = [i for i, n in enumerate(r["per_second"]) if n == 0]
    print(f"  {kind:13} {r['source']:10} {r['rps']:7.1f} answers/s over {r['seconds']} s (lowest second {r['rps_lowest_second']},"
          f" median {r['rps_median_second']}), p50 {r['p50_ms']} ms; status {statuses};"
          f" failed connections {r['failures']} {r['first_failures'][:1] or ''}"
          + (f"; no answer in seconds {silent}" if silent else ""))
for transport in [t for t in ("udp", "tcp") if f"dns-{t}" in floods]:
    text = open(f"{work}/flood-dns-{transport}.txt").read()
    qps = float(re.search(r"Queries per second:\s*([0-9.]+)", text).group(1))
    lost = re.search(r"Queries lost:\s*([0-9]+)", text).group(1)
    codes = re.search(r"Response codes:\s*(.*)", text)
    print(f"  dns-{transport:9} 127.0.3.{6 if transport == 'udp' else 7} {qps:7.1f} answers/s; lost {lost};"
          f" {codes.group(1) if codes else 'no answers'}")
if "slow" in floods:
    slow = json.load(open(f"{work}/flood-slow.json"))
    print(f"  slow clients  127.0.3.8  {slow['reconnects']} reconnects; open at the end {slow['open']}"
          f" (held > 2 s: {slow['held']})")
print(f"  router-ca refused ${refused:-?} connections over its limits in all; the button was pressed"
      f" {(int(open(f'{work}/attack.press_ms').read()) - $flood_start) / 1000:.1f} s into the floods")

samples = [l.split() for l in open(f"{work}/rss.samples") if len(l.split()) == 3]
rss_max = max(int(s[0]) for s in samples) if samples else 0
threads = sorted({int(s[1]) for s in samples})
clients_cpu = max((int(s[2]) for s in samples), default=0) / clk
machine_busy = ($machine_busy_after - $machine_busy_before) / ($machine_total_after - $machine_total_before)
cpu = ($ticks_after - $ticks_before) / clk
growth = $data_after - $data_before
print()
print("the daemon:")
print(f"  VmRSS before {$rss_before} KiB, highest sample {rss_max} KiB, after {$rss_after} KiB;"
      f" threads {threads[0] if threads else '?'}..{threads[-1] if threads else '?'}")
print(f"  peak RSS (VmHWM) since $peak_since: {$hwm_after} KiB (before the floods: {$hwm_before} KiB since start)")
print(f"  CPU: {cpu:.1f} s in {duration:.1f} s ({100 * cpu / duration:.0f}% of one core); the flood clients"
      f" used {clients_cpu:.1f} s on the same machine, which was {100 * machine_busy:.0f}% busy"
      f" ({$(nproc)} CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at the end)")
print(f"  data folder: {$data_before} -> {$data_after} bytes (+{growth}); $(cat "$WORK/files.txt")")
print(f"  store afterwards: $(cat "$WORK/store.txt")")
goals.append(("peak RSS <= 48 MiB", $hwm_after <= $RSS_GOAL_KIB, f"{$hwm_after} KiB"))
goals.append(("data folder growth <= 2 MiB", growth <= $DATA_GOAL_BYTES, f"{growth} bytes"))

times = {}
for line in open(f"{work}/times"):
    name, ms, status = line.split()
    times.setdefault(name, []).append((float(ms), status))
def summary(*names):
    runs = [run for name in names for run in times.get(name, [])]
    ok = [ms for ms, status in runs if status == "0"]
    failed = [status for ms, status in runs if status != "0"]
    return (statistics.median(ok) if ok else None), len(ok), failed
fmt = lambda v, digits=1: "-" if v is None else f"{v:.{digits}f}"
print()
print("the real device (127.0.0.1), idle router (before and after the floods) vs under attack, median ms:")
labels = {"renew": "device-enrol renew --force", "dns_udp": "DNS A over UDP, round trip",
          "dns_tcp": "DNS A over TCP, connect + answer", "pair_button": "pair, from the button press",
          "pair_approval": "pair, approved by the admin"}
for op, label in labels.items():
    (idle, n_idle, f_idle) = summary(f"idle.{op}", f"after.{op}")
    (attack, n_attack, f_attack) = summary(f"attack.{op}")
    ratio = attack / idle if idle and attack else None
    digits = 3 if op.startswith("dns") else 1
    notes = []
    if f"after.{op}" in times:
        notes.append(f"idle before {fmt(summary(f'idle.{op}')[0], digits)}, after {fmt(summary(f'after.{op}')[0], digits)}")
    if f_idle: notes.append(f"idle failures {f_idle}")
    if f_attack: notes.append(f"under attack failures {f_attack}")
    print(f"  {label:33} idle {fmt(idle, digits):>8} (n={n_idle})  attack {fmt(attack, digits):>8} (n={n_attack})"
          f"  ratio {'-' if ratio is None else f'{ratio:.2f}x'}  {'; '.join(notes)}")
    if op in ("renew", "dns_udp", "dns_tcp"):
        met = ratio is not None and ratio <= 3 and not f_attack
        goals.append((f"{label} <= 3x idle", met, "-" if ratio is None else f"{ratio:.2f}x"))
print("  (failures are device-enrol exit statuses: 6 overlap, 8 timed out; or DNS answers other than"
      " NOERROR with an address)")

status = json.load(open(f"{work}/attack.status.json"))
pairing = status["pairing"]
print()
print(f"pairing under attack: the button press ended '{pairing['outcome']}' with {len(pairing['requests'])}"
      f" request(s); the device's button pairing exited with status {times['attack.pair_button'][0][1]}"
      " (0 paired, 6 overlap, 8 timed out)")
print("  what the admin sees in 'router-ca status' (requests listed):")
lines = [l.rstrip() for l in open(f"{work}/attack.status.txt") if l.startswith("request ")]
for l in lines[:8]:
    print("    " + l)
if len(lines) > 8:
    print(f"    ... {len(lines) - 8} more")
accounts = json.load(open(f"{work}/attack.accounts.json"))["accounts"]
by_approval = {}
for a in accounts:
    by_approval[a["approval"]] = by_approval.get(a["approval"], 0) + 1
print(f"  and in 'router-ca acme accounts' (the web UI's ACME page): {len(accounts)} accounts, by"
      f" approval {by_approval}")

print()
print("goals:")
for what, met, value in goals:
    print(f"  {'met   ' if met else 'MISSED'} {what}: {value}")
def med(*names):
    value = summary(*names)[0]
    return None if value is None else round(value, 3)
print("RESULT " + " ".join(f"{k}={v}" for k, v in [
    ("peak_rss_kib", $hwm_after), ("data_growth_bytes", growth), ("cpu_s", round(cpu, 1)),
    ("seconds", round(duration, 1)), ("renew_idle_ms", med("idle.renew", "after.renew")),
    ("renew_attack_ms", med("attack.renew")),
    ("dns_udp_idle_ms", med("idle.dns_udp", "after.dns_udp")), ("dns_udp_attack_ms", med("attack.dns_udp")),
    ("dns_tcp_idle_ms", med("idle.dns_tcp", "after.dns_tcp")), ("dns_tcp_attack_ms", med("attack.dns_tcp")),
    ("pair_outcome", pairing["outcome"]), ("goals_missed", sum(1 for g in goals if not g[1]))]))
PY

#!/usr/bin/env bash
# load_bench: the whole daemon under sustained mixed load on loopback while one address holds all
# the connections it may, next to peers given the same load in the same run:
#
#   router-ca:  `router-ca serve` (defaults: 16 HTTPS connections, 6 per address) with
#               POLL_THREADS devices polling their enrolment (keep-alive), RENEW_THREADS devices
#               renewing over mutual TLS with a new key each time (signing and a store commit
#               each), dnsperf asking for the devices' A records (8 queries in flight), and an
#               attacker on 127.0.0.2 that keeps 24 slow connections open, replacing each one the
#               router closes; all at once for DURATION s. Each load client has its own source
#               address (127.0.1.x, 127.0.2.x), as devices on a LAN do.
#   peers:      the same clients and attacker, same DURATION, against nginx (HTTPS: answers the
#               same paths with a fixed body of the router's answer's size, mutual TLS optional,
#               keep-alive limited to 20 requests as the router does; no CA work at all, so the
#               ratio is the cost of what router-ca does beyond TLS and HTTP) and dnsmasq (the
#               same names from a hosts file, as bench/dns_bench.sh).
#   figures:    requests per second per kind (overall, lowest and median second), p50/p99
#               latency, errors (every non-200 or failed connection of the load clients: they
#               never meet a limit, so this must be 0; dnsperf's lost queries), VmRSS and threads
#               of the daemon at start, middle and end, the attacker's open connections, and the
#               connections the router refused.
#
# usage: bench/load_bench.sh [BUILD_DIR]      (default: build; builds nothing itself)
# env:   DURATION (s, default 60, 10..600), POLL_THREADS (default 4), RENEW_THREADS (default 2),
#        NGINX (the nginx binary; default: nginx on PATH. Debian's nginx package starts a service
#        on port 80 when installed; to avoid that: apt-get download nginx && dpkg-deb -x
#        nginx_*.deb DIR, then NGINX=DIR/usr/sbin/nginx), ROUTER_CA_BEFORE (another router-ca
#        binary, e.g. one built from an earlier commit: it gets the same load first, in the same
#        run, so a change is measured side by side with its baseline and the peers)
set -euo pipefail

BUILD=${1:-build}
DURATION=${DURATION:-60}
POLL_THREADS=${POLL_THREADS:-4}
RENEW_THREADS=${RENEW_THREADS:-2}
NGINX=${NGINX:-$(command -v nginx || true)}
ROUTER_CA="$BUILD/router-ca/cli/router-ca"
ROUTER_CA_BEFORE=${ROUTER_CA_BEFORE:-}
HERE=$(cd "$(dirname "$0")" && pwd)
SLOW_CLIENT="$HERE/../tests/e2e/slow_client.py"

die() {
  echo >&2
  echo "load_bench: ERROR: $*" >&2
  echo "load_bench: no figures produced" >&2
  exit 1
}

[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 10 && "$DURATION" -le 600 ]] || die "DURATION must be 10..600"
[[ "$POLL_THREADS" =~ ^[0-9]+$ && "$POLL_THREADS" -ge 1 && "$POLL_THREADS" -le 8 ]] ||
  die "POLL_THREADS must be 1..8"
[[ "$RENEW_THREADS" =~ ^[0-9]+$ && "$RENEW_THREADS" -ge 1 && "$RENEW_THREADS" -le 8 ]] ||
  die "RENEW_THREADS must be 1..8"
[ -x "$ROUTER_CA" ] || die "$ROUTER_CA not found: build it first (cmake --build $BUILD --target router-ca)"
[ -z "$ROUTER_CA_BEFORE" ] || [ -x "$ROUTER_CA_BEFORE" ] || die "ROUTER_CA_BEFORE=$ROUTER_CA_BEFORE is not executable"
[ -n "$NGINX" ] && [ -x "$NGINX" ] ||
  die "nginx not found: install Debian's nginx, or set NGINX (see the comment at the top)"
for tool in dnsperf dnsmasq openssl curl python3; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed (scripts/setup.sh installs it)"
done

source "$HERE/../scripts/lib/harness.sh"
source "$HERE/router_lib.sh"
harness_init rca-bench-load
status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

echo "load_bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'), dnsmasq $(dpkg-query -W -f='${Version}' dnsmasq-base 2>/dev/null || echo '?')," \
  "dnsperf $(dpkg-query -W -f='${Version}' dnsperf 2>/dev/null || echo '?')"
echo "load: $POLL_THREADS polling devices, $RENEW_THREADS renewing devices, dnsperf 8 in flight," \
  "24 slow connections from 127.0.0.2; $DURATION s per server"

# --- the router and its devices ------------------------------------------------------------------
# start_router NAME BINARY: starts BINARY serve with data in $WORK/NAME and enrols the devices the
# load clients use; sets PORT, DNS_PORT, DATA, ROOT, ROUTER_PID, ENROLMENTS, DEVICES.
start_router() {
  local name=$1 binary=$2
  start_bench_router "$name" "$binary"

  # enrol NAME KEYFILE CSRFILE: enrols one device (window open, guard 0: issued at once); prints
  # the 202's JSON.
  enrol() {
    "$binary" pair --seconds 3600 --data-dir "$DATA" >/dev/null
    python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read(), "name": sys.argv[2]}))' \
      "$3" "$1" >"$WORK/body.json"
    curl -sf --cacert "$ROOT" -H 'Content-Type: application/json' --data @"$WORK/body.json" \
      "https://127.0.0.1:$PORT/api/v1/enrolments" || die "enrolment of $1 failed"
  }
  ENROLMENTS="$WORK/$name-enrolments.json"
  DEVICES="$WORK/$name-devices"
  echo "[" >"$ENROLMENTS"
  for i in $(seq 0 $((POLL_THREADS - 1))); do
    new_csr "$WORK/poll$i.key" "$WORK/poll$i.csr"
    enrol "poll$i" "$WORK/poll$i.key" "$WORK/poll$i.csr" >"$WORK/$name-poll$i.json"
    [ "$(json "$WORK/$name-poll$i.json" status)" = issued ] || die "poll$i not issued: $(cat "$WORK/$name-poll$i.json")"
    sep=","; [ "$i" = $((POLL_THREADS - 1)) ] && sep=""
    echo "$(cat "$WORK/$name-poll$i.json")$sep" >>"$ENROLMENTS"
  done
  echo "]" >>"$ENROLMENTS"
  for i in $(seq 0 $((RENEW_THREADS - 1))); do
    d="$DEVICES/$i"
    mkdir -p "$d"
    new_csr "$d/key-a.pem" "$d/csr-a.pem"
    new_csr "$d/key-b.pem" "$d/csr-b.pem"
    enrol "renew$i" "$d/key-a.pem" "$d/csr-a.pem" >"$d/enrolment.json"
    python3 -c 'import json,sys; open(sys.argv[2],"w").write(json.load(open(sys.argv[1]))["certificate"])' \
      "$d/enrolment.json" "$d/cert-a.pem"
  done
}
new_csr() { # KEY CSR
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
  openssl req -new -key "$1" -subj /CN=device -out "$2" 2>/dev/null
}
# The query file: every device's A record (all answered NOERROR with one address).
for i in $(seq 0 $((POLL_THREADS - 1))); do echo "poll$i.home.arpa A"; done >"$WORK/queries.txt"
for i in $(seq 0 $((RENEW_THREADS - 1))); do echo "renew$i.home.arpa A"; done >>"$WORK/queries.txt"
echo "router.home.arpa A" >>"$WORK/queries.txt"
awk '{ print "127.0.0.1", $1 }' "$WORK/queries.txt" >"$WORK/dnsmasq.hosts"

# --- one phase: the same load against an HTTPS port and a DNS port --------------------------------
# run_phase NAME HTTPS_PORT DNS_PORT CAFILE PID [--peer]: DURATION s of load; RSS of PID sampled at
# the start, the middle and the end into $WORK/NAME.rss.
run_phase() {
  local name=$1 https=$2 dns=$3 cafile=$4 pid=$5 peer=${6:-}
  python3 "$SLOW_CLIENT" --port "$https" --source 127.0.0.2 --count 24 --every 1 --reconnect 0.2 \
    --hold "$DURATION" --status "$WORK/$name.slow-status.json" --report "$WORK/$name.slow.json" \
    >"$WORK/$name.slow.log" 2>&1 &
  local slow=$!
  sleep 2  # the attacker takes its slots first
  python3 "$HERE/load_client.py" poll --port "$https" --cafile "$cafile" --threads "$POLL_THREADS" \
    --seconds "$DURATION" --source-prefix 127.0.1. --enrolments "$ENROLMENTS" $peer \
    --report "$WORK/$name.poll.json" >"$WORK/$name.poll.log" 2>&1 &
  local poll=$!
  python3 "$HERE/load_client.py" renew --port "$https" --cafile "$cafile" --threads "$RENEW_THREADS" \
    --seconds "$DURATION" --source-prefix 127.0.2. --devices "$DEVICES" $peer \
    --report "$WORK/$name.renew.json" >"$WORK/$name.renew.log" 2>&1 &
  local renew=$!
  dnsperf -s 127.0.0.1 -p "$dns" -d "$WORK/queries.txt" -l "$DURATION" -c 1 -T 1 -q 8 \
    >"$WORK/$name.dnsperf.txt" 2>&1 &
  local perf=$!
  # Samples as the load starts, half-way and a second before its end: "VmRSS Threads held", held
  # being the attacker's connections open for more than 2 s (not just refused).
  local samples=""
  for wait_s in 0 $((DURATION / 2)) $((DURATION / 2 - 1)); do
    sleep "$wait_s"
    samples+="$(status_kb "$pid" VmRSS) $(status_kb "$pid" Threads) $(json "$WORK/$name.slow-status.json" held 2>/dev/null || echo '?');"
  done
  echo "$samples" >"$WORK/$name.samples"
  wait "$poll" || die "$name: poll client failed: $(tail -n 5 "$WORK/$name.poll.log")"
  wait "$renew" || die "$name: renew client failed: $(tail -n 5 "$WORK/$name.renew.log")"
  wait "$perf" || die "$name: dnsperf failed: $(tail -n 5 "$WORK/$name.dnsperf.txt")"
  wait "$slow" || die "$name: slow clients failed: $(tail -n 5 "$WORK/$name.slow.log")"
}

# router_round NAME BINARY: a router of BINARY under the load; its figures in $WORK/NAME.*.
router_round() {
  local name=$1 binary=$2
  start_router "$name" "$binary"
  echo "$name ($binary): $DURATION s ..."
  run_phase "$name" "$PORT" "$DNS_PORT" "$ROOT" "$ROUTER_PID"
  curl -sf --cacert "$ROOT" "https://127.0.0.1:$PORT/healthz" >/dev/null || die "$binary stopped answering"
  kill -TERM "$ROUTER_PID"
  wait "$ROUTER_PID" || die "$binary did not exit cleanly"
  sed -n 's/.*HTTPS refused \([0-9]*\) connections.*/\1/p' "$WORK/$name.log" | tail -n 1 >"$WORK/$name.refused"
}
[ -z "$ROUTER_CA_BEFORE" ] || router_round before "$ROUTER_CA_BEFORE"
router_round router "$ROUTER_CA"
refused=$(cat "$WORK/router.refused")

# --- the peers ------------------------------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$WORK/nginx.key" -out "$WORK/nginx.pem" 2>/dev/null
# Bodies of the router's answers' sizes: an issued enrolment (poll) and a renewal (the same shape).
body_size=$(wc -c <"$WORK/router-poll0.json")
body=$(head -c "$body_size" /dev/zero | tr '\0' x)
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 20;
  keepalive_timeout 5s;
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    ssl_certificate $WORK/nginx.pem;
    ssl_certificate_key $WORK/nginx.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_verify_client optional_no_ca;
    default_type application/json;
    location /api/v1/enrolments/ { return 200 '$body'; }
    location = /api/v1/renewals { return 200 '$body'; }
  }
}
EOF
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx-error.log" -c "$WORK/nginx.conf" >"$WORK/nginx.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
DNSMASQ_PORT=$(free_port)
dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
  --listen-address=127.0.0.1 --bind-interfaces --port="$DNSMASQ_PORT" \
  --addn-hosts="$WORK/dnsmasq.hosts" --local=/home.arpa/ --local-ttl=60 \
  --pid-file="$WORK/dnsmasq.pid" --log-facility="$WORK/dnsmasq.log" --user="$(id -un)" &
DNSMASQ_PID=$!
PIDS+=("$DNSMASQ_PID")
for _ in $(seq 1 100); do
  curl -sf --cacert "$WORK/nginx.pem" "https://127.0.0.1:$NGINX_PORT/api/v1/enrolments/x" >/dev/null 2>&1 &&
    grep -q 'read .*dnsmasq.hosts' "$WORK/dnsmasq.log" 2>/dev/null && break
  kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited: $(tail -n 3 "$WORK/nginx-error.log")"
  kill -0 "$DNSMASQ_PID" 2>/dev/null || die "dnsmasq exited: $(tail -n 3 "$WORK/dnsmasq.log")"
  sleep 0.1
done
echo "peers: $DURATION s ..."
run_phase peer "$NGINX_PORT" "$DNSMASQ_PORT" "$WORK/nginx.pem" "$NGINX_PID" --peer

# --- figures --------------------------------------------------------------------------------------
python3 - "$WORK" "$refused" "$ROUTER_CA_BEFORE" <<'PY'
import json, re, sys
work, refused, before = sys.argv[1], sys.argv[2], sys.argv[3]
def load(name): return json.load(open(f"{work}/{name}"))
def dns(name):
    text = open(f"{work}/{name}.dnsperf.txt").read()
    qps = float(re.search(r"Queries per second:\s*([0-9.]+)", text).group(1))
    lost = int(re.search(r"Queries lost:\s*([0-9]+)", text).group(1))
    return qps, lost
def samples(name):
    return [s.split() for s in open(f"{work}/{name}.samples").read().strip().strip(";").split(";")]
rows = []
total_errors = 0
for kind in ("poll", "renew"):
    r, p = load(f"router.{kind}.json"), load(f"peer.{kind}.json")
    total_errors += r["errors"]
    rows.append((kind, r, p))
    print(f"{kind:6} router-ca {r['rps']:8.1f} req/s (lowest second {r['rps_lowest_second']}, median {r['rps_median_second']}),"
          f" p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, errors {r['errors']} {r['first_errors'] or ''}")
    print(f"{'':6} nginx     {p['rps']:8.1f} req/s (lowest second {p['rps_lowest_second']}, median {p['rps_median_second']}),"
          f" p50 {p['p50_ms']} ms, p99 {p['p99_ms']} ms, errors {p['errors']}")
    print(f"{'':6} ratio router-ca / nginx: {r['rps'] / p['rps']:.2f}")
    if before:
        b = load(f"before.{kind}.json")
        print(f"{'':6} before    {b['rps']:8.1f} req/s (lowest second {b['rps_lowest_second']}, median {b['rps_median_second']}),"
              f" p50 {b['p50_ms']} ms, p99 {b['p99_ms']} ms, errors {b['errors']}; ratio before / nginx:"
              f" {b['rps'] / p['rps']:.2f}; router-ca / before: {r['rps'] / b['rps']:.2f}")
(rq, rl), (pq, pl) = dns("router"), dns("peer")
total_errors += rl
print(f"dns    router-ca {rq:8.1f} q/s, lost {rl}; dnsmasq {pq:8.1f} q/s, lost {pl}; ratio {rq / pq:.2f}")
if before:
    bq, bl = dns("before")
    print(f"{'':6} before    {bq:8.1f} q/s, lost {bl}")
rs, ps = samples("router"), samples("peer")
print("router-ca VmRSS start/middle/end: " + " / ".join(f"{s[0]} kB" for s in rs) +
      "; threads " + " / ".join(s[1] for s in rs))
print("attacker (127.0.0.2) connections held at start/middle/end: router-ca " +
      " / ".join(s[2] for s in rs) + ", nginx " + " / ".join(s[2] for s in ps))
sr, sp = load("router.slow.json"), load("peer.slow.json")
print(f"attacker reconnects: router-ca {sr['reconnects']}, nginx {sp['reconnects']}; router-ca refused {refused} connections")
rss = [int(s[0]) for s in rs]
print("RESULT " + " ".join([
    f"poll_rps={rows[0][1]['rps']}", f"poll_peer_rps={rows[0][2]['rps']}",
    f"renew_rps={rows[1][1]['rps']}", f"renew_peer_rps={rows[1][2]['rps']}",
    f"dns_qps={rq:.0f}", f"dns_peer_qps={pq:.0f}", f"errors={total_errors}",
    f"rss_start_kib={rss[0]}", f"rss_mid_kib={rss[1]}", f"rss_end_kib={rss[2]}",
    f"attacker_held_mid={rs[1][2]}", f"refused={refused}"] +
    ([f"poll_before_rps={load('before.poll.json')['rps']}",
      f"renew_before_rps={load('before.renew.json')['rps']}"] if before else [])))
if total_errors:
    print("load_bench: ERROR: router-ca answered with errors under load", file=sys.stderr)
    sys.exit(1)
PY

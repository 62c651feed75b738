#!/usr/bin/env bash
# PowerDNS Authoritative on loopback for tests and benchmarks, reading HQ's PostgreSQL database
# with the configuration HQ ships (hq/powerdns/pdns.conf). Source after scripts/lib/harness.sh
# and scripts/lib/postgres_cluster.sh (start_pg_cluster sets PG_PORT and PG_PASSWORD).

# start_powerdns NAME PORT: pdns_server on 127.0.0.1:PORT (UDP and TCP) with its configuration
# and control socket in $WORK/NAME; sets PDNS_PID. The server is a child in PIDS.
start_powerdns() {
  local name=$1 port=$2 dir="$WORK/$1" shipped
  shipped="$(dirname "${BASH_SOURCE[0]}")/../../hq/powerdns/pdns.conf"
  command -v pdns_server >/dev/null ||
    die "pdns_server is not installed (scripts/setup.sh installs pdns-server and pdns-backend-pgsql)"
  mkdir -p "$dir/pdns.d"
  chmod 700 "$dir"
  # The shipped file, with its include-dir pointed here, and the connection in pdns.d as an
  # operator would add it.
  sed "s|^include-dir=.*|include-dir=$dir/pdns.d|" "$shipped" >"$dir/pdns.conf"
  cat >"$dir/pdns.d/hq.conf" <<CONF
gpgsql-host=127.0.0.1
gpgsql-port=$PG_PORT
gpgsql-dbname=hq
gpgsql-user=hq
gpgsql-password=$PG_PASSWORD
CONF
  chmod 600 "$dir/pdns.d/hq.conf"
  pdns_server --config-dir="$dir" --socket-dir="$dir" --local-address=127.0.0.1 \
    --local-port="$port" --daemon=no --guardian=no --disable-syslog --write-pid=no \
    --primary=no --secondary=no --webserver=no --loglevel=4 >>"$WORK/$name.log" 2>&1 &
  PDNS_PID=$!
  PIDS+=("$PDNS_PID")
  # Up when it answers SOA for something: REFUSED counts (it is serving), a timeout does not.
  pdns_up() { kdig @127.0.0.1 -p "$port" +timeout=1 +retry=0 example.invalid SOA | grep -q 'status:'; }
  wait_until 30 "pdns_server $name" "$PDNS_PID" pdns_up
}

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, from Debian's postgresql package: initdb
# into $WORK/pg, the server listening on a free loopback port (and a Unix socket in that folder
# only), password authentication over TCP. Source after scripts/lib/harness.sh and harness_init;
# the server is a child in PIDS, so the harness stops it (SIGTERM: smart shutdown) and removes its
# folder on exit.
#
# initdb and postgres refuse to run as root. CI runs as root, so there the cluster belongs to the
# `postgres` system user that the package creates, and the server is started with setpriv (which
# execs, so the PID in PIDS is the postmaster itself, see AS_OWNER); as any other user it runs as
# that user.

# pg_bin TOOL: the path of a PostgreSQL server program (Debian keeps them out of PATH).
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/$1" ] || die "PostgreSQL's $1 is not installed (scripts/setup.sh installs the postgresql package)"
  echo "$dir/$1"
}

# AS_OWNER: the command prefix that runs a program as the cluster's owner (postgres when we are
# root, nobody else otherwise). An array rather than a function: `"${AS_OWNER[@]}" postgres &`
# forks one process that execs setpriv, which execs postgres, so $! is the postmaster itself;
# a backgrounded shell function would be a subshell, and killing it would orphan the server.
AS_OWNER=()
if [ "$(id -u)" -eq 0 ]; then AS_OWNER=(setpriv --reuid=postgres --regid=postgres --init-groups --); fi

# start_pg_cluster [postgres -c options...]: starts the cluster; sets PG_PORT, PG_PASSWORD,
# PG_PID, PG_URL (postgresql://hq:PASSWORD@127.0.0.1:PORT/hq, the superuser hq's own database)
# and PSQL (an array: psql connected to it, quiet, unaligned, stop on error).
start_pg_cluster() {
  local initdb postgres
  initdb=$(pg_bin initdb)
  postgres=$(pg_bin postgres)
  command -v psql >/dev/null || die "psql is not installed (scripts/setup.sh installs postgresql)"
  PG_DIR="$WORK/pg"
  PG_PORT=$(free_port)
  # Hex, so it needs no escaping in a URI; never printed by the tests (they check hq's logs for it).
  PG_PASSWORD=$(openssl rand -hex 12)
  mkdir -p "$PG_DIR"
  printf '%s\n' "$PG_PASSWORD" >"$WORK/pg-password"
  if [ "$(id -u)" -eq 0 ]; then
    chmod 711 "$WORK"  # the postgres user must reach its folder inside ours
    chown postgres: "$PG_DIR" "$WORK/pg-password"
  fi
  chmod 600 "$WORK/pg-password"
  "${AS_OWNER[@]}" "$initdb" -D "$PG_DIR/data" -U hq --pwfile="$WORK/pg-password" \
    --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --no-instructions \
    >"$WORK/initdb.out" 2>&1 || die "initdb failed: $(cat "$WORK/initdb.out")"
  "${AS_OWNER[@]}" "$postgres" -D "$PG_DIR/data" -c listen_addresses=127.0.0.1 \
    -c port="$PG_PORT" -c unix_socket_directories="$PG_DIR" -c max_connections=200 "$@" \
    >>"$WORK/postgres.log" 2>&1 &
  PG_PID=$!
  PIDS+=("$PG_PID")
  PG_URL="postgresql://hq:$PG_PASSWORD@127.0.0.1:$PG_PORT/hq"
  PSQL=(env PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U hq -X -q -A -t
        -v ON_ERROR_STOP=1)
  pg_up() { "${PSQL[@]}" -d postgres -c 'SELECT 1'; }
  wait_until 30 "postgres" "$PG_PID" pg_up
  "${PSQL[@]}" -d postgres -c 'CREATE DATABASE hq' >/dev/null
}

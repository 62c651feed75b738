#!/usr/bin/env bash
# Runs tests/hq/postgres_store_test.cpp (the hq_postgres_store_tests binary, in $PG_STORE_TESTS)
# against a throwaway PostgreSQL cluster (scripts/lib/postgres_cluster.sh). About 10 s, most of
# it initdb.
set -euo pipefail
: "${PG_STORE_TESTS:?set PG_STORE_TESTS to the hq_postgres_store_tests binary}"
source "$(dirname "$0")/../../scripts/lib/harness.sh"
source "$(dirname "$0")/../../scripts/lib/postgres_cluster.sh"
die() { echo "FAIL: $*"; exit 1; }
harness_init hq-pg-store
start_pg_cluster -c fsync=off
HQ_TEST_PG_URL="postgresql://hq:$PG_PASSWORD@127.0.0.1:$PG_PORT" "$PG_STORE_TESTS"

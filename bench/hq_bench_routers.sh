#!/usr/bin/env bash
# Sourced by the HQ benches: HQ registers homes only for genuine routers (docs/hq.md, "Router
# credentials"), and bench/hq_api_bench's thread T registers as router bench-T with the secret its
# bench_router_secret(T) makes. write_bench_routers FILE THREADS writes the factory list for them
# ("ROUTER_ID SHA256_HEX" per line), for `hq routers import FILE`.
write_bench_routers() {
  local file=$1 threads=$2 t
  for t in $(seq 0 $((threads - 1))); do
    printf 'bench-%s %s\n' "$t" "$(printf 'bench-router-secret-0123456789-%s' "$t" | sha256sum | cut -d' ' -f1)"
  done >"$file"
}
# Every request of a bench comes from 127.0.0.1: the per-source limit is raised out of the way.
BENCH_SOURCE_LIMIT=(--source-rate 6000000 --source-burst 100000)

#!/usr/bin/env bash
# Sourced by the HQ benches: HQ registers homes only for genuine routers, and a router makes at
# most one new home a day (docs/hq.md, "Router credentials"). bench/hq_api_bench's thread T
# registers as routers bench-T-K, K from its --first-router on, with the secrets its
# bench_router_secret(T, K) makes. write_bench_routers FILE THREADS writes the factory list of
# them ("ROUTER_ID SHA256_HEX" per line, ROUTERS_PER_THREAD per thread), for
# `hq routers import FILE`; next_first_router gives each run of the client routers of its own.
ROUTERS_PER_THREAD=40000
ROUTERS_PER_RUN=5000  # a run of a few seconds registers far fewer per thread (about 1,000/s in all)
NEXT_FIRST_ROUTER=0
write_bench_routers() {
  python3 - "$1" "$2" "$ROUTERS_PER_THREAD" <<'PY'
import hashlib, sys
path, threads, per_thread = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as out:
    for t in range(threads):
        for k in range(per_thread):
            secret = f"bench-router-secret-0123456789-{t}-{k}".encode()
            out.write(f"bench-{t}-{k} {hashlib.sha256(secret).hexdigest()}\n")
PY
}
# next_first_router: sets FIRST_ROUTER to the first router of the next client run.
next_first_router() {
  FIRST_ROUTER=$NEXT_FIRST_ROUTER
  NEXT_FIRST_ROUTER=$((NEXT_FIRST_ROUTER + ROUTERS_PER_RUN))
  [ "$NEXT_FIRST_ROUTER" -le "$ROUTERS_PER_THREAD" ] || die "bench/hq_bench_routers.sh: out of bench routers"
}
# Every request of a bench comes from 127.0.0.1: the per-source limit is raised out of the way.
BENCH_SOURCE_LIMIT=(--source-rate 6000000 --source-burst 100000)

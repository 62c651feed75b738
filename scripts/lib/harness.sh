#!/usr/bin/env bash
# Shared by end-to-end tests and benchmarks: a private work folder, processes that are always
# killed on exit, and free loopback ports. Source it, then call harness_init PREFIX.

# harness_init PREFIX: sets WORK (a new temporary folder) and PIDS, and installs the exit trap
# that kills every process in PIDS, prints the tail of every $WORK/*.log if the script failed, and
# removes WORK.
harness_init() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  PIDS=()
  trap harness_cleanup EXIT
  trap 'exit 130' INT TERM
}

harness_cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ $status -ne 0 ]; then
    echo "--- logs from $WORK ---" >&2
    for log in "$WORK"/*.log; do [ -f "$log" ] && { echo "== $log" >&2; tail -n 40 "$log" >&2; }; done
  fi
  rm -rf "$WORK"
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago, and never one this script was
# handed before: nothing holds a port between two calls, so the kernel may pick the same one twice
# (an HTTPS and a DNS port once collided in CI). The ports handed out are listed in WORK, when set.
free_port() {
  python3 - "${WORK:+$WORK/.ports-handed-out}" <<'PY'
import os, socket, sys
path = sys.argv[1]
taken = set(open(path).read().split()) if path and os.path.exists(path) else set()
while True:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = str(s.getsockname()[1])
    s.close()
    if port not in taken:
        break
if path:
    with open(path, "a") as f:
        f.write(port + "\n")
print(port)
PY
}

# wait_until SECONDS WHAT PID CMD...: polls CMD every 0.1 s until it succeeds; calls the script's
# die if PID exits first or the time runs out.
wait_until() {
  local seconds=$1 what=$2 pid=$3; shift 3
  for _ in $(seq 1 $((seconds * 10))); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || die "$what exited at start"
    sleep 0.1
  done
  die "$what did not come up within $seconds s"
}

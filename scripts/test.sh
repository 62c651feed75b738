#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test (unit and end-to-end with real peers).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j2
# The big-endian pass (issue 18; docs/openwrt.md, "Router CPUs"): router-ca, device-enrol and the
# unit tests cross-built for s390x and run under qemu-user, with the end-to-end smoke. From a cold
# cache it took 7 min 44 s on 2 idle cores, and this whole script 28 min 23 s (docs/benchmarks.md,
# section 12), under the 45 minutes CI allows, so CI runs all of it, smoke included.
bash scripts/cross-test.sh s390x

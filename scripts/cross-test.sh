#!/usr/bin/env bash
# Cross-builds router-ca, device-enrol and the unit tests for a router-like CPU with Debian's cross
# toolchain, and runs them under qemu-user (issue 18; docs/openwrt.md, "Other CPUs"):
#   every Catch2 unit test binary, then tests/e2e/cross_smoke_test.sh with the cross-built
#   router-ca and device-enrol against the host's openssl, kdig and curl.
# Usage: scripts/cross-test.sh ARCH [--unit-only]
#   ARCH: s390x (big-endian, the stand-in for ath79's MIPS 24Kc: Debian 12 has no big-endian
#   MIPS), armhf (32-bit ARMv7, 32-bit time_t), arm64, mipsel (32-bit little-endian MIPS).
#   --unit-only: the unit tests only, and the last line says that the smoke was skipped.
# The output ends with "cross-test ARCH: N passed, M failed" (N, M: unit test cases) and
# "cross-test ARCH: e2e ok"; the exit status is 0 only when nothing failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
arch=${1:-}
unit_only=false
[ "${2:-}" = --unit-only ] && unit_only=true
toolchain=$root/cmake/toolchains/$arch.cmake
if [ -z "$arch" ] || [ ! -f "$toolchain" ] || [ "$arch" = debian-cross ]; then
  echo "usage: $0 armhf|arm64|mipsel|s390x [--unit-only]" >&2
  exit 2
fi
qemu=$(sed -n 's/^set(ROUTER_CA_CROSS_QEMU \(.*\))$/\1/p' "$toolchain")
started=$SECONDS
say() { echo "cross-test $arch: $*"; }

# Host side: the cross toolchain, qemu-user, the build tools and the smoke's peers. The target's
# libraries go into a sysroot, not through multiarch (scripts/lib/cross_sysroot.sh says why).
source scripts/lib/debian_packages.sh
install_debian_packages "crossbuild-essential-$arch" qemu-user-static cmake make pkg-config ccache \
  dpkg-dev openssl curl python3 knot-dnsutils
build=$root/build-cross-$arch
source scripts/lib/cross_sysroot.sh
cross_sysroot "$arch" "$build/sysroot"
sysroot=$build/sysroot/root
say "sysroot and packages ready after $((SECONDS - started)) s"

# -O0: compile time is most of a cross run on a small machine, and what qemu runs of the
# project's own code is small; Botan and OpenSSL are Debian's optimised builds. Unity mode parses
# the big headers once per target (cmake/toolchains/unity-exceptions.cmake).
unit_targets=(core_tests store_tests daemon_tests mdns_tests dns_tests net_tests admin_tests
  jose_tests acme_tests wire_tests files_tests denrol_tests)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# ccache caches compilations that use a precompiled header only when told these are safe.
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
cmake -S . -B "$build" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DROUTER_CA_SYSROOT="$sysroot" \
  -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O0 -DNDEBUG" -DROUTER_CA_BENCH=OFF \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 \
  -DCMAKE_PROJECT_INCLUDE="$root/cmake/toolchains/unity-exceptions.cmake" "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" --target router-ca device-enrol "${unit_targets[@]}"
say "built after $((SECONDS - started)) s"

# Unit tests: each binary under qemu; a binary that dies before its summary counts all its test
# cases as failed.
run() { "$qemu" -L "$sysroot" "$@"; }
passed=0 failed=0
for target in "${unit_targets[@]}"; do
  bin=$(find "$build/tests" -type f -name "$target" | head -n 1)
  log=$build/$target.log
  # Catch2 2's --list-* options exit with the number of tests listed, not 0 (set -e, pipefail).
  total=$( (run "$bin" --list-test-names-only || true) | grep -c . || true)
  set +e
  timeout 1800 "$qemu" -L "$sysroot" "$bin" >"$log" 2>&1
  set -e
  summary=$(grep -E '^(All tests passed|test cases:)' "$log" | tail -n 1 || true)
  if [[ "$summary" =~ ^All\ tests\ passed.*\ in\ ([0-9]+)\ test\ case ]]; then
    p=${BASH_REMATCH[1]} f=0
  elif [[ "$summary" =~ test\ cases:\ *([0-9]+)\ .*\ ([0-9]+)\ failed ]]; then
    f=${BASH_REMATCH[2]} p=$((BASH_REMATCH[1] - BASH_REMATCH[2]))
  else
    p=0 f=$total
    summary="no summary (crashed or timed out): $(tail -n 3 "$log" | tr '\n' ' ')"
  fi
  [ "$f" -eq 0 ] || { grep -B2 -A12 -E 'FAILED:|due to a fatal error' "$log" | head -n 80 || true; }
  say "$target: $p passed, $f failed ($summary)"
  passed=$((passed + p)) failed=$((failed + f))
done
say "unit tests done after $((SECONDS - started)) s"

# The smoke: the cross-built binaries, each started under qemu by a two-line wrapper (exec, so that
# the test's PIDs are qemu's, which passes SIGTERM on to the daemon).
e2e=skipped
if ! $unit_only; then
  mkdir -p "$build/qemu-bin"
  for tool in router-ca device-enrol; do
    printf '#!/bin/sh\nexec %s -L %s %s "$@"\n' "$qemu" "$sysroot" \
      "$(find "$build" -path "$build/sysroot" -prune -o -type f -name "$tool" -print | head -n 1)" \
      >"$build/qemu-bin/$tool"
    chmod +x "$build/qemu-bin/$tool"
  done
  # Key generation and the first TLS handshakes under emulation take longer than natively.
  if ROUTER_CA="$build/qemu-bin/router-ca" DEVICE_ENROL="$build/qemu-bin/device-enrol" \
    E2E_START_SECONDS=120 bash tests/e2e/cross_smoke_test.sh; then
    e2e=ok
  else
    e2e=failed
  fi
  say "smoke done after $((SECONDS - started)) s"
fi

say "$passed passed, $failed failed"
case $e2e in
  ok) say "e2e ok" ;;
  skipped) say "e2e skipped (--unit-only${CROSS_TEST_UNIT_ONLY_REASON:+: $CROSS_TEST_UNIT_ONLY_REASON})" ;;
  *) say "e2e FAILED" ;;
esac
[ "$failed" -eq 0 ] && [ "$e2e" != failed ] && [ "$passed" -gt 0 ]

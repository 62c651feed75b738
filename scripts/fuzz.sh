#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, ASan and UBSan in a build dir of their own
# and runs each on a copy of its seed corpus (tests/fuzz/corpus/<target>) for SECONDS_PER_TARGET
# (default 60). Prints executions, exec/s and findings per target; exits non-zero when any target
# found a crash, leak, timeout or out-of-memory, keeping the input under <build>/runs/<target>/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
#
# Environment:
#   FUZZ_BUILD_DIR   the clang build dir (default: build-fuzz in the source tree)
#   FUZZ_TARGETS     which targets, space-separated (default: every tests/fuzz/fuzz_*.cpp)
#   FUZZ_JOBS        how many targets run at once (default 1; each uses one core)
#   FUZZ_SKIP_SETUP  1: do not run scripts/setup.sh (the ctest smoke test, which must fail rather
#                    than install when clang is missing)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}

# A figure of libFuzzer's -print_final_stats from a run's log.
final_stat() { sed -n "s/^stat::$2: *//p" "$1/log" | tail -n 1; }

# One run of target for seconds: a fresh copy of the corpus (what libFuzzer adds stays out of the
# source tree), the target's dictionary if it has one, findings written under the run's dir.
run_target() {
  local target=$1 seconds=$2 run=$build/runs/$1
  rm -rf "$run"
  mkdir -p "$run/corpus" "$run/findings"
  cp "$root/tests/fuzz/corpus/$target/"* "$run/corpus/"
  local args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=25 -rss_limit_mb=2048
              -artifact_prefix="$run/findings/")
  if [ -f "$root/tests/fuzz/$target.dict" ]; then args+=(-dict="$root/tests/fuzz/$target.dict"); fi
  local status=0
  UBSAN_OPTIONS=print_stacktrace=1 "$build/tests/fuzz/$target" "${args[@]}" "$run/corpus" \
    >"$run/log" 2>&1 || status=$?
  echo "$status" >"$run/status"
}

# Everything runs from here, called on the last line: bash has then read the whole file, so an
# edit to this script during an hour-long run cannot change what the run does.
main() {
  local seconds=${1:-60} jobs=${FUZZ_JOBS:-1} targets
  # Every target by default: each is one tests/fuzz/fuzz_*.cpp (tests/fuzz/CMakeLists.txt).
  local all=() file
  for file in "$root"/tests/fuzz/fuzz_*.cpp; do all+=("$(basename "$file" .cpp)"); done
  read -r -a targets <<<"${FUZZ_TARGETS:-${all[*]}}"
  if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    echo "fuzz: SECONDS_PER_TARGET must be a positive integer" >&2
    exit 2
  fi
  [ "${FUZZ_SKIP_SETUP:-0}" = 1 ] || bash "$root/scripts/setup.sh"
  for tool in clang clang++; do
    if ! command -v "$tool" >/dev/null; then
      echo "fuzz: $tool not found (scripts/setup.sh installs clang and libclang-rt-14-dev)" >&2
      exit 1
    fi
  done

  # The main build uses g++; libFuzzer needs clang, so the fuzz build has its own dir. Warnings
  # are the g++ build's gate (-Werror there); clang's extra ones must not stop a fuzz run.
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DROUTER_CA_FUZZ=ON -DROUTER_CA_WERROR=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  if ! cmake --build "$build" --target "${targets[@]}" -j"$(nproc)" >"$build/build.log" 2>&1; then
    tail -n 50 "$build/build.log" >&2
    echo "fuzz: build failed ($build/build.log)" >&2
    exit 1
  fi

  local running=0 target
  for target in "${targets[@]}"; do
    if [ "$jobs" -le 1 ]; then
      run_target "$target" "$seconds"
    else
      run_target "$target" "$seconds" &
      running=$((running + 1))
      if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
      fi
    fi
  done
  wait

  local failed=0 run findings status verdict
  printf '%-28s %8s %12s %8s  %s\n' target seconds executions exec/s findings
  for target in "${targets[@]}"; do
    run=$build/runs/$target
    findings=$(find "$run/findings" -type f \( -name 'crash-*' -o -name 'leak-*' \
      -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
    status=$(cat "$run/status")
    verdict=none
    if [ -n "$findings" ] || [ "$status" != 0 ]; then
      failed=1
      verdict="FOUND (exit $status): ${findings:-see $run/log}"
    fi
    printf '%-28s %8s %12s %8s  %s\n' "$target" "$seconds" \
      "$(final_stat "$run" number_of_executed_units)" "$(final_stat "$run" average_exec_per_sec)" \
      "$verdict"
  done
  if [ "$failed" != 0 ]; then
    for target in "${targets[@]}"; do
      [ "$(cat "$build/runs/$target/status")" != 0 ] || continue
      echo "--- $target: $build/runs/$target/log (last 40 lines)" >&2
      tail -n 40 "$build/runs/$target/log" >&2
    done
    exit 1
  fi
}

main "$@"

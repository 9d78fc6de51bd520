#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang into ./build-fuzz and runs each for
# SECONDS (default 60), one target per core at a time. The seed corpus is copied into
# build-fuzz/corpus/ and grows there; the source tree is never written. Findings (crash-*,
# timeout-*, oom-*, leak-*) land in build-fuzz/findings/<target>/ and make the script exit non-zero.
#   bash scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
#   MECHCHECK_FUZZ_TARGETS="fuzz_exact_number" bash scripts/fuzz.sh 30   # one target only
#   MECHCHECK_FUZZ_SECONDS_fuzz_witness=600 bash scripts/fuzz.sh 120      # one target longer
#   MECHCHECK_FUZZ_SKIP=instance-roundtrip bash scripts/fuzz.sh            # skip a known finding
#   MECHCHECK_FUZZ_BUILD_DIR=build-asan bash scripts/fuzz.sh 30            # CI: the targets of the
#                                     sanitizer build (scripts/sanitize.sh, MECHCHECK_SANITIZE_CI=1)
# Reproduce a finding: build-fuzz/tests/fuzz/<target> build-fuzz/findings/<target>/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
case "$seconds" in '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [libFuzzer flags...]" >&2; exit 2 ;; esac

bash scripts/setup.sh clang libclang-rt-14-dev  # libFuzzer's runtime
for tool in clang clang++; do
  command -v "$tool" >/dev/null || { echo "fuzz: $tool is needed (apt-get install clang)" >&2; exit 2; }
done

build_dir=${MECHCHECK_FUZZ_BUILD_DIR:-build-fuzz}
if [ -z "${MECHCHECK_FUZZ_BUILD_DIR:-}" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build_dir" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMECHCHECK_BUILD_FUZZ=ON -DMECHCHECK_BUILD_TESTS=OFF \
    -DMECHCHECK_BUILD_BENCH=OFF >/dev/null
elif ! grep -q '^MECHCHECK_BUILD_FUZZ:BOOL=ON' "$build_dir/CMakeCache.txt" 2>/dev/null; then
  echo "fuzz: $build_dir is not configured with -DMECHCHECK_BUILD_FUZZ=ON" >&2
  exit 2
fi
targets=${MECHCHECK_FUZZ_TARGETS:-fuzz_exact_number fuzz_instance fuzz_prove_config fuzz_strict_json fuzz_options fuzz_witness fuzz_protocol_reply}
# shellcheck disable=SC2086
cmake --build "$build_dir" -j "$(nproc)" --target $targets

# The sanitizers abort on their first report so that libFuzzer saves the input.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"

# A target's seed corpus and dictionary (sets seeds and dict); fails for an unknown target.
target_inputs() {
  case "$1" in
    fuzz_instance) seeds=tests/fuzz/corpus/instance dict=tests/fuzz/instance.dict ;;
    fuzz_exact_number) seeds=tests/fuzz/corpus/number dict=tests/fuzz/number.dict ;;
    fuzz_prove_config) seeds=tests/fuzz/corpus/prove dict=tests/fuzz/instance.dict ;;
    fuzz_strict_json) seeds=tests/fuzz/corpus/instance dict=tests/fuzz/instance.dict ;;
    fuzz_options) seeds=tests/fuzz/corpus/options dict=tests/fuzz/number.dict ;;
    fuzz_witness) seeds=tests/fuzz/corpus/witness dict=tests/fuzz/witness.dict ;;
    fuzz_protocol_reply) seeds=tests/fuzz/corpus/protocol dict=tests/fuzz/protocol.dict ;;
    *) return 1 ;;
  esac
}

# Checked before any fuzzer starts: a typo must not surface after minutes of fuzzing.
for target in $targets; do
  target_inputs "$target" || { echo "fuzz: unknown target $target" >&2; exit 2; }
  # MECHCHECK_FUZZ_SECONDS_<target> overrides SECONDS for that target.
  seconds_var="MECHCHECK_FUZZ_SECONDS_$target"
  case "${!seconds_var:-$seconds}" in '' | *[!0-9]*) echo "fuzz: $seconds_var is not a number" >&2; exit 2 ;; esac
done

# One target: copies its seeds, fuzzes, leaves its exit code in findings/<target>.rc.
fuzz_target() {
  local target=$1 seeds dict
  shift
  target_inputs "$target"
  local seconds_var="MECHCHECK_FUZZ_SECONDS_$target"
  local target_seconds=${!seconds_var:-$seconds}
  local corpus="$build_dir/corpus/$target" findings="$build_dir/findings/$target"
  mkdir -p "$corpus" "$findings"
  cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
  local log="$build_dir/findings/$target.log" rc=0
  echo "fuzz: $target for ${target_seconds}s (corpus $corpus, log $log)" >&2
  "$build_dir/tests/fuzz/$target" "$corpus" -dict="$dict" -max_len=4096 -timeout=10 \
    -max_total_time="$target_seconds" -print_final_stats=1 -artifact_prefix="$findings/" "$@" \
    2>"$log" || rc=$?
  echo "$rc" >"$build_dir/findings/$target.rc"
}

# The targets run side by side, one per core (MECHCHECK_FUZZ_JOBS overrides): each is one
# single-threaded process, so CI's fuzz stage takes ⌈targets / cores⌉ × SECONDS.
jobs=${MECHCHECK_FUZZ_JOBS:-$(nproc)}
case "$jobs" in '' | *[!0-9]* | 0) echo "fuzz: MECHCHECK_FUZZ_JOBS is not a positive number" >&2; exit 2 ;; esac
mkdir -p "$build_dir/findings"
for target in $targets; do
  rm -f "$build_dir/findings/$target.rc"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  fuzz_target "$target" "$@" &
done
wait

status=0
for target in $targets; do
  log="$build_dir/findings/$target.log"
  rc=$(cat "$build_dir/findings/$target.rc" 2>/dev/null || echo "no exit code")
  echo "fuzz: $target" >&2
  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|stat::new_units_added)' "$log" >&2 || true
  if [ "$rc" != 0 ]; then
    status=1
    echo "fuzz: $target FOUND A PROBLEM (exit $rc):" >&2
    grep -E '==mechcheck-fuzz==|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY|Test unit written|ALARM' "$log" >&2 || tail -n 30 "$log" >&2
  fi
done
exit "$status"

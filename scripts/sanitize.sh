#!/usr/bin/env bash
# Builds mechcheck and its tests with AddressSanitizer + UndefinedBehaviorSanitizer into
# ./build-asan (RelWithDebInfo, no benchmarks) and runs the whole CTest suite there. Any
# sanitizer report aborts the test that triggered it, so a finding is a failing test. The build is
# the scalar fallback (-DMECHCHECK_SIMD=OFF: the batch solver's kernels without SIMD,
# solver/batch_kernels.hpp), so CI runs the whole suite on it too; the Release build of the
# README's test command covers the AVX2/SSE2 variants.
#   bash scripts/sanitize.sh [extra ctest arguments, e.g. -R spec]
# MECHCHECK_SANITIZE_TARGETS="mechcheck spec_tests cli_tests" builds only those targets (default:
# all); the test programs not built then show up as <program>_NOT_BUILT (exclude: -E _NOT_BUILT).
# MECHCHECK_SANITIZE_CI=1 is CI's stage (.ci/run): clang at -O1 with line tables only (a lighter
# build that still prints file:line), the libFuzzer targets built in the same tree so that
# `MECHCHECK_FUZZ_BUILD_DIR=build-asan scripts/fuzz.sh 30` runs them without a second build of the
# libraries, and the tests named in scripts/sanitize-excluded.txt left out (too slow under ASan for
# CI's budget; the file says how slow).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

build_dir=build-asan
configure=(-DMECHCHECK_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMECHCHECK_BUILD_BENCH=OFF
  -DMECHCHECK_BUILD_TESTS=ON -DMECHCHECK_BUILD_PYTHON=OFF -DMECHCHECK_SIMD=OFF)
excluded=()
if [ "${MECHCHECK_SANITIZE_CI:-0}" = 1 ]; then
  bash scripts/setup.sh clang libclang-rt-14-dev
  configure+=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DMECHCHECK_BUILD_FUZZ=ON
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG"
    -DMECHCHECK_FUZZ_DEBUG_FLAGS=-gline-tables-only)
  pattern=$(awk '!/^#/ && NF {print $1}' scripts/sanitize-excluded.txt | paste -sd'|')
  if [ -n "$pattern" ]; then excluded=(-E "^($pattern)\$"); fi
fi
cmake -S . -B "$build_dir" "${configure[@]}" >/dev/null
# shellcheck disable=SC2086
cmake --build "$build_dir" -j "$(nproc)" ${MECHCHECK_SANITIZE_TARGETS:+--target $MECHCHECK_SANITIZE_TARGETS}

# LeakSanitizer needs ptrace-like access that some containers deny ("LeakSanitizer has
# encountered a fatal error"); probe it with a program that leaks on purpose.
detect_leaks=0
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf '#include <cstdlib>\nint main() { volatile void* p = std::malloc(7); p = nullptr; (void)p; }\n' \
  >"$probe_dir/leak.cpp"
if c++ -fsanitize=address -o "$probe_dir/leak" "$probe_dir/leak.cpp" 2>/dev/null; then
  # The probe exits non-zero by design; capture its report rather than piping (pipefail).
  probe_report=$(ASAN_OPTIONS=detect_leaks=1 "$probe_dir/leak" 2>&1 || true)
  case "$probe_report" in
    *"LeakSanitizer: detected memory leaks"*) detect_leaks=1 ;;
  esac
fi
echo "sanitize: LeakSanitizer $([ "$detect_leaks" = 1 ] && echo works, detect_leaks=1 || echo unavailable, detect_leaks=0)" >&2

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:detect_leaks=${detect_leaks}:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
# Bounded per-test time: sanitized RapidCheck suites are several times slower than Release.
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --timeout 1800 "${excluded[@]}" "$@"

#!/usr/bin/env bash
# Builds solver_bench (Release, into build-bench/) and runs it; prints the figures and the
# same-run ratios (bench/solver_bench_summary.py). A few minutes on two cores.
#
#   bash bench/run_solver_bench.sh                                  # everything
#   MIN_TIME=0.5 bash bench/run_solver_bench.sh                     # steadier figures
#   bash bench/run_solver_bench.sh --benchmark_filter='m:10/|exps'  # extra flags pass through
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-bench}
min_time=${MIN_TIME:-0.2}
json=${JSON_OUT:-$build/solver_bench.json}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMECHCHECK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target solver_bench
"$build/bench/solver_bench" --benchmark_min_time="$min_time" --benchmark_out="$json" \
  --benchmark_out_format=json "$@"
echo
python3 bench/solver_bench_summary.py "$json"

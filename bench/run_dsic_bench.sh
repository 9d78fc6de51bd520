#!/usr/bin/env bash
# DSIC regret search (bench/README.md): dsic_bench (Google Benchmark: one check_dsic per
# instance of bench/configs/dsic-1000.json and its parts), then the whole
# `mechcheck check bench/configs/dsic-1000.json` on two threads and one. Installs hyperfine if
# missing, builds in build-bench/, prints figures, ratios and the goal verdict. ~1 minute.
#
#   bash bench/run_dsic_bench.sh
#   RUNS=5 MIN_TIME=1 bash bench/run_dsic_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-bench}
runs=${RUNS:-3}
min_time=${MIN_TIME:-0.5}
out=$build/dsic

bash scripts/setup.sh hyperfine
source bench/timing.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMECHCHECK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target mechcheck dsic_bench
mkdir -p "$out/witnesses"

uptime | tee "$out/uptime-start.txt"
"$build/bench/dsic_bench" --benchmark_min_time="$min_time" --benchmark_out="$out/dsic_bench.json" \
  --benchmark_out_format=json "$@"
check="$build/mechcheck check bench/configs/dsic-1000.json --witness-dir $out/witnesses"
time_commands "$out/check.json" "$runs" 1 \
  "$check --threads 2 > $out/check-t2.txt" \
  "$check --threads 1 > $out/check-t1.txt"
uptime | tee "$out/uptime-end.txt"

echo
cat "$out/check-t2.txt"
python3 bench/timing_summary.py dsic "$out"

#!/usr/bin/env bash
# Appendix F side by side (bench/README.md): `mechcheck experiment appendix-f` in double on one
# and two threads and at 50 digits on two threads, against bench/appendix_f_numpy.py (vectorized
# numpy, its own RNG). Installs python3-numpy and hyperfine if missing (scripts/setup.sh),
# builds mechcheck in build-bench/, checks the numpy formulas game by game against
# `mechcheck solve`, times everything, and prints ratios, goal verdicts and z-scores of the means.
# ~2 minutes on two cores (the 50-digit runs are ~25 s each).
#
#   bash bench/run_appendix_f_bench.sh
#   RUNS=10 RUNS50=3 bash bench/run_appendix_f_bench.sh     # more timed runs
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-bench}
runs=${RUNS:-5}      # timed runs of the double and numpy commands (after 1 warm-up)
runs50=${RUNS50:-2}  # timed runs of the 50-digit command (no warm-up)
out=$build/appendix_f
numpy_python=/usr/bin/python3  # Debian's python3-numpy is installed for the system python

bash scripts/setup.sh python3-numpy hyperfine
source bench/timing.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMECHCHECK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target mechcheck
mkdir -p "$out"

echo "== formulas: numpy vs mechcheck solve, game by game"
"$numpy_python" bench/appendix_f_numpy.py --check-against "$build/mechcheck"

uptime | tee "$out/uptime-start.txt"
mc="$build/mechcheck experiment appendix-f --format json"
time_commands "$out/fast.json" "$runs" 1 \
  "$mc --threads 1 > $out/mechcheck-double-t1.json" \
  "$mc --threads 2 > $out/mechcheck-double-t2.json" \
  "$numpy_python bench/appendix_f_numpy.py --format json > $out/numpy.json"
time_commands "$out/slow.json" "$runs50" 0 \
  "$mc --precision 50 --threads 2 > $out/mechcheck-50-t2.json"
uptime | tee "$out/uptime-end.txt"

echo
python3 bench/timing_summary.py appendix-f "$out"

#!/usr/bin/env bash
# The time of a clean build (README, "unity builds" and the CI-path table): removes BUILD_DIR
# (default build-timing/), configures it as scripts/build.sh does (Release; tests, benchmarks and
# the Python module on, as for the top-level project) plus any extra CMake arguments, and times
# `cmake --build BUILD_DIR -j JOBS` (default 2). Prints one line: wall, CPU and the settings.
# Long (minutes); it competes with anything else on the machine, so quote the load average.
#
#   bash bench/time_clean_build.sh                                        # unity build (default)
#   bash bench/time_clean_build.sh build-timing -DMECHCHECK_UNITY_BUILD=OFF   # one object per source
#   rm -rf build-package && bash scripts/package.sh     # the package job (prints "built in N s")
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-timing}
shift $(($# > 0 ? 1 : 0))
jobs=${JOBS:-2}
rm -rf "$build"
load=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s.%N)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
/usr/bin/time -f '%e %U %S' -o "$build.time" cmake --build "$build" -j "$jobs" >/dev/null
read -r wall user system <"$build.time"
rm -f "$build.time"
total=$(echo "$(date +%s.%N) - $start" | bc)
printf 'clean build of %s: %.0f s wall (%.1f min, configure included), %.0f s CPU, -j %s, %s; load average at start %s\n' \
  "$build" "$total" "$(echo "$total / 60" | bc -l)" "$(echo "$user + $system" | bc)" "$jobs" \
  "${*:-default options}" "$load"

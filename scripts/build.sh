#!/usr/bin/env bash
# Installs the dependencies (scripts/setup.sh) and builds mechcheck, its tests and benchmarks
# into ./build with the default CMake generator. MECHCHECK_STRICT=1 (CI) adds the build gates:
# warnings are errors, and every library header is compiled on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
strict=OFF
if [ "${MECHCHECK_STRICT:-0}" = 1 ]; then strict=ON; fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMECHCHECK_WARNINGS_AS_ERRORS=$strict \
  -DMECHCHECK_HEADER_CHECK=$strict >/dev/null
cmake --build build -j "$(nproc)"

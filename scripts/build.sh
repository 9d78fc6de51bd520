#!/usr/bin/env bash
# Installs the dependencies (scripts/setup.sh) and builds mechcheck, its tests and benchmarks
# into ./build with the default CMake generator.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"

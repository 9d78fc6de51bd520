#!/usr/bin/env bash
# The external-mechanism protocol (docs/protocol.md): its cost per profile against echo mechanisms
# in C++ and Python (bench/protocol_bench.cpp), and how many profiles per second `check` pushes
# through the Python KL pricing service of examples/external/ (CONFIG=examples/external/chi2-check.json:
# the exact χ² service instead). Figures: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake --build "$build" -j2 --target protocol_bench echo_mechanism mechcheck >/dev/null
"$build/bench/protocol_bench" --benchmark_min_time=${MIN_TIME:-1}
report=$(mktemp) witnesses=$(mktemp -d)
trap 'rm -rf "$report" "$witnesses"' EXIT
start=$(date +%s.%N)
config=${CONFIG:-examples/external/kl-check.json}
"$build/mechcheck" check "$config" --instances ${INSTANCES:-20} \
  --threads ${THREADS:-1} --report "$report" --witness-dir "$witnesses" >/dev/null
end=$(date +%s.%N)
python3 - "$report" "$start" "$end" "$config" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
name = sys.argv[4].rsplit("/", 1)[-1]
evaluations = sum(r["evidence"].get("evaluations", 0) for r in report["results"])
seconds = float(sys.argv[3]) - float(sys.argv[2])
print(f"check {name}: {evaluations} profiles evaluated by the search in {seconds:.2f} s "
      f"= {evaluations / seconds:,.0f} profiles/s (confirmation and IR/nonneg runs not counted)")
PY

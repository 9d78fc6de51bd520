#!/usr/bin/env bash
# Section 4.4's heuristic payments (bench/README.md, "Heuristic payments"): heuristic_bench
# (Google Benchmark: one mechanism run — ψ and every payment — under p^AFF, Heuristic 1 and
# Heuristic 2, KL n = 5 m = 10, double), then the DSIC gain `check` finds under Heuristic 1 as
# the number of training steps T grows (100 generated instances per T, same seed). ~3 minutes.
#
#   bash bench/run_heuristic_bench.sh
#   REPETITIONS=5 INSTANCES=100 bash bench/run_heuristic_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-bench}
repetitions=${REPETITIONS:-5}
instances=${INSTANCES:-100}
out=$build/heuristic

bash scripts/setup.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMECHCHECK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target mechcheck heuristic_bench
mkdir -p "$out"

uptime | tee "$out/uptime-start.txt"
"$build/bench/heuristic_bench" --benchmark_repetitions="$repetitions" \
  --benchmark_report_aggregates_only=true --benchmark_out="$out/heuristic_bench.json" \
  --benchmark_out_format=json

python3 - "$build/mechcheck" "$out" "$instances" <<'PY'
import json, subprocess, sys
mechcheck, out, instances = sys.argv[1], sys.argv[2], int(sys.argv[3])
setups = {
    "chi2, exact rule + heuristic-1 (projected gradient, eta = 1/8)":
        lambda t: ({"type": "sw-max", "divergence": "chi2", "lambda": "1/2"},
                   {"type": "heuristic-1", "trainer": {"method": "projected-gradient", "steps": t,
                                                       "step_size": "1/8"}}),
    "kl, trained rule (mirror descent, eta*lambda = 1/2) + heuristic-1":
        lambda t: ({"type": "trained", "divergence": "kl", "lambda": "1/2",
                    "trainer": {"method": "mirror-descent", "steps": t, "step_size": 1}},
                   {"type": "heuristic-1"}),
}
print("\n| setup | T | instances violated | mean max gain found | largest gain found |")
print("|---|---|---|---|---|")
for name, make in setups.items():
    for t in [1, 2, 4, 8, 16, 32, 64]:
        rule, payment = make(t)
        config = {"normalization": "sum", "max_group_size": 4, "rule": rule, "payment": payment,
                  "generator": {"outcomes": [2, 4], "groups": [2, 3], "initial": "random",
                                "reward": "mixed"},
                  "properties": ["dsic"], "instance_count": instances, "effort": "quick",
                  "seed": 5}
        path = f"{out}/h1-{len(name)}-{t}.json"
        json.dump(config, open(path, "w"))
        report = f"{out}/h1-{len(name)}-{t}-report.json"
        subprocess.run([mechcheck, "check", path, "--report", report, "--threads", "2"],
                       stdout=subprocess.DEVNULL, check=False)
        results = json.load(open(report))["results"]
        gains = [r["evidence"].get("max_gain_found", 0.0) for r in results]
        violated = sum(r["verdict"] == "violated" for r in results)
        print(f"| {name} | {t} | {violated}/{len(results)} | {sum(gains)/len(gains):.3g} | "
              f"{max(gains):.3g} |")
PY
uptime | tee "$out/uptime-end.txt"

#!/usr/bin/env bash
# Implementability on large type grids (issue #4; bench/README.md, "Implementability"):
# implementability_bench on K = 100, 1,000 and 5,000 types (m = 10, n = 3, KL, two threads) —
# `full` (analyze_implementability end to end) and `phases` (solve / weights / decision / Rochet
# timed apart, against Howard + Dijkstra) — in double and at 100 digits. Each run is its own
# process (peak RSS per configuration), capped at CAP seconds (default 900). Builds in
# build-bench/, writes build-bench/implementability/results.jsonl and prints a Markdown table.
# ~12 min on 2 vCPUs, 9 of them the two 100-digit runs at K = 5,000 (peak RSS ~4 GB).
#
#   bash bench/run_implementability.sh
#   SIZES_100="100 1000" bash bench/run_implementability.sh   # without 100 digits at K = 5,000
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-bench}
sizes_double=${SIZES_DOUBLE:-100 1000 5000}
sizes_100=${SIZES_100:-100 1000 5000}
cap=${CAP:-900}
threads=${THREADS:-2}
out=$build/implementability

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMECHCHECK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target implementability_bench
mkdir -p "$out"
: >"$out/results.jsonl"
bench=$build/bench/implementability_bench

run() {
  echo "+ implementability_bench $*" >&2
  timeout "$cap" "$bench" --threads "$threads" "$@" | tee -a "$out/results.jsonl" ||
    echo "(exceeded ${cap} s or failed: $*)" >&2
}

uptime | tee "$out/uptime-start.txt"
for k in $sizes_double; do
  run --types "$k" --precision double --mode full
  run --types "$k" --precision double --mode phases
done
for k in $sizes_100; do
  run --types "$k" --precision 100 --mode full
  run --types "$k" --precision 100 --mode phases
done
uptime | tee "$out/uptime-end.txt"

python3 - "$out/results.jsonl" <<'EOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
full = {(r["precision"], r["K"]): r for r in rows if r["mode"] == "full"}
phases = {(r["precision"], r["K"]): r for r in rows if r["mode"] == "phases"}
def s(r, key):
    v = r.get(key)
    return "–" if v is None else (f"{v:.3g}" if v < 100 else f"{v:.0f}")
print("\n| precision | K | full: wall (s) | full: peak RSS (MB) | verdict | solve | weights | weak | BF decide | BF Rochet | Howard (rounds) | Dijkstra ×2 | phases RSS (MB) |")
print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for key in sorted(set(full) | set(phases), key=lambda k: (k[0] != "double", k[1])):
    f, p = full.get(key, {}), phases.get(key, {})
    print(f"| {key[0]} | {key[1]} | {s(f, 'total_s')} | {s(f, 'max_rss_mb')} | {f.get('verdict', '–')} "
          f"| {s(p, 'solve_s')} | {s(p, 'weights_s')} | {s(p, 'weak_s')} "
          f"| {s(p, 'bf_decide_s')} | {s(p, 'bf_rochet_s')} "
          f"| {s(p, 'howard_s')} ({p.get('howard_rounds', '–')}) | {s(p, 'dijkstra_s')} | {s(p, 'max_rss_mb')} |")
for key, p in sorted(phases.items()):
    if "dijkstra_vs_bf_max_difference" in p:
        print(f"RATIO {key[0]} K={key[1]}: BF (decide + Rochet) / (Howard + Dijkstra) = "
              f"{(p['bf_decide_s'] + p['bf_rochet_s']) / (p['howard_s'] + p['dijkstra_s']):.3g}; "
              f"Dijkstra vs BF max |difference| = {p['dijkstra_vs_bf_max_difference']:.3g}")
for k, goal in ((1000, 2), (5000, 60)):
    f = full.get(("double", k))
    if f:
        print(f"GOAL K={k} double under {goal} s on {f['threads']} threads: {f['total_s']:.3g} s -> "
              f"{'met' if f['total_s'] < goal else 'NOT met'}")
EOF

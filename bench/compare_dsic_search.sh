#!/usr/bin/env bash
# The DSIC search before and after a change, side by side in one run: builds `mechcheck` at
# BASE (default: the last commit before the mechanism interface, f1eb673) in build-base/ and at
# the working tree in build-bench/, then times `mechcheck check bench/configs/dsic-1000.json
# --threads 1` for both, alternating, with hyperfine, and compares what each finds on the
# zero-payment gate config (examples/checks/zero-payment-kl.json, 20 instances) and on
# bench/configs/dsic-1000-zero.json (the timed config with the zero payment: every instance
# violated; same violations, same witness groups, the gains found), with each side's peak RSS.
#
# THREADS (default 1) lists the thread counts timed (each side at each), WARMUP (default 0) the
# hyperfine warm-up runs.
#
#   bash bench/compare_dsic_search.sh
#   BASE=<commit> RUNS=5 bash bench/compare_dsic_search.sh   # issue #13: BASE=8a5cf8e
#   BASE=8a5cf8e RUNS=5 WARMUP=1 THREADS="1 2" bash bench/compare_dsic_search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BASE:-f1eb673}
runs=${RUNS:-3}
threads=${THREADS:-1}
warmup=${WARMUP:-0}
bash scripts/setup.sh hyperfine
if [ ! -d build-base-src ]; then git worktree add --detach build-base-src "$base" >/dev/null; fi
git -C build-base-src checkout -q --detach "$base"
cmake -S build-base-src -B build-base -DCMAKE_BUILD_TYPE=Release -DMECHCHECK_BUILD_TESTS=OFF \
  -DMECHCHECK_BUILD_BENCH=OFF >/dev/null
cmake --build build-base -j2 --target mechcheck >/dev/null
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMECHCHECK_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j2 --target mechcheck >/dev/null
out=build-bench/compare
rm -rf "$out" && mkdir -p "$out"
uptime | tee "$out/uptime-start.txt"
timed=()
for t in $threads; do
  timed+=(-n "before t$t" "build-base/mechcheck check bench/configs/dsic-1000.json --threads $t --witness-dir $out/w-before"
          -n "after t$t" "build-bench/mechcheck check bench/configs/dsic-1000.json --threads $t --witness-dir $out/w-after")
done
hyperfine --runs "$runs" --warmup "$warmup" --export-json "$out/dsic-1000.json" "${timed[@]}"
uptime | tee "$out/uptime-end.txt"
for side in base:build-base bench:build-bench; do
  dir=${side#*:}
  "$dir/mechcheck" check examples/checks/zero-payment-kl.json --instances 20 \
    --witness-dir "$out/zero-${side%%:*}" --report "$out/zero-${side%%:*}.json" >/dev/null || true
  /usr/bin/time -f "%M" -o "$out/rss-${side%%:*}.txt" "$dir/mechcheck" check \
    bench/configs/dsic-1000.json --threads 1 --witness-dir "$out/w-rss" >/dev/null
  "$dir/mechcheck" check bench/configs/dsic-1000-zero.json --threads 2 \
    --witness-dir "$out/zero1000-${side%%:*}" --report "$out/zero1000-${side%%:*}.json" \
    >/dev/null || true
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
runs = json.load(open(f"{out}/dsic-1000.json"))["results"]
for k in range(0, len(runs), 2):
    before, after = runs[k]["median"], runs[k + 1]["median"]
    t = runs[k]["command"].split()[-1]
    print(f"dsic-1000, {t}: before {before:.2f} s, after {after:.2f} s (median), "
          f"after/before = {after / before:.3f}; user CPU {runs[k]['user']:.2f} -> {runs[k + 1]['user']:.2f} s")
def violated(side):
    report = json.load(open(f"{out}/zero-{side}.json"))
    return {(r["instance"], r["property"]) for r in report["results"] if r["verdict"] == "violated"}
b, a = violated("base"), violated("bench")
print(f"zero-payment-kl, 20 instances: {len(b)} violations before, {len(a)} after, same set: {a == b}")
results = {side: {(r["instance"], r["property"]): r for r in json.load(open(f"{out}/zero1000-{side}.json"))["results"]}
           for side in ("base", "bench")}
b, a = results["base"], results["bench"]
same = sum(b[k]["verdict"] == a[k]["verdict"] for k in b)
groups = sum(b[k]["evidence"].get("witness_group") == a[k]["evidence"].get("witness_group") for k in b)
ratios = sorted(a[k]["evidence"]["max_gain_found"] / b[k]["evidence"]["max_gain_found"]
                for k in b if b[k]["evidence"].get("max_gain_found", 0) > 0)
close = sum(abs(r - 1) <= 1e-9 for r in ratios)
evals = [sum(r[k]["evidence"].get("evaluations", 0) for k in r) for r in (b, a)]
print(f"dsic-1000-zero: {sum(r['verdict'] == 'violated' for r in b.values())} violated before, "
      f"{sum(r['verdict'] == 'violated' for r in a.values())} after; same verdict {same}/{len(b)}, "
      f"same witness group {groups}/{len(b)}; best gain after/before within 1e-9 in {close}/{len(ratios)} "
      f"(min {ratios[0]:.6f}, max {ratios[-1]:.6f}); evaluations {evals[0]} before, {evals[1]} after")
rss = [int(open(f"{out}/rss-{side}.txt").read().split()[-1]) for side in ("base", "bench")]
print(f"peak RSS of the dsic-1000 check, 1 thread: before {rss[0] / 1024:.1f} MB, after {rss[1] / 1024:.1f} MB")
PY

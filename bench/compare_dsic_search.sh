#!/usr/bin/env bash
# The DSIC search before and after a change, side by side in one run: builds `mechcheck` at
# BASE (default: the last commit before the mechanism interface, f1eb673) in build-base/ and at
# the working tree in build-bench/, then times `mechcheck check bench/configs/dsic-1000.json
# --threads 1` for both, alternating, with hyperfine, and compares what each finds on the
# zero-payment gate config (examples/checks/zero-payment-kl.json, 20 instances).
#
#   bash bench/compare_dsic_search.sh
#   BASE=<commit> RUNS=5 bash bench/compare_dsic_search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BASE:-f1eb673}
runs=${RUNS:-3}
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
hyperfine --runs "$runs" --export-json "$out/dsic-1000.json" \
  -n before "build-base/mechcheck check bench/configs/dsic-1000.json --threads 1 --witness-dir $out/w-before" \
  -n after "build-bench/mechcheck check bench/configs/dsic-1000.json --threads 1 --witness-dir $out/w-after"
uptime | tee "$out/uptime-end.txt"
for side in base:build-base bench:build-bench; do
  dir=${side#*:}
  "$dir/mechcheck" check examples/checks/zero-payment-kl.json --instances 20 \
    --witness-dir "$out/zero-${side%%:*}" --report "$out/zero-${side%%:*}.json" >/dev/null || true
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
runs = json.load(open(f"{out}/dsic-1000.json"))["results"]
before, after = (r["median"] for r in runs)
print(f"dsic-1000, 1 thread: before {before:.2f} s, after {after:.2f} s (median), after/before = {after / before:.3f}")
def violated(side):
    report = json.load(open(f"{out}/zero-{side}.json"))
    return {(r["instance"], r["property"]) for r in report["results"] if r["verdict"] == "violated"}
b, a = violated("base"), violated("bench")
print(f"zero-payment-kl, 20 instances: {len(b)} violations before, {len(a)} after, same set: {a == b}")
PY

#!/usr/bin/env bash
# Parallel and sharded proofs (issue #14 item 3): χ² DSIC with boundary optima (the relaxed query
# under p^AFF, examples/prove/chi2-affine-maximizer.json, n = 3) at m = 6 on 1 and 2 threads, and
# at m = 7 as 4 shards of 2 threads each, merged by `mechcheck merge`. Shards run one after another
# here (one machine); on a scheduler they run at once, so the sharded wall time is the slowest
# shard's. CSV on stdout: run,m,threads,shard,status,wall_s,cpu_s,max_rss_mb; the load average
# before each run on stderr.
# usage: bench/run_prove_parallel_bench.sh MECHCHECK [TIMEOUT_S] [SHARDED_M]
set -euo pipefail
mechcheck=${1:?usage: run_prove_parallel_bench.sh MECHCHECK [TIMEOUT_S] [SHARDED_M]}
timeout_s=${2:-600}
sharded_m=${3:-7}
config=$(cd "$(dirname "$0")/../examples/prove" && pwd)/chi2-affine-maximizer.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "run,m,threads,shard,status,wall_s,cpu_s,max_rss_mb"
run() {  # label m threads shard report
  local label=$1 m=$2 threads=$3 shard=$4 report=$5
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg) before $label m=$m threads=$threads shard=$shard" >&2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$mechcheck" prove "$config" --property dsic \
    --outcomes "$m" --groups 3 --samples 0 --timeout "$timeout_s" --threads "$threads" \
    --shard "$shard" --report "$report" --witness-dir "$work/witnesses" >/dev/null 2>&1 || true
  read -r wall user system rss < <(tail -n 1 "$work/time")
  status=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$report" \
           2>/dev/null || echo none)
  printf '%s,%s,%s,%s,%s,%.1f,%.1f,%.0f\n' "$label" "$m" "$threads" "$shard" "$status" "$wall" \
    "$(echo "$user + $system" | bc)" "$(echo "$rss / 1024" | bc)"
}
run whole 6 1 1/1 "$work/m6-t1.json"
run whole 6 2 1/1 "$work/m6-t2.json"
cmp -s "$work/m6-t1.json" "$work/m6-t2.json" && echo "m=6: 1 and 2 threads wrote the same report" >&2
shards=()
for k in 1 2 3 4; do
  run shard "$sharded_m" 2 "$k/4" "$work/m$sharded_m-s$k.json"
  shards+=("$work/m$sharded_m-s$k.json")
done
"$mechcheck" merge "${shards[@]}" --report "$work/merged.json" >&2 || true
echo "merged: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["status"], d["evidence"]["query"], d["evidence"]["cases_solved"], "of", d["evidence"]["cases"], "cases")' "$work/merged.json" 2>/dev/null || echo none)" >&2

#!/usr/bin/env bash
# Sizes `mechcheck prove` decides: for each rule and property, m = 2, 3, ... at fixed n until a
# run is not decided within the timeout. CSV on stdout: rule,property,m,n,status,seconds.
# usage: bench/run_smt_bench.sh MECHCHECK [TIMEOUT_S] [MAX_M] [GROUPS...]
# PROVE_ARGS adds options to every run (PROVE_ARGS=--exact: the exact query alone).
set -u
mechcheck=${1:?usage: run_smt_bench.sh MECHCHECK [TIMEOUT_S] [MAX_M] [GROUPS...]}
timeout_s=${2:-60}
max_m=${3:-8}
shift 3 2>/dev/null || shift $#
groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(2 3)
examples=$(cd "$(dirname "$0")/../examples/prove" && pwd)
echo "rule,property,m,n,status,seconds"
for rule in chi2-affine-maximizer chi2-interior tv-affine-maximizer chi2-zero-payment; do
  for property in dsic ir nonneg approx-dsic; do
    [ "$rule" = chi2-zero-payment ] && [ "$property" != dsic ] && continue
    for n in "${groups[@]}"; do
      for m in $(seq 2 "$max_m"); do
        start=$(date +%s.%N)
        status=$("$mechcheck" prove "$examples/$rule.json" --property "$property" --outcomes "$m" \
                   --groups "$n" --epsilon 1/10 --samples 0 --timeout "$timeout_s" \
                   --witness-dir /tmp/smt-bench-witnesses ${PROVE_ARGS:-} 2>/dev/null |
                 python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
        seconds=$(echo "$(date +%s.%N) - $start" | bc)
        printf '%s,%s,%s,%s,%s,%.2f\n' "$rule" "$property" "$m" "$n" "$status" "$seconds"
        [ "$status" = proved ] || [ "$status" = violated ] || break
      done
    done
  done
done

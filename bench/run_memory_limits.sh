#!/usr/bin/env bash
# --max-memory's estimates against the peak RSS measured (bench/README.md, "Memory limits";
# README, "Memory budget"). For each K of SIZES: K types of
# bench/make_implementability_types.py for examples/instances/kl-two-groups.json, then
#   mechcheck implementability examples/instances/kl-two-groups.json --precision double \
#     --types types$K.json --no-grid --threads 2 --max-memory 4G --report rep$K.json
# under /usr/bin/time (peak RSS, wall, user), and the same with --max-memory 1K for the estimate
# it prints. Then the `check` rows: examples/checks/affine-maximizer-chi2.json and
# zero-payment-kl.json at --effort quick, 400/4,000 and 200/1,000 instances (CHECK_RUNS="config:n ...";
# CHECKS=0 skips them). Markdown rows on stdout.
# K = 20,000 needs ~3.2 GiB and ~2 minutes on 2 vCPUs; K = 5,000 a few seconds.
#
#   bash bench/run_memory_limits.sh build/mechcheck                 # K = 5,000, 10,000, 20,000
#   SIZES="1000 5000" CHECKS=0 bash bench/run_memory_limits.sh build/mechcheck
set -euo pipefail
mechcheck=$(realpath "${1:?usage: run_memory_limits.sh MECHCHECK}")
cd "$(dirname "$0")/.."
sizes=${SIZES:-5000 10000 20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
instance=examples/instances/kl-two-groups.json

estimate() {  # the "needs X ... on top of Y in use" of a refusal at --max-memory 1K
  { "$@" --max-memory 1K 2>&1 >/dev/null || true; } | sed -n 's/.* needs \([^ ]* [^ ]*\).* on top of the \([^ ]* [^ ]*\) in use.*/\1 + \2/p'
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| K | estimate (needed + in use) | peak RSS measured (KiB) | wall (s) | user (s) | verdict |"
echo "|---:|---:|---:|---:|---:|---|"
for k in $sizes; do
  python3 bench/make_implementability_types.py "$instance" "$k" >"$work/types$k.json"
  args=(implementability "$instance" --precision double --types "$work/types$k.json" --no-grid
        --threads 2)
  est=$(estimate "$mechcheck" "${args[@]}")
  /usr/bin/time -f '%M %e %U' -o "$work/time" "$mechcheck" "${args[@]}" --max-memory 4G \
    --report "$work/rep$k.json" >/dev/null || true
  read -r peak wall user <"$work/time"
  verdict=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' \
            "$work/rep$k.json" 2>/dev/null || echo "no report")
  echo "| $k | $est | $peak | $wall | $user | $verdict |"
done

[ "${CHECKS:-1}" = 0 ] && exit 0
echo
echo "| config | instances | estimate (needed + in use) | peak RSS measured (KiB) | violated results |"
echo "|---|---:|---:|---:|---|"
for spec in ${CHECK_RUNS:-affine-maximizer-chi2:400 affine-maximizer-chi2:4000 zero-payment-kl:200 zero-payment-kl:1000}; do
  config=examples/checks/${spec%%:*}.json n=${spec##*:}
  args=(check "$config" --instances "$n" --effort quick)
  est=$(estimate "$mechcheck" "${args[@]}")
  rm -rf "$work/w"
  /usr/bin/time -f '%M' -o "$work/time" "$mechcheck" "${args[@]}" --report "$work/check.json" \
    --witness-dir "$work/w" >/dev/null || true
  violated=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(sum(x["verdict"]=="violated" for x in r), "of", len(r))' "$work/check.json")
  echo "| \`$config\` | $n | $est | $(tail -n 1 "$work/time") | $violated |"
done

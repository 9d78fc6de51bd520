#!/usr/bin/env bash
# Instructions a command executes, and where (bench/README.md's callgrind figures): runs COMMAND
# under `valgrind --tool=callgrind` and prints its total instruction count (Ir) and the TOP
# (default 25) functions by self cost, or by inclusive cost with INCLUSIVE=1, from
# callgrind_annotate. OUT=file keeps the callgrind output (default: a temporary). Slow: callgrind
# runs a program ~50× slower, so give it a small run (20 instances, 5,000 samples).
#
#   bash bench/count_instructions.sh build/mechcheck check bench/configs/dsic-1000.json \
#     --instances 20 --threads 1 --witness-dir /tmp/w
#   INCLUSIVE=1 bash bench/count_instructions.sh build/mechcheck experiment appendix-f \
#     --threads 1 --samples 5000
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: count_instructions.sh COMMAND [ARGS...]" >&2; exit 2; }
command -v valgrind >/dev/null || bash "$(dirname "$0")/../scripts/setup.sh" valgrind
out=${OUT:-$(mktemp)}
[ -n "${OUT:-}" ] || trap 'rm -f "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>"$out.log" || true
total=$(sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' "$out" | head -n 1)
printf 'instructions (Ir): %s (%s M)\n' "$total" "$(echo "scale=1; $total / 1000000" | bc)"
inclusive=no
[ -n "${INCLUSIVE:-}" ] && inclusive=yes
callgrind_annotate --inclusive="$inclusive" "$out" 2>/dev/null | sed -n '/file:function/,$p' |
  head -n $((${TOP:-25} + 2))
rm -f "$out.log"

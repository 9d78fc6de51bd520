#!/usr/bin/env bash
# The time and memory of `mechcheck verify` (README, "The paper-claims suite"): one run of the
# whole suite on THREADS threads (default 2), its wall time, CPU time and peak RSS from GNU time,
# and each claim's seconds from verify's own table. Builds `mechcheck` in BUILD (default build/)
# first, so the figure is of the tree as it is.
#
#   bash bench/time_verify.sh                  # the default suite
#   THOROUGH=1 bash bench/time_verify.sh       # verify --thorough
#
# Prints the table, then one line: "verify: WALL s wall, CPU s CPU, PEAK MiB peak RSS, T threads,
# load average L". The load average is quoted because the figure is only as good as the machine
# was idle.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
threads=${THREADS:-2}
cmake --build "$build" -j2 --target mechcheck >/dev/null
extra=()
[[ -n ${THOROUGH:-} ]] && extra+=(--thorough)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
load=$(cut -d' ' -f1 /proc/loadavg)
# verify exits 0 only when every claim is as expected; the figures are printed either way.
set +e
/usr/bin/time -f '%e %U %S %M' -o "$out/time" "$build/mechcheck" verify --threads "$threads" \
  "${extra[@]}" | tee "$out/table"
code=${PIPESTATUS[0]}
set -e
read -r wall user system peak_kib <"$out/time"
python3 - "$wall" "$user" "$system" "$peak_kib" "$threads" "$load" "$code" <<'EOF'
import sys
wall, user, system, peak, threads, load, code = sys.argv[1:]
print(f"verify: {float(wall):.1f} s wall, {float(user) + float(system):.1f} s CPU, "
      f"{int(peak) / 1024:.0f} MiB peak RSS, {threads} threads, load average {load} "
      f"(exit {code})")
EOF

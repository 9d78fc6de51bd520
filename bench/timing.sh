# Sourced by the bench/run_*_bench.sh scripts: time_commands OUT.json RUNS WARMUP CMD...
# times shell commands with hyperfine when present (installed by scripts/setup.sh), else
# with bench/time_commands.py; both write hyperfine's JSON (mean/stddev wall s, user, system).
time_commands() {
  local out=$1 runs=$2 warmup=$3
  shift 3
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --style basic --runs "$runs" --warmup "$warmup" --export-json "$out" "$@"
  else
    echo "(hyperfine not found: timing with bench/time_commands.py)" >&2
    python3 bench/time_commands.py --runs "$runs" --warmup "$warmup" --export-json "$out" "$@"
  fi
}

#!/usr/bin/env bash
# The scale-out on a real Slurm (examples/scale-out/): submits examples/scale-out/slurm-check.sh
# as a job array plus the dependent merge job, exactly as that script's header says, and requires
#   - the merge job to exit 1 (the config violates DSIC, so witnesses are written by the shards)
#     and its report, JUnit file and witnesses to be byte-identical to the unsharded run's;
#   - `mechcheck replay` of a witness path named in the merged report to confirm the violation;
#   - an array whose task 3 fails (its report path is a directory: mechcheck exits 2, the task
#     fails) to make the merge job exit 2 naming the missing shard.
#   bash scripts/slurm_roundtrip.sh [--use-running-cluster] [MECHCHECK]
# By default it installs Debian's slurm-wlm and munge (scripts/setup.sh) and starts a one-node
# cluster on localhost as the user running it (root in CI): munged with its own key and socket,
# slurmctld and slurmd with a configuration, state, spool and logs in a temporary directory
# (proctrack/linuxproc, task/none, no accounting, no cgroups; ports picked free). It stops the
# daemons it started, by pid, and removes the directory on any exit.
# --use-running-cluster submits to the cluster `sbatch` reaches instead (nothing is started or
# installed); run it from a directory every node sees: the jobs write there (slurm-roundtrip.*/).
# MECHCHECK: the executable the jobs run as `mechcheck` (default build/mechcheck, built with the
# `dev` preset when missing); its directory is put first on PATH, which sbatch passes to the jobs.
# Knobs: MECHCHECK_SLURM_INSTANCES (default 80), MECHCHECK_SLURM_TIMEOUT seconds per wait (300).
set -euo pipefail
caller_dir=$PWD
start=$SECONDS
running_cluster=0
if [ "${1:-}" = --use-running-cluster ]; then
  running_cluster=1
  shift
fi
if [ $# -gt 1 ]; then
  echo "usage: scripts/slurm_roundtrip.sh [--use-running-cluster] [MECHCHECK]" >&2
  exit 2
fi
mechcheck=""
if [ $# -eq 1 ]; then mechcheck=$(realpath "$1"); fi
cd "$(dirname "$0")/.."
source_dir=$(pwd)
instances=${MECHCHECK_SLURM_INSTANCES:-80}
timeout=${MECHCHECK_SLURM_TIMEOUT:-300}
config=examples/checks/zero-payment-kl.json  # KL SW-Max without payments: violates DSIC

if [ -z "$mechcheck" ]; then
  mechcheck=$source_dir/build/mechcheck
  if [ ! -x "$mechcheck" ]; then
    bash scripts/setup.sh
    cmake --preset dev >/dev/null
    cmake --build --preset dev --target mechcheck
  fi
fi
[ -x "$mechcheck" ] || { echo "slurm-roundtrip: $mechcheck is not an executable" >&2; exit 2; }

if [ "$running_cluster" = 1 ]; then
  work=$(mktemp -d "$caller_dir/slurm-roundtrip.XXXXXX")
else
  bash scripts/setup.sh slurm-wlm munge
  work=$(mktemp -d)
fi
daemons=()    # "name pid", in the order they were started
submitted=()  # the jobs this run submitted
cleanup() {
  local rc=$?
  # Jobs first (their slurmstepd processes end with them; on a running cluster only ours), then
  # the daemons, newest first.
  if [ ${#submitted[@]} -gt 0 ]; then scancel --quiet "${submitted[@]}" 2>/dev/null || true; fi
  local i name pid
  for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do
    read -r name pid <<<"${daemons[$i]}"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "slurm-roundtrip: $name (pid $pid) did not stop on SIGTERM; killing it" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [ "$rc" -ne 0 ] && [ "$running_cluster" = 0 ]; then
    for log in "$work"/*.log; do
      [ -s "$log" ] || continue
      echo "slurm-roundtrip: last lines of $(basename "$log"):" >&2
      tail -n 15 "$log" >&2
    done
  fi
  rm -rf "$work"
  if [ "$rc" -eq 0 ]; then
    echo "slurm-roundtrip: passed in $((SECONDS - start)) s" >&2
  else
    echo "slurm-roundtrip: FAILED (exit $rc) after $((SECONDS - start)) s" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
fail() {
  echo "slurm-roundtrip: $*" >&2
  exit 1
}
step_start=$SECONDS
step() {
  echo "slurm-roundtrip: $* ($((SECONDS - step_start)) s)" >&2
  step_start=$SECONDS
}

# Waits for a daemon's pid file; records the daemon for cleanup.
started() {
  local name=$1 pid_file=$2
  for _ in $(seq 100); do
    if [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      daemons+=("$name $(cat "$pid_file")")
      return 0
    fi
    sleep 0.1
  done
  fail "$name did not start (no live pid in $pid_file)"
}

if [ "$running_cluster" = 0 ]; then
  # munged refuses a socket in a directory others cannot enter, and a key others can read.
  chmod 755 "$work"
  mkdir -p "$work/state" "$work/spool"
  if command -v mungekey >/dev/null; then
    mungekey --create --keyfile="$work/munge.key"
  else
    dd if=/dev/urandom of="$work/munge.key" bs=1 count=1024 status=none
  fi
  chmod 600 "$work/munge.key"
  munged --socket="$work/munge.socket" --key-file="$work/munge.key" --pid-file="$work/munged.pid" \
    --log-file="$work/munged.log" --seed-file="$work/munged.seed"
  started munged "$work/munged.pid"

  read -r ctld_port slurmd_port < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(2)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))')
  user=$(id -un)
  # slurmd -C prints this machine's CPUs and memory; the node claims 2 CPUs (the example's
  # --cpus-per-task) and less memory than it has, so it is never drained for a mismatch.
  cpus=$(slurmd -C | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' | head -n 1)
  [ "${cpus:-0}" -ge 2 ] || fail "slurmd -C reports ${cpus:-no} CPUs; the example's tasks ask for 2"
  cat >"$work/slurm.conf" <<EOF
ClusterName=mechcheck-roundtrip
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=3600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=roundtrip Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$work/slurm.conf
  slurmctld -f "$SLURM_CONF"
  started slurmctld "$work/slurmctld.pid"
  slurmd -f "$SLURM_CONF"
  started slurmd "$work/slurmd.pid"
  for _ in $(seq "$timeout"); do
    state=$(sinfo -h -n localhost -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 1
  done
  [ "$state" = idle ] || fail "the node did not come up idle (sinfo: '$state')"
  step "one-node cluster up: munged, slurmctld, slurmd ($(sinfo -V))"
fi

# The jobs find `mechcheck` on PATH (sbatch exports the submitting environment).
mkdir -p "$work/bin"
ln -s "$mechcheck" "$work/bin/mechcheck"
export PATH=$work/bin:$PATH

# Waits for every job in the list to leave the queue; prints nothing.
wait_for_jobs() {
  local waited=0 ids
  ids=$(IFS=,; echo "$*")
  while [ -n "$(squeue -h -j "$ids" -o %i 2>/dev/null)" ]; do
    [ "$waited" -lt "$timeout" ] || fail "jobs $ids still queued or running after ${timeout} s: $(squeue -h -j "$ids")"
    sleep 1
    waited=$((waited + 1))
  done
}
# A finished job's field from slurmctld's memory (no accounting: MinJobAge keeps it an hour).
job_field() {
  scontrol -o show job "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# The example, in a submit directory of its own: the config there as pricing-check.json.
submit=$work/submit
mkdir -p "$submit"
cp "$config" "$submit/pricing-check.json"
cd "$submit"
options=(--instances "$instances")
jid=$(sbatch --parsable --array=0-3 "$source_dir/examples/scale-out/slurm-check.sh" pricing-check.json "${options[@]}")
submitted+=("$jid")
mid=$(sbatch --parsable --dependency="afterany:$jid" --wrap \
  "mechcheck merge results/$jid/report-*.json --report results/$jid/report.json --junit results/$jid/junit.xml")
submitted+=("$mid")
wait_for_jobs "$jid" "$mid"
merge_exit=$(job_field "$mid" ExitCode)
for task in 0 1 2 3; do
  [ "$(job_field "${jid}_$task" JobState)" = COMPLETED ] ||
    fail "array task ${jid}_$task: $(job_field "${jid}_$task" JobState); its log: $(cat "mechcheck-${jid}_$task.out" 2>/dev/null)"
done
[ "$merge_exit" = 1:0 ] || fail "the merge job exited $merge_exit, expected 1:0 (violated); its log: $(cat "slurm-$mid.out")"
step "array $jid (4 shards of $instances instances) and merge job $mid: merge exit 1 (violated)"

# The unsharded run with the same relative paths, in a directory of its own.
single=$work/unsharded
mkdir -p "$single/results/$jid"
cp pricing-check.json "$single/"
single_status=0
(cd "$single" && mechcheck check pricing-check.json --threads 2 --report "results/$jid/report.json" \
  --junit "results/$jid/junit.xml" --witness-dir "results/$jid/witnesses" "${options[@]}" >output 2>&1) ||
  single_status=$?
[ "$single_status" = 1 ] || fail "the unsharded run exited $single_status, expected 1 (violated): $(cat "$single/output")"
if ! cmp "results/$jid/report.json" "$single/results/$jid/report.json"; then
  diff "results/$jid/report.json" "$single/results/$jid/report.json" | head -n 20 >&2 || true
  fail "the merged report differs from the unsharded run's (merged <, unsharded >)"
fi
cmp "results/$jid/junit.xml" "$single/results/$jid/junit.xml" || fail "the merged JUnit file differs from the unsharded run's"
diff -r "results/$jid/witnesses" "$single/results/$jid/witnesses" >&2 ||
  fail "the shards' witnesses differ from the unsharded run's"
cmp "slurm-$mid.out" "$single/output" || fail "the merge job printed other lines than the unsharded run"
witnesses=$(find "results/$jid/witnesses" -type f | wc -l)
[ "$witnesses" -gt 0 ] || fail "no witnesses written"

witness=$(python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
print(next(r["witness"] for r in report["results"] if "witness" in r))' "results/$jid/report.json")
replay_status=0
mechcheck replay "$witness" >/dev/null || replay_status=$?
[ "$replay_status" = 1 ] || fail "mechcheck replay $witness exited $replay_status, expected 1 (the violation stands)"
step "merged report, JUnit and $witnesses witnesses byte-identical to the unsharded run; replay $witness: exit 1"

# A failed array task: the array is held at submission, and its task 3 is moved to a working
# directory without the config (as on a node that does not see the file system), so that
# mechcheck exits 2 there, the task fails and writes no report.
bad=$(sbatch --parsable --hold --array=0-3 "$source_dir/examples/scale-out/slurm-check.sh" pricing-check.json "${options[@]}")
submitted+=("$bad")
mkdir -p "$work/no-config"
scontrol update JobId="${bad}_2" WorkDir="$work/no-config"
bad_merge=$(sbatch --parsable --dependency="afterany:$bad" --wrap \
  "mechcheck merge results/$bad/report-*.json --report results/$bad/report.json --junit results/$bad/junit.xml")
submitted+=("$bad_merge")
scontrol release "$bad"
wait_for_jobs "$bad" "$bad_merge"
[ "$(job_field "${bad}_2" JobState)" = FAILED ] || fail "array task ${bad}_2 is $(job_field "${bad}_2" JobState), not FAILED"
[ "$(job_field "$bad_merge" ExitCode)" = 2:0 ] ||
  fail "the merge after a failed task exited $(job_field "$bad_merge" ExitCode), expected 2:0; its log: $(cat "slurm-$bad_merge.out")"
[ ! -e "results/$bad/report.json" ] || fail "the merge after a failed task wrote a report"
grep -q 'shard 3/4: missing' "slurm-$bad_merge.out" ||
  fail "the merge after a failed task did not name shard 3/4 missing: $(cat "slurm-$bad_merge.out")"
step "array $bad with task ${bad}_2 failed ($(head -n 1 "$work/no-config/mechcheck-${bad}_2.out" 2>/dev/null || head -n 1 "mechcheck-${bad}_2.out")): merge job exit 2 ($(head -n 1 "slurm-$bad_merge.out"))"

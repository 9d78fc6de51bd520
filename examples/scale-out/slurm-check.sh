#!/bin/bash
# A Slurm job array: one `mechcheck check` shard per array task, then one merge job.
#
#   jid=$(sbatch --parsable --array=0-3 examples/scale-out/slurm-check.sh pricing-check.json)
#   sbatch --dependency=afterany:$jid --wrap \
#     "mechcheck merge results/$jid/report-*.json --report results/$jid/report.json --junit results/$jid/junit.xml"
#
# --shard auto reads SLURM_ARRAY_TASK_ID / _COUNT / _MIN / _STEP, so --array=0-3, 1-4 or 0-30:10
# all give shards 1/4 .. 4/4. The merge job's exit code is the verdict (0 holds, 1 violated,
# 3 inconclusive, 2 a shard missing, e.g. a task that failed or ran out of time). Every task
# writes into one directory on the shared file system, witnesses included (their names carry
# the instance, so tasks never clash) and relative paths as given, so the merged report's
# witness paths are valid from the submit directory.
#SBATCH --job-name=mechcheck
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --time=02:00:00
#SBATCH --output=mechcheck-%A_%a.out
set -uo pipefail

config=${1:?usage: sbatch --array=0-3 slurm-check.sh CONFIG [extra check options]}
shift
out=results/${SLURM_ARRAY_JOB_ID:?run this under sbatch --array}
mkdir -p "$out"
mechcheck check "$config" --shard auto --threads "${SLURM_CPUS_PER_TASK:-1}" \
  --report "$out/report-$SLURM_ARRAY_TASK_ID.json" --witness-dir "$out/witnesses" "$@"
status=$?
# 1 (violation) and 3 (inconclusive) are results: the shard wrote its report and the merge job
# gives the verdict. 2 (bad input) fails the task.
[ "$status" -ne 2 ]

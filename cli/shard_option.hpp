#pragma once
// `--shard k/N | auto` (check, verify). `auto` takes the shard from the scheduler's environment,
// so one job script serves every task of an array:
//
//   MECHCHECK_SHARD_INDEX + MECHCHECK_SHARD_COUNT    explicit (CI matrices); the index is 1-based
//                                                    like k in k/N. Checked first.
//   SLURM_ARRAY_TASK_ID + SLURM_ARRAY_TASK_COUNT     Slurm job arrays; the shard is
//     [SLURM_ARRAY_TASK_MIN (0)] [SLURM_ARRAY_TASK_STEP (1)]    (ID − MIN) / STEP, 0-based
//   JOB_COMPLETION_INDEX + MECHCHECK_SHARD_COUNT     Kubernetes Indexed Jobs (0-based index; the
//                                                    count is the Job's `completions`)
//
// None set, or a value that is not a decimal integer in range, is a SpecError naming the option
// and the variable (`--shard: auto: SLURM_ARRAY_TASK_ID: is "x", expected an integer >= 0`).
// The environment is passed in, so tests never call setenv.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace mechcheck::cli {

// The most shards a run may be split into (as many as `check` takes instances).
inline constexpr std::uint64_t kMaxShards = 1'000'000;

// The value of an environment variable, nullopt when it is not set.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// getenv, read-only.
EnvironmentLookup process_environment();

struct ShardSelection {
  std::size_t index = 0;  // 0-based
  std::size_t count = 1;
  std::string text() const;  // "k/N", as reports and JUnit names record it
};

// "k/N" (1 <= k <= N, decimal) or "auto" (from `environment`, see above).
ShardSelection resolve_shard_option(const std::string& option, const std::string& text,
                                    const EnvironmentLookup& environment);

}  // namespace mechcheck::cli

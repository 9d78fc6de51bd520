// `--shard k/N | auto` with an injected environment (no setenv: tests may run in parallel).
#include "cli/shard_option.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "spec/spec_error.hpp"

namespace {

using mechcheck::SpecError;
using mechcheck::cli::resolve_shard_option;
using mechcheck::cli::ShardSelection;
using Variables = std::map<std::string, std::string>;

mechcheck::cli::EnvironmentLookup environment(const Variables& variables) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    const auto it = variables.find(name);
    return it == variables.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

std::string resolved(const std::string& text, const Variables& variables) {
  try {
    return resolve_shard_option("--shard", text, environment(variables)).text();
  } catch (const SpecError& error) {
    return error.what();
  }
}

TEST(ShardOption, ExplicitShardsIgnoreTheEnvironment) {
  EXPECT_EQ(resolved("3/4", {{"SLURM_ARRAY_TASK_ID", "0"}}), "3/4");
  EXPECT_EQ(resolved("01/4", {}), "1/4");  // recorded canonically
  EXPECT_EQ(resolved("5/4", {}), "--shard: is \"5/4\", expected k/N with 1 <= k <= N");
  const ShardSelection shard = resolve_shard_option("--shard", "2/3", environment({}));
  EXPECT_EQ(shard.index, 1u);
  EXPECT_EQ(shard.count, 3u);
}

TEST(ShardOption, SlurmArrays) {
  EXPECT_EQ(resolved("auto", {{"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}),
            "3/4");
  // --array=1-4: ids count from SLURM_ARRAY_TASK_MIN.
  EXPECT_EQ(resolved("auto", {{"SLURM_ARRAY_TASK_ID", "4"},
                              {"SLURM_ARRAY_TASK_COUNT", "4"},
                              {"SLURM_ARRAY_TASK_MIN", "1"}}),
            "4/4");
  // --array=10-40:10.
  EXPECT_EQ(resolved("auto", {{"SLURM_ARRAY_TASK_ID", "30"},
                              {"SLURM_ARRAY_TASK_COUNT", "4"},
                              {"SLURM_ARRAY_TASK_MIN", "10"},
                              {"SLURM_ARRAY_TASK_STEP", "10"}}),
            "3/4");
}

TEST(ShardOption, SlurmErrorsNameTheVariable) {
  EXPECT_EQ(resolved("auto", {{"SLURM_ARRAY_TASK_ID", "2"}}),
            "--shard: auto: SLURM_ARRAY_TASK_COUNT is not set");
  EXPECT_EQ(resolved("auto", {{"SLURM_ARRAY_TASK_ID", "x"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}),
            "--shard: auto: SLURM_ARRAY_TASK_ID: is \"x\", expected an integer in "
            "0..18446744073709551615");
  EXPECT_EQ(resolved("auto", {{"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_COUNT", "0"}}),
            "--shard: auto: SLURM_ARRAY_TASK_COUNT: is 0, expected an integer in 1..1000000");
  EXPECT_EQ(resolved("auto", {{"SLURM_ARRAY_TASK_ID", "-1"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}),
            "--shard: auto: SLURM_ARRAY_TASK_ID: is -1, expected an integer in "
            "0..18446744073709551615");
  const std::string beyond =
      resolved("auto", {{"SLURM_ARRAY_TASK_ID", "7"}, {"SLURM_ARRAY_TASK_COUNT", "4"}});
  EXPECT_EQ(beyond.rfind("--shard: auto: SLURM_ARRAY_TASK_ID: is 7, which is not task", 0), 0u)
      << beyond;
  EXPECT_EQ(resolved("auto", {{"SLURM_ARRAY_TASK_ID", "0"},
                              {"SLURM_ARRAY_TASK_COUNT", "4"},
                              {"SLURM_ARRAY_TASK_MIN", "1"}}),
            "--shard: auto: SLURM_ARRAY_TASK_ID: is 0, expected an integer >= 1");
}

TEST(ShardOption, KubernetesIndexedJobs) {
  EXPECT_EQ(resolved("auto", {{"JOB_COMPLETION_INDEX", "0"}, {"MECHCHECK_SHARD_COUNT", "4"}}),
            "1/4");
  EXPECT_EQ(resolved("auto", {{"JOB_COMPLETION_INDEX", "3"}, {"MECHCHECK_SHARD_COUNT", "4"}}),
            "4/4");
  EXPECT_EQ(resolved("auto", {{"JOB_COMPLETION_INDEX", "4"}, {"MECHCHECK_SHARD_COUNT", "4"}}),
            "--shard: auto: JOB_COMPLETION_INDEX: is 4, expected an integer in 0..3");
  EXPECT_EQ(resolved("auto", {{"JOB_COMPLETION_INDEX", "1"}}),
            "--shard: auto: JOB_COMPLETION_INDEX is set but MECHCHECK_SHARD_COUNT is not (set "
            "it to the Job's completions)");
}

TEST(ShardOption, ExplicitVariablesComeFirst) {
  // A CI matrix inside a Slurm allocation: the explicit pair wins.
  EXPECT_EQ(resolved("auto", {{"MECHCHECK_SHARD_INDEX", "2"},
                              {"MECHCHECK_SHARD_COUNT", "3"},
                              {"SLURM_ARRAY_TASK_ID", "0"},
                              {"SLURM_ARRAY_TASK_COUNT", "8"}}),
            "2/3");
  EXPECT_EQ(resolved("auto", {{"MECHCHECK_SHARD_INDEX", "0"}, {"MECHCHECK_SHARD_COUNT", "3"}}),
            "--shard: auto: MECHCHECK_SHARD_INDEX: is 0, expected an integer in 1..3");
  EXPECT_EQ(resolved("auto", {{"MECHCHECK_SHARD_INDEX", ""}, {"MECHCHECK_SHARD_COUNT", "3"}}),
            "--shard: auto: MECHCHECK_SHARD_INDEX: is \"\", expected an integer in 1..3");
  EXPECT_EQ(resolved("auto", {{"MECHCHECK_SHARD_INDEX", "1"}}),
            "--shard: auto: MECHCHECK_SHARD_COUNT is not set");
}

TEST(ShardOption, NothingSetNamesEveryVariable) {
  const std::string error = resolved("auto", {{"MECHCHECK_SHARD_COUNT", "4"}});
  EXPECT_EQ(error.rfind("--shard: auto: no shard in the environment", 0), 0u) << error;
  for (const char* variable :
       {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "JOB_COMPLETION_INDEX",
        "MECHCHECK_SHARD_INDEX", "MECHCHECK_SHARD_COUNT"})
    EXPECT_NE(error.find(variable), std::string::npos) << variable;
}

}  // namespace

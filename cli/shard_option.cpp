#include "cli/shard_option.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <limits>

#include "cli/option_parsing.hpp"
#include "report/report_identity.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {
namespace {

constexpr std::uint64_t kAnyValue = std::numeric_limits<std::uint64_t>::max();

// One variable as an integer in [min, max]; errors name `--shard: auto: VARIABLE: ...`.
std::uint64_t variable_value(const std::string& option, const EnvironmentLookup& environment,
                             const std::string& name, std::uint64_t min, std::uint64_t max) {
  const std::optional<std::string> text = environment(name);
  if (!text) throw SpecError(option, "auto: " + name + " is not set");
  try {
    return parse_integer_option(name, *text, min, max);
  } catch (const SpecError& error) {
    throw SpecError(option, std::string("auto: ") + error.what());
  }
}

ShardSelection explicit_shard(const std::string& option, const EnvironmentLookup& environment) {
  const std::uint64_t count =
      variable_value(option, environment, "MECHCHECK_SHARD_COUNT", 1, kMaxShards);
  const std::uint64_t k = variable_value(option, environment, "MECHCHECK_SHARD_INDEX", 1, count);
  return {static_cast<std::size_t>(k - 1), static_cast<std::size_t>(count)};
}

ShardSelection slurm_shard(const std::string& option, const EnvironmentLookup& environment) {
  const std::uint64_t count =
      variable_value(option, environment, "SLURM_ARRAY_TASK_COUNT", 1, kMaxShards);
  const std::uint64_t min =
      environment("SLURM_ARRAY_TASK_MIN")
          ? variable_value(option, environment, "SLURM_ARRAY_TASK_MIN", 0, kAnyValue)
          : 0;
  const std::uint64_t step =
      environment("SLURM_ARRAY_TASK_STEP")
          ? variable_value(option, environment, "SLURM_ARRAY_TASK_STEP", 1, kAnyValue)
          : 1;
  const std::uint64_t id =
      variable_value(option, environment, "SLURM_ARRAY_TASK_ID", min, kAnyValue);
  // --array=0-15:4 runs ids 0, 4, 8, 12 as shards 1..4; a list like --array=1,5,6 has no step
  // and is refused unless its ids are MIN, MIN + 1, ...
  if ((id - min) % step != 0 || (id - min) / step >= count)
    throw SpecError(option, fmt::format("auto: SLURM_ARRAY_TASK_ID: is {}, which is not task "
                                        "MIN + STEP·i of the array (MIN {}, STEP {}, i < "
                                        "SLURM_ARRAY_TASK_COUNT {}); submit a range such as "
                                        "--array=0-{}",
                                        id, min, step, count, count - 1));
  return {static_cast<std::size_t>((id - min) / step), static_cast<std::size_t>(count)};
}

ShardSelection indexed_job_shard(const std::string& option, const EnvironmentLookup& environment) {
  if (!environment("MECHCHECK_SHARD_COUNT"))
    throw SpecError(option,
                    "auto: JOB_COMPLETION_INDEX is set but MECHCHECK_SHARD_COUNT is not (set it "
                    "to the Job's completions)");
  const std::uint64_t count =
      variable_value(option, environment, "MECHCHECK_SHARD_COUNT", 1, kMaxShards);
  const std::uint64_t index =
      variable_value(option, environment, "JOB_COMPLETION_INDEX", 0, count - 1);
  return {static_cast<std::size_t>(index), static_cast<std::size_t>(count)};
}

}  // namespace

EnvironmentLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
}

std::string ShardSelection::text() const { return shard_text(index, count); }

ShardSelection resolve_shard_option(const std::string& option, const std::string& text,
                                    const EnvironmentLookup& environment) {
  if (text != "auto") {
    const auto [index, count] = parse_shard_option(option, text);
    return {index, count};
  }
  if (environment("MECHCHECK_SHARD_INDEX")) return explicit_shard(option, environment);
  if (environment("SLURM_ARRAY_TASK_ID")) return slurm_shard(option, environment);
  if (environment("JOB_COMPLETION_INDEX")) return indexed_job_shard(option, environment);
  throw SpecError(option,
                  "auto: no shard in the environment: set SLURM_ARRAY_TASK_ID and "
                  "SLURM_ARRAY_TASK_COUNT (Slurm arrays), JOB_COMPLETION_INDEX and "
                  "MECHCHECK_SHARD_COUNT (Kubernetes Indexed Jobs), or MECHCHECK_SHARD_INDEX "
                  "and MECHCHECK_SHARD_COUNT (1-based, e.g. a CI matrix)");
}

}  // namespace mechcheck::cli

#pragma once
// `mechcheck check` configs: a mechanism, the instances (fixed or generated), the properties,
// and how hard to search. Command-line options override the config's values.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "spec/generator_spec.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

// The most instances one `check` run takes, from a config's "instance_count" or `--instances`
// alike: a mistyped count must not run for days.
inline constexpr std::uint64_t kMaxCheckInstances = 1'000'000;

struct CheckConfig {
  Instance mechanism;               // normalization, max_group_size, rule, payment (no groups)
  std::vector<Instance> instances;  // "instances": fixed, each validated
  std::optional<GeneratorSpec> generator;  // or "generator": sampled with the seed
  std::vector<std::string> properties;     // dsic, ir, nonneg, approx-dsic
  std::optional<Rational> noise_epsilon;   // "noise": {"epsilon": e}, required by approx-dsic
  std::string effort = "default";          // quick, default, thorough
  std::uint64_t instance_count = 100;      // generated instances
  std::uint64_t seed = 1;
};

// Throws SpecError naming the field (e.g. "instances[2].groups[0].reward").
CheckConfig read_check_config(const nlohmann::json& document);

// The mechanism part shared by check configs and instances: reads normalization,
// max_group_size, rule and payment into an Instance without groups.
Instance read_mechanism(const nlohmann::json& document);

}  // namespace mechcheck

#include "spec/check_config.hpp"

#include <algorithm>

#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

const json& require(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) throw SpecError(key, "is missing");
  return *it;
}

std::pair<std::size_t, std::size_t> read_range(const json& value, const std::string& field,
                                               std::size_t low, std::size_t high) {
  if (!value.is_array() || value.size() != 2) throw SpecError(field, "expected [min, max]");
  const auto a = read_count(value[0], field + "[0]", low, high),
             b = read_count(value[1], field + "[1]", low, high);
  if (a > b) throw SpecError(field, "has min > max");
  return {a, b};
}

GeneratorSpec read_generator(const json& value) {
  if (!value.is_object()) throw SpecError("generator", "expected an object");
  for (const auto& [key, unused] : value.items())
    if (key != "outcomes" && key != "groups" && key != "initial" && key != "reward")
      throw SpecError("generator." + key,
                      "is not a known field (known: outcomes, groups, initial, reward)");
  GeneratorSpec spec;
  if (value.contains("outcomes"))
    std::tie(spec.min_outcomes, spec.max_outcomes) =
        read_range(value["outcomes"], "generator.outcomes", 1, 10000);
  if (value.contains("groups"))
    std::tie(spec.min_groups, spec.max_groups) =
        read_range(value["groups"], "generator.groups", 1, 1000);
  if (value.contains("initial")) {
    const json& initial = value["initial"];
    auto shape =
        initial.is_string() ? parse_initial_shape(initial.get<std::string>()) : std::nullopt;
    if (!shape)
      throw SpecError("generator.initial", "expected \"uniform\", \"random\" or \"skewed\"");
    spec.initial = *shape;
  }
  if (value.contains("reward")) {
    const json& reward = value["reward"];
    auto shape = reward.is_string() ? parse_reward_shape(reward.get<std::string>()) : std::nullopt;
    if (!shape)
      throw SpecError(
          "generator.reward",
          "expected \"uniform\", \"with-zeros\", \"ties\", \"constant\", \"one-hot\" or \"mixed\"");
    spec.reward = *shape;
  }
  return spec;
}

// A fixed instance inherits the config's mechanism fields it does not state.
Instance read_config_instance(const json& value, const json& document, std::size_t index) {
  const std::string field = "instances[" + std::to_string(index) + "]";
  if (!value.is_object()) throw SpecError(field, "expected an instance object");
  json merged = value;
  for (const char* key : {"normalization", "max_group_size", "rule", "payment"}) {
    if (!document.contains(key)) continue;
    if (!merged.contains(key))
      merged[key] = document[key];
    else if (merged[key] != document[key])
      throw SpecError(field + "." + key, "differs from the config's " + std::string(key));
  }
  return with_field_prefix(field, [&] { return read_instance(merged); });
}

}  // namespace

Instance read_mechanism(const json& document) {
  Instance mechanism;
  mechanism.normalization = read_normalization(require(document, "normalization"), "normalization");
  mechanism.max_group_size =
      read_count(require(document, "max_group_size"), "max_group_size", 1, 1000000);
  mechanism.rule = read_training_rule(require(document, "rule"), "rule");
  if (document.contains("payment"))
    mechanism.payment = read_payment_rule(document["payment"], "payment");
  return mechanism;
}

CheckConfig read_check_config(const json& document) {
  if (!document.is_object()) throw SpecError("", "the config is not a JSON object");
  reject_unknown_keys(
      document, "",
      {"family", "name", "description", "normalization", "max_group_size", "rule", "payment",
       "instances", "generator", "properties", "noise", "effort", "instance_count", "seed"});
  require_text_fields(document, "");
  CheckConfig config;
  config.mechanism = read_mechanism(document);
  const bool fixed = document.contains("instances"), generated = document.contains("generator");
  if (fixed == generated)
    throw SpecError("instances", "give exactly one of \"instances\" and \"generator\"");
  if (fixed) {
    const json& instances = document["instances"];
    if (!instances.is_array() || instances.empty())
      throw SpecError("instances", "expected a non-empty array");
    for (std::size_t k = 0; k < instances.size(); ++k)
      config.instances.push_back(read_config_instance(instances[k], document, k));
  } else {
    config.generator = read_generator(document["generator"]);
    const TrainingRule& rule = config.mechanism.rule;
    const std::size_t m = rule.policies.empty() ? 0 : rule.policies[0].size();
    if (m != 0 && (config.generator->min_outcomes != m || config.generator->max_outcomes != m))
      throw SpecError("generator.outcomes",
                      "must be [" + std::to_string(m) + ", " + std::to_string(m) +
                          "]: the candidate policies have " + std::to_string(m) + " outcomes");
    if (rule.rewarded_soups &&
        rewarded_soup_count(config.generator->max_groups, *rule.rewarded_soups) > kMaxCandidates)
      throw SpecError("rule.policies.rewarded-soups.count",
                      "gives more than " + std::to_string(kMaxCandidates) + " candidates with " +
                          std::to_string(config.generator->max_groups) + " groups");
  }
  const json& properties = require(document, "properties");
  if (!properties.is_array() || properties.empty())
    throw SpecError("properties", "expected a non-empty array");
  for (std::size_t k = 0; k < properties.size(); ++k) {
    const std::string field = "properties[" + std::to_string(k) + "]";
    const std::string name = properties[k].is_string() ? properties[k].get<std::string>() : "";
    if (name != "dsic" && name != "ir" && name != "nonneg" && name != "approx-dsic")
      throw SpecError(field, "expected \"dsic\", \"ir\", \"nonneg\" or \"approx-dsic\"");
    if (std::find(config.properties.begin(), config.properties.end(), name) ==
        config.properties.end())
      config.properties.push_back(name);
  }
  if (document.contains("noise")) {
    const json& noise = document["noise"];
    if (!noise.is_object() || !noise.contains("epsilon"))
      throw SpecError("noise.epsilon", "is missing");
    const ExactNumber epsilon = read_number(noise["epsilon"], "noise.epsilon");
    if (epsilon.value <= 0) throw SpecError("noise.epsilon", "expected > 0");
    config.noise_epsilon = epsilon.value;
  }
  if (std::find(config.properties.begin(), config.properties.end(), "approx-dsic") !=
          config.properties.end() &&
      !config.noise_epsilon)
    throw SpecError("noise.epsilon", "is required by the approx-dsic property");
  if (document.contains("effort")) {
    const json& effort = document["effort"];
    config.effort = effort.is_string() ? effort.get<std::string>() : "";
    if (config.effort != "quick" && config.effort != "default" && config.effort != "thorough")
      throw SpecError("effort", "expected \"quick\", \"default\" or \"thorough\"");
  }
  if (document.contains("instance_count"))
    config.instance_count =
        read_count(document["instance_count"], "instance_count", 1, kMaxCheckInstances);
  if (document.contains("seed")) config.seed = read_count(document["seed"], "seed", 0, UINT64_MAX);
  return config;
}

}  // namespace mechcheck

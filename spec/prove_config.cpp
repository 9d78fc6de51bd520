#include "spec/prove_config.hpp"

#include "spec/check_config.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

Rational read_positive(const json& value, const std::string& field) {
  const ExactNumber number = read_number(value, field);
  if (number.value <= 0)
    throw SpecError(field,
                    "is " + describe_number(number.value, number.is_decimal) + ", expected > 0");
  return number.value;
}

}  // namespace

ProveConfig read_prove_config(const json& document) {
  if (!document.is_object()) throw SpecError("", "the config is not a JSON object");
  // `check` configs are accepted as they are: instances, generator, properties, effort and
  // instance_count do not apply to proofs.
  reject_unknown_keys(document, "",
                      {"family",    "name",      "description", "normalization", "max_group_size",
                       "rule",      "payment",   "initial",     "outcomes",      "groups",
                       "interior",  "noise",     "timeout",     "samples",       "seed",
                       "instances", "generator", "properties",  "effort",        "instance_count"});
  require_text_fields(document, "");
  ProveConfig config;
  smt::SmtMechanism& mechanism = config.mechanism;

  // The rule: λ fixed or {"min", "max"}; type sw-max (chi2, tv) or candidates.
  auto rule_it = document.find("rule");
  if (rule_it == document.end()) throw SpecError("rule", "is missing");
  if (!rule_it->is_object()) throw SpecError("rule", "expected an object");
  json rule = *rule_it;
  if (auto lambda = rule.find("lambda"); lambda != rule.end() && lambda->is_object()) {
    for (const auto& [key, unused] : lambda->items())
      if (key != "min" && key != "max")
        throw SpecError("rule.lambda." + key, "is not a known field (known: min, max)");
    if (!lambda->contains("min") || !lambda->contains("max"))
      throw SpecError("rule.lambda", "a symbolic lambda needs \"min\" and \"max\"");
    mechanism.lambda.value.reset();
    mechanism.lambda.min = read_positive((*lambda)["min"], "rule.lambda.min");
    mechanism.lambda.max = read_positive((*lambda)["max"], "rule.lambda.max");
    if (mechanism.lambda.min > mechanism.lambda.max)
      throw SpecError("rule.lambda", "has min > max");
    rule["lambda"] = 1;  // validated above; the rest of the rule is read as usual
  }
  std::optional<json> policies;
  if (rule.value("type", json()) == "candidates") {
    if (!rule.contains("policies"))
      throw SpecError("rule.policies", "is missing (the candidate policies)");
    policies = rule["policies"];
    rule.erase("policies");
    rule["type"] = "sw-max";
  }
  json mechanism_document = {{"rule", rule}};
  for (const char* key : {"normalization", "max_group_size", "payment"})
    if (document.contains(key)) mechanism_document[key] = document[key];
  const Instance parsed = read_mechanism(mechanism_document);
  if (parsed.rule.type != RuleType::sw_max)
    throw SpecError("rule.type", "prove supports \"sw-max\" and \"candidates\"");
  if (parsed.rule.divergence != DivergenceKind::chi2 &&
      parsed.rule.divergence != DivergenceKind::tv)
    throw SpecError("rule.divergence",
                    "is \"" + std::string(divergence_name(parsed.rule.divergence)) +
                        "\"; prove supports chi2 and tv (rules with rational optima)");
  mechanism.normalization = parsed.normalization;
  mechanism.max_group_size = parsed.max_group_size;
  mechanism.payment = parsed.payment;
  mechanism.divergence = parsed.rule.divergence;
  if (mechanism.lambda.value) mechanism.lambda.value = parsed.rule.lambda;
  mechanism.rule = policies ? smt::RuleKind::candidates
                            : (parsed.rule.divergence == DivergenceKind::tv ? smt::RuleKind::tv
                                                                            : smt::RuleKind::chi2);

  std::optional<std::size_t> outcomes;
  if (document.contains("outcomes"))
    outcomes = read_count(document["outcomes"], "outcomes", 1, 1000);
  if (policies) {
    if (!policies->is_array() || policies->empty())
      throw SpecError("rule.policies", "expected a non-empty array of policies");
    for (std::size_t k = 0; k < policies->size(); ++k) {
      const std::string field = "rule.policies[" + std::to_string(k) + "]";
      mechanism.candidates.push_back(read_distribution((*policies)[k], field, false));
      if (mechanism.candidates[k].size() != mechanism.candidates[0].size())
        throw SpecError(field, "has " + std::to_string(mechanism.candidates[k].size()) +
                                   " outcomes, the first policy " +
                                   std::to_string(mechanism.candidates[0].size()));
    }
    if (outcomes && *outcomes != mechanism.candidates[0].size())
      throw SpecError("outcomes", "differs from the candidate policies' outcome count");
    outcomes = mechanism.candidates[0].size();
    config.outcomes_fixed = true;
  }

  if (auto initial = document.find("initial"); initial != document.end()) {
    if (initial->is_string() && *initial == "uniform") {
      config.uniform_initial = true;
    } else if (initial->is_object()) {
      for (const auto& [key, unused] : initial->items())
        if (key != "min") throw SpecError("initial." + key, "is not a known field (known: min)");
      if (initial->contains("min"))
        mechanism.initial_min = read_positive((*initial)["min"], "initial.min");
    } else {
      mechanism.initial = read_distribution(*initial, "initial", true);
      if (outcomes && *outcomes != mechanism.initial->size())
        throw SpecError("initial", "has " + std::to_string(mechanism.initial->size()) +
                                       " outcomes, \"outcomes\" says " + std::to_string(*outcomes));
      outcomes = mechanism.initial->size();
      config.outcomes_fixed = true;
    }
  }
  if (mechanism.rule == smt::RuleKind::candidates && !mechanism.initial && !config.uniform_initial)
    throw SpecError("initial", "a candidate-set rule needs a fixed initial model");
  mechanism.outcomes = outcomes.value_or(2);
  if (document.contains("groups"))
    mechanism.groups = read_count(document["groups"], "groups", 1, 100);
  if (document.contains("interior")) {
    if (!document["interior"].is_boolean()) throw SpecError("interior", "expected true or false");
    mechanism.interior_only = document["interior"].get<bool>();
    if (mechanism.interior_only && mechanism.rule != smt::RuleKind::chi2)
      throw SpecError("interior", "applies to the chi2 SW-Max rule only");
  }
  if (auto noise = document.find("noise"); noise != document.end()) {
    if (!noise->is_object()) throw SpecError("noise", "expected {\"epsilon\": e}");
    for (const auto& [key, unused] : noise->items())
      if (key != "epsilon" && key != "bound")
        throw SpecError("noise." + key, "is not a known field (known: epsilon, bound)");
    if (noise->contains("epsilon"))
      config.epsilon = read_positive((*noise)["epsilon"], "noise.epsilon");
    if (noise->contains("bound"))
      config.bound_factor = read_positive((*noise)["bound"], "noise.bound");
  }
  if (document.contains("timeout"))
    config.timeout_seconds = read_positive(document["timeout"], "timeout").convert_to<double>();
  if (document.contains("samples"))
    config.samples = read_count(document["samples"], "samples", 0, 100000);
  if (document.contains("seed")) config.seed = read_count(document["seed"], "seed", 0, UINT64_MAX);
  return config;
}

void set_prove_sizes(ProveConfig& config, std::optional<std::size_t> outcomes,
                     std::optional<std::size_t> groups) {
  smt::SmtMechanism& mechanism = config.mechanism;
  if (outcomes) {
    if (config.outcomes_fixed && *outcomes != mechanism.outcomes)
      throw SpecError("--outcomes", "is " + std::to_string(*outcomes) + ", but the config fixes " +
                                        std::to_string(mechanism.outcomes) + " outcomes");
    if (*outcomes < 1 || *outcomes > 1000) throw SpecError("--outcomes", "expected 1..1000");
    mechanism.outcomes = *outcomes;
  }
  if (groups) {
    if (*groups < 1 || *groups > 100) throw SpecError("--groups", "expected 1..100");
    mechanism.groups = *groups;
  }
  if (config.uniform_initial)
    mechanism.initial = std::vector<Rational>(mechanism.outcomes,
                                              Rational(1, static_cast<long>(mechanism.outcomes)));
  if (!mechanism.initial && mechanism.initial_min * static_cast<long>(mechanism.outcomes) > 1)
    throw SpecError("initial.min", "is larger than 1/outcomes");
}

}  // namespace mechcheck

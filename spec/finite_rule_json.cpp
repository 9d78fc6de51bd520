#include "spec/finite_rule_json.hpp"

#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {

using json = nlohmann::json;

Trainer read_trainer(const json& value, const std::string& field) {
  if (!value.is_object())
    throw SpecError(field, std::string("is a ") + value.type_name() +
                               ", expected an object {\"method\", \"steps\", \"step_size\"}");
  reject_unknown_keys(value, field, {"method", "steps", "step_size"});
  Trainer trainer;
  const auto method = value.find("method");
  if (method == value.end()) throw SpecError(field + ".method", "is missing");
  const std::string name = method->is_string() ? method->get<std::string>() : "";
  if (name == trainer_method_name(TrainerMethod::mirror_descent))
    trainer.method = TrainerMethod::mirror_descent;
  else if (name == trainer_method_name(TrainerMethod::projected_gradient))
    trainer.method = TrainerMethod::projected_gradient;
  else
    throw SpecError(field + ".method", "expected \"mirror-descent\" or \"projected-gradient\"");
  const auto steps = value.find("steps");
  if (steps == value.end()) throw SpecError(field + ".steps", "is missing");
  trainer.steps = read_count(*steps, field + ".steps", 0, kMaxTrainerSteps);
  const auto step_size = value.find("step_size");
  if (step_size == value.end()) throw SpecError(field + ".step_size", "is missing");
  trainer.step_size = read_number(*step_size, field + ".step_size").value;
  if (trainer.step_size <= 0)
    throw SpecError(field + ".step_size",
                    "is " + to_exact_string(trainer.step_size) + ", expected > 0");
  return trainer;
}

json trainer_to_json(const Trainer& trainer) {
  return {{"method", trainer_method_name(trainer.method)},
          {"steps", trainer.steps},
          {"step_size", to_exact_string(trainer.step_size)}};
}

void read_candidate_policies(const json& value, const std::string& field, TrainingRule& rule) {
  if (value.is_object()) {
    reject_unknown_keys(value, field, {"rewarded-soups"});
    const auto soups = value.find("rewarded-soups");
    if (soups == value.end()) throw SpecError(field + ".rewarded-soups", "is missing");
    const std::string soups_field = field + ".rewarded-soups";
    if (!soups->is_object()) throw SpecError(soups_field, "expected an object {\"count\": K}");
    reject_unknown_keys(*soups, soups_field, {"count"});
    const auto count = soups->find("count");
    if (count == soups->end()) throw SpecError(soups_field + ".count", "is missing");
    rule.rewarded_soups = read_count(*count, soups_field + ".count", 0, kMaxRewardedSoups);
    return;
  }
  if (!value.is_array() || value.empty())
    throw SpecError(
        field, "expected a non-empty array of policies or {\"rewarded-soups\": {\"count\": K}}");
  if (value.size() > kMaxCandidates)
    throw SpecError(field, "has more than " + std::to_string(kMaxCandidates) + " policies");
  for (std::size_t k = 0; k < value.size(); ++k)
    rule.policies.push_back(
        read_distribution(value[k], field + "[" + std::to_string(k) + "]", false));
}

json candidate_policies_to_json(const TrainingRule& rule) {
  if (rule.rewarded_soups) return {{"rewarded-soups", {{"count", *rule.rewarded_soups}}}};
  json policies = json::array();
  for (const auto& policy : rule.policies) policies.push_back(exact_array(policy));
  return policies;
}

}  // namespace mechcheck

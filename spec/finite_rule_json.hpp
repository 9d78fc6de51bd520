#pragma once
// The JSON of the finite-training rules and heuristic payments (README, "Finite training"):
//   rule     {"type": "candidates", ..., "policies": [[...], ...] | {"rewarded-soups": {"count":
//   K}}}
//            {"type": "trained", ..., "trainer": {"method": M, "steps": T, "step_size": η}}
//   payment  {"type": "heuristic-1" | "heuristic-2", "trainer": {...}}
#include <nlohmann/json.hpp>
#include <string>

#include "spec/instance.hpp"

namespace mechcheck {

Trainer read_trainer(const nlohmann::json& value, const std::string& field);
nlohmann::json trainer_to_json(const Trainer& trainer);

// "policies" into rule.policies or rule.rewarded_soups; each policy is checked as a distribution
// here, its length against the outcome count by validate().
void read_candidate_policies(const nlohmann::json& value, const std::string& field,
                             TrainingRule& rule);
nlohmann::json candidate_policies_to_json(const TrainingRule& rule);

}  // namespace mechcheck

#pragma once
// The incentive properties of one instance, each a verdict with evidence and, when violated,
// a confirmed and shrunk witness.
//  dsic        — no group gains by misreporting its reward model or size (regret search)
//  ir          — every truthful utility is ≥ 0
//  nonneg      — every payment is ≥ 0
//  approx-dsic — with every report perturbed within ε (max-norm), no group gains more than
//                2·w_i·ε by misreporting its reward model (Thm 4.12)
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "checks/search_effort.hpp"
#include "checks/verdict.hpp"
#include "spec/witness.hpp"

namespace mechcheck {

enum class Property { dsic, ir, nonneg, approx_dsic };
std::string_view property_name(Property property);
std::optional<Property> parse_property(std::string_view name);

struct PropertyResult {
  Verdict verdict = Verdict::holds;
  nlohmann::json evidence = nlohmann::json::object();
  std::optional<Witness> witness;
};

struct CheckOptions {
  SearchEffort effort = effort_preset(Effort::standard);
  std::uint64_t seed = 0;     // the stream for this instance (already derived per instance)
  Rational noise_epsilon{0};  // approx-dsic
  bool shrink = true;         // shrink confirmed witnesses
};

PropertyResult check_property(Property property, const Instance& instance,
                              const CheckOptions& options);

PropertyResult check_dsic(const Instance& instance, const CheckOptions& options);
PropertyResult check_ir(const Instance& instance, const CheckOptions& options);
PropertyResult check_nonneg(const Instance& instance, const CheckOptions& options);
PropertyResult check_approx_dsic(const Instance& instance, const CheckOptions& options);

}  // namespace mechcheck

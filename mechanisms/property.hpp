#pragma once
// The incentive properties a family may declare:
//  dsic        — no agent gains by misreporting (regret search)
//  ir          — every truthful utility is ≥ 0
//  nonneg      — every payment is ≥ 0 (agents never receive money)
//  budget      — the total paid to agents is ≤ the sum of all agents' costs (procurement)
//  revenue     — the payments sum to ≥ 0: the mechanism never pays out more than it takes in
//  approx-dsic — with reports perturbed within ε, no group gains more than 2·w_i·ε (Thm 4.12)
#include <optional>
#include <string_view>

#include "spec/enum_names.hpp"

namespace mechcheck {

enum class Property { dsic, ir, nonneg, budget, approx_dsic, revenue };

inline constexpr EnumName<Property> kPropertyNames[] = {{Property::dsic, "dsic"},
                                                        {Property::ir, "ir"},
                                                        {Property::nonneg, "nonneg"},
                                                        {Property::budget, "budget"},
                                                        {Property::approx_dsic, "approx-dsic"},
                                                        {Property::revenue, "revenue"}};

constexpr std::string_view property_name(Property property) {
  return name_of(kPropertyNames, property);
}
constexpr std::optional<Property> parse_property(std::string_view name) {
  return value_of(kPropertyNames, name);
}

// Whether a property's quantity shows a violation by being negative (ir, nonneg, budget,
// revenue) or positive (dsic, approx-dsic).
constexpr bool violated_when_negative(Property property) {
  return property == Property::ir || property == Property::nonneg || property == Property::budget ||
         property == Property::revenue;
}

// Whether a property is one quantity of the whole profile (budget, revenue: reported under agent
// 0) rather than one per agent.
constexpr bool whole_profile(Property property) {
  return property == Property::budget || property == Property::revenue;
}

}  // namespace mechcheck

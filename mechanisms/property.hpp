#pragma once
// The incentive properties a family may declare, each described once (kPropertyDescriptors):
// its name in configs and reports, the key of its measured quantity in witnesses and replay, the
// sign of that quantity that shows a violation, whether it is one quantity of the whole profile,
// and what a report calls the values it lists. A new property is one enum value and one row here
// (plus the families that measure it); nothing else falls back to a default.
#include <optional>
#include <stdexcept>
#include <string_view>

#include "spec/enum_names.hpp"

namespace mechcheck {

enum class Property { dsic, ir, nonneg, budget, approx_dsic, revenue };

struct PropertyDescriptor {
  Property property;
  std::string_view name;        // "dsic" in configs, reports and witnesses
  std::string_view quantity;    // the witness's key for the measured quantity
  bool violated_when_negative;  // the quantity shows a violation below 0 (else above 0)
  bool whole_profile;           // one quantity for the profile (reported under agent 0)
  std::string_view values;      // the report's key for per-agent / profile values ("" for none)
  std::string_view meaning;     // for people (`mechcheck families`, README)
};

inline constexpr PropertyDescriptor kPropertyDescriptors[] = {
    {Property::dsic, "dsic", "gain", false, false, "",
     "no agent gains by misreporting (regret search)"},
    {Property::ir, "ir", "utility", true, false, "utilities", "every truthful utility is >= 0"},
    {Property::nonneg, "nonneg", "payment", true, false, "payments",
     "every payment is >= 0 (agents never receive money)"},
    {Property::budget, "budget", "slack", true, true, "slack",
     "the total paid to agents is <= the sum of all agents' costs (procurement)"},
    {Property::approx_dsic, "approx-dsic", "gain", false, false, "",
     "with reports perturbed within epsilon, no group gains more than 2*w_i*epsilon (Thm 4.12)"},
    {Property::revenue, "revenue", "revenue", true, true, "revenue",
     "the payments sum to >= 0: the mechanism never pays out more than it takes in"},
};

// A property without its row is a bug, not a default: describe() refuses it.
constexpr const PropertyDescriptor& describe(Property property) {
  for (const PropertyDescriptor& descriptor : kPropertyDescriptors)
    if (descriptor.property == property) return descriptor;
  throw std::logic_error("a Property without its descriptor in kPropertyDescriptors");
}

constexpr std::string_view property_name(Property property) { return describe(property).name; }
constexpr std::optional<Property> parse_property(std::string_view name) {
  for (const PropertyDescriptor& descriptor : kPropertyDescriptors)
    if (descriptor.name == name) return descriptor.property;
  return std::nullopt;
}

// Whether a property's quantity shows a violation by being negative (ir, nonneg, budget,
// revenue) or positive (dsic, approx-dsic).
constexpr bool violated_when_negative(Property property) {
  return describe(property).violated_when_negative;
}

// Whether a property is one quantity of the whole profile (budget, revenue: reported under agent
// 0) rather than one per agent.
constexpr bool whole_profile(Property property) { return describe(property).whole_profile; }

}  // namespace mechcheck

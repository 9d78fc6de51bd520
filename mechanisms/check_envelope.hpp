#pragma once
// The part of a check config every family reads the same way — "properties", "effort",
// "instance_count", "seed" — read once here, so that families read only their parameters,
// instances and generator.
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "mechanisms/check_setup.hpp"

namespace mechcheck {

// Properties must be among `declared` (else SpecError("properties[k]", expected)); a repeated
// one is checked once, in the order of its first mention. `applies` may refuse a declared
// property for the config's parameters (throwing SpecError naming `field`).
void read_check_envelope(
    const nlohmann::json& document, std::span<const Property> declared, const std::string& expected,
    CheckSetup& setup,
    const std::function<void(Property property, const std::string& field)>& applies = {});

}  // namespace mechcheck

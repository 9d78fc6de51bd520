#pragma once
// The report `mechcheck implementability` prints: verdict, types, the negative cycle as exact
// types (readable back with --types), gap and distances where they apply, evidence.
#include <nlohmann/json.hpp>

#include "checks/implementability/implementability.hpp"

namespace mechcheck {

nlohmann::json implementability_report(const ImplementabilityResult& result);

}  // namespace mechcheck

#pragma once
// The incentive properties of one game, each a verdict with evidence and, when violated, a
// confirmed and shrunk witness — written once against the mechanism interface
// (mechanisms/game.hpp), for every family:
//  dsic        — regret search per agent, the best gain confirmed exactly / at 100 digits
//  ir, nonneg  — every agent's truthful utility / payment measured exactly / at 100 digits
//  budget      — the truthful total paid against the sum of all costs, exactly
//  revenue     — the truthful payments' sum, exactly
//  approx-dsic — the family's noisy search, confirmed like dsic (families that define noise)
#include <memory>

#include "checks/check_result.hpp"

namespace mechcheck {

CheckResult check_property(Property property, const std::shared_ptr<const Game>& game,
                           const CheckOptions& options);

}  // namespace mechcheck

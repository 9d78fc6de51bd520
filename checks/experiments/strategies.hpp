#pragma once
// Section 5's two misreporting strategies for one group, swept over their parameter:
//  (1) α: report the true reward with size α·w_i (α = 1 truthful; real-valued as in the paper);
//  (2) β: report β·rm_i + (1 − β)·rm₋ᵢ with rm₋ᵢ the average of the others' rewards (β = 1
//      truthful; β > 1 is limited so the report stays non-negative, then renormalized).
// Each row: the group's valuation, payment and utility, the true social welfare Σ_j w_j v_j,
// and the affine social welfare Σ_j w_j v_j − D_f(ψ‖π) that truthful reports maximize.
#include <string>
#include <vector>

#include "spec/instance.hpp"

namespace mechcheck {

struct StrategyRow {
  std::string strategy;  // "alpha" or "beta"
  double value = 0;
  double valuation = 0, payment = 0, utility = 0, welfare = 0, affine_welfare = 0;
};

// Throws std::invalid_argument for a group index out of range.
std::vector<StrategyRow> sweep_strategies(const Instance& instance, std::size_t group,
                                          const std::vector<double>& alphas,
                                          const std::vector<double>& betas);

}  // namespace mechcheck

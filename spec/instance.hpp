#pragma once
// The RLHF Game as types: one instance is a mechanism (rule + payment) plus every group's
// reported reward model and size and the initial model. All numbers are exact rationals.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "spec/divergence.hpp"
#include "spec/outcome_space.hpp"
#include "spec/rational.hpp"

namespace mechcheck {

enum class Normalization { sum, max };
std::string_view normalization_name(Normalization normalization);

// With v_i = E_ψ rm_i the valuation of group i:
// sw_max: ψ = argmax Σ w_i v_i − D_f (the paper's rules).
// anti_sw_max: ψ = argmax −Σ w_i v_i − D_f — it rewards a group for reporting its least preferred
// outcome, so no payment makes it DSIC; kept to demonstrate implementability failures.
// maxmin: ψ = argmax min_i w_i v_i − D_f (egalitarian, as in MaxMin-RLHF).
// nash: ψ = argmax Σ w_i log v_i − D_f (Nash social welfare).
// power_mean: the α-fair family ψ = argmax Σ w_i v_i^(1−α)/(1−α) − D_f for α ≥ 0, α ≠ 1: α = 0
// is sw_max, α = 1 is nash (Σ w_i log v_i) and α → ∞ approaches max-min fairness.
enum class RuleType { sw_max, anti_sw_max, maxmin, nash, power_mean };
std::string_view rule_type_name(RuleType type);

// The rules solved through their dual over SW-Max weights (solver/welfare_solver.hpp).
bool is_welfare_rule(RuleType type);

struct TrainingRule {
  RuleType type = RuleType::sw_max;
  DivergenceKind divergence = DivergenceKind::kl;
  Rational lambda{1};
  Rational alpha{0};  // power_mean's fairness α >= 0
};

// Whether the rule's optimum is rational for rational inputs, so exact arithmetic applies: SW-Max
// rules with χ² or TV.
bool rule_has_rational_optimum(const TrainingRule& rule);

enum class PaymentType { zero, affine_maximizer };
std::string_view payment_type_name(PaymentType type);

struct PaymentRule {
  PaymentType type = PaymentType::affine_maximizer;
  // p_i = p_i^AFF + offset: a DSIC payment for any constant (Thm 4.11 asks which offsets keep
  // payments non-negative and utilities non-negative). Affine maximizer only.
  Rational offset{0};
};

struct Group {
  std::vector<Rational> reward;  // rm_i(x) for every outcome x, normalized
  Rational size{1};              // w_i ∈ {1..w̄}
};

struct Instance {
  OutcomeSpace outcomes;
  Normalization normalization = Normalization::sum;
  std::vector<Rational> initial;  // π(x) > 0, Σ π = 1
  Rational max_group_size{1};     // w̄
  TrainingRule rule;
  PaymentRule payment;
  std::vector<Group> groups;

  std::size_t outcome_count() const { return initial.size(); }
  std::size_t group_count() const { return groups.size(); }
};

// Checks every invariant exactly (no tolerance): for instances built in code, e.g. by
// generators. Throws SpecError naming the first offending field.
void validate(const Instance& instance);

// The reward model that makes a group's report irrelevant (Thm 4.9's rm*): 1/m everywhere
// under sum normalization, 1 everywhere under max normalization.
std::vector<Rational> uniform_reward(Normalization normalization, std::size_t outcome_count);

}  // namespace mechcheck

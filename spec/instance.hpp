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

// sw_max: ψ = argmax Σ w_i v_i − D_f (the paper's rules).
// anti_sw_max: ψ = argmax −Σ w_i v_i − D_f — it rewards a group for reporting its least preferred
// outcome, so no payment makes it DSIC; kept to demonstrate implementability failures.
enum class RuleType { sw_max, anti_sw_max };
std::string_view rule_type_name(RuleType type);

struct TrainingRule {
  RuleType type = RuleType::sw_max;
  DivergenceKind divergence = DivergenceKind::kl;
  Rational lambda{1};
};

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

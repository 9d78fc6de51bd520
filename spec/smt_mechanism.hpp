#pragma once
// The mechanism an SMT proof ranges over (`mechcheck prove`): the RLHF Game on a fixed outcome
// and group count, with π and λ fixed or symbolic. Plain data, read by spec/prove_config and
// encoded by checks/smt/.
#include <optional>
#include <vector>

#include "spec/divergence.hpp"
#include "spec/instance.hpp"

namespace mechcheck::smt {

enum class RuleKind { chi2, tv, candidates };

// A number that is either a fixed exact rational or a variable within [min, max].
struct Bounded {
  std::optional<Rational> value;
  Rational min{0}, max{0};
};

// The mechanism with its parameters fixed or symbolic, on a fixed outcome and group count.
struct SmtMechanism {
  std::size_t outcomes = 2, groups = 2;
  Normalization normalization = Normalization::sum;
  Rational max_group_size{1};
  RuleKind rule = RuleKind::chi2;
  DivergenceKind divergence = DivergenceKind::chi2;  // of the candidate rule's regularizer
  Bounded lambda{Rational(1), 0, 0};
  // Fixed π, or symbolic: π(x) ≥ initial_min (> 0 when initial_min is 0), Σ π = 1.
  std::optional<std::vector<Rational>> initial;
  Rational initial_min{0};
  PaymentRule payment;
  // χ² only: the paper's large-λ assumption — only profiles whose optima are interior (every
  // outcome keeps positive mass under the unclamped formula) are considered.
  bool interior_only = false;
  std::vector<std::vector<Rational>> candidates;  // RuleKind::candidates: the policies
};

}  // namespace mechcheck::smt

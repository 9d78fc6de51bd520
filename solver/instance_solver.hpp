#pragma once
// Solving a parsed instance at a chosen precision: the entry point `solve` and `verify` share.
//
// The optima of every smooth rule depend on s/λ, so rounding the scores to d digits leaves
// about d − log10(max|s|/λ) correct digits (λ = 1e-6 with scores near 1000 costs 9). Instances
// are exact, so solve_instance<S> first measures that loss and, when it exceeds the margin
// below, solves with enough guard digits (50, 100 or 200) and rounds the results to S. The
// outcome is then accurate to ~1e-10 in double and to all but 4 of the requested digits at
// 50 and 100.
#include <optional>
#include <string>

#include "solver/instantiations.hpp"
#include "solver/precision.hpp"
#include "spec/instance.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {

// Refuses exact arithmetic for divergences with irrational optima, naming rule.divergence.
void require_precision_supported(const Instance& instance, Precision precision);

// ⌈log10(max(1, max_x |s(x)|/λ))⌉ for the instance's truthful scores, computed exactly.
int conditioning_digits(const Instance& instance);

// Whether every input survives conversion to double (π ≥ DBL_MIN, λ within range): tiny initial
// probabilities of long sequences or extreme λ are solved in MPFR's exponent range instead.
bool fits_double(const Instance& instance);

// Digits of S that the instance may cost before guard digits are added.
template <class S>
constexpr int affordable_digit_loss() {
  return std::is_same_v<S, double> ? 6 : 4;
}

template <class To, class From>
To round_to(const From& value) {
  if constexpr (std::is_same_v<To, From>)
    return value;
  else if constexpr (std::is_same_v<To, double>)
    return value.template convert_to<double>();
  else
    return To(value);
}

template <class To, class From>
Vector<To> round_to(const Vector<From>& values) {
  Vector<To> out(values.size());
  for (Eigen::Index i = 0; i < values.size(); ++i) out[i] = round_to<To>(values[i]);
  return out;
}

template <class To, class From>
MechanismOutcome<To> round_to(const MechanismOutcome<From>& outcome) {
  MechanismOutcome<To> out;
  out.solution.policy = round_to<To>(outcome.solution.policy);
  out.solution.objective = round_to<To>(outcome.solution.objective);
  out.solution.divergence = round_to<To>(outcome.solution.divergence);
  out.solution.multiplier = round_to<To>(outcome.solution.multiplier);
  out.rule_weights = round_to<To>(outcome.rule_weights);
  out.duality_gap = round_to<To>(outcome.duality_gap);
  out.valuations = round_to<To>(outcome.valuations);
  out.payments = round_to<To>(outcome.payments);
  out.utilities = round_to<To>(outcome.utilities);
  out.welfare = round_to<To>(outcome.welfare);
  return out;
}

// The mechanism's outcome with every group reporting truthfully, accurate at S (see above).
// If the solver cannot represent the optimum at the chosen working precision it retries with
// more digits; NumericalFailure escapes only when 200 digits are not enough.
template <class S>
MechanismOutcome<S> solve_instance(const Instance& instance) {
  auto solve_at = [&]<class W>() {
    return round_to<S>(run_mechanism(mechanism_of<W>(instance), profile_of<W>(instance)));
  };
  if constexpr (ScalarTraits<S>::exact) {
    return solve_at.template operator()<S>();
  } else {
    const int loss = conditioning_digits(instance);
    int needed = ScalarTraits<S>::digits10 + (loss <= affordable_digit_loss<S>() ? 0 : loss);
    if (std::is_same_v<S, double> && !fits_double(instance)) needed = std::max(needed, 50);
    std::optional<MechanismOutcome<S>> outcome;
    auto attempt = [&]<class W>() {
      if (outcome || ScalarTraits<W>::digits10 < needed) return;
      try {
        outcome = solve_at.template operator()<W>();
      } catch (const NumericalFailure&) {
        needed = ScalarTraits<W>::digits10 + 1;  // escalate
      }
    };
    if (needed <= ScalarTraits<S>::digits10 + (std::is_same_v<S, double> ? 3 : 0))
      attempt.template operator()<S>();
    // Rules with rational optima need no guard digits at all: solve exactly, then round.
    if (!outcome && rule_has_rational_optimum(instance.rule))
      return solve_at.template operator()<Rational>();
    attempt.template operator()<Float50>();
    attempt.template operator()<Float100>();
    attempt.template operator()<Float200>();
    if (!outcome) {
      // Conditioning beyond 200 digits (λ far below 1e-180 next to O(1) scores): 200 digits is
      // the best this build offers, and still represents the λ → 0 limit the answer is near.
      needed = 0;
      attempt.template operator()<Float200>();
    }
    if (!outcome) throw NumericalFailure("no optimum representable even at 200 digits");
    return *outcome;
  }
}

}  // namespace mechcheck

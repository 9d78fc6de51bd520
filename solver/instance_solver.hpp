#pragma once
// Solving a parsed instance at a chosen precision: the entry point `solve` and `verify` share.
//
// The optima of every smooth rule depend on s/λ, so rounding the scores to d digits leaves
// about d − log10(max|s|/λ) correct digits (λ = 1e-6 with scores near 1000 costs 9). Instances
// are exact, so solve_instance<S> first measures that loss and, when it exceeds the margin
// below, solves with enough guard digits (50, 100 or 200) and rounds the results to S. The
// outcome is then accurate to ~1e-10 in double and to all but 4 of the requested digits at
// 50 and 100.
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
  out.valuations = round_to<To>(outcome.valuations);
  out.payments = round_to<To>(outcome.payments);
  out.utilities = round_to<To>(outcome.utilities);
  out.welfare = round_to<To>(outcome.welfare);
  return out;
}

// The mechanism's outcome with every group reporting truthfully, accurate at S (see above).
template <class S>
MechanismOutcome<S> solve_instance(const Instance& instance) {
  auto solve_at = [&]<class W>() {
    return round_to<S>(run_mechanism(mechanism_of<W>(instance), profile_of<W>(instance)));
  };
  if constexpr (ScalarTraits<S>::exact) {
    return solve_at.template operator()<S>();
  } else {
    const int loss = conditioning_digits(instance);
    if (loss <= affordable_digit_loss<S>()) return solve_at.template operator()<S>();
    const int needed = ScalarTraits<S>::digits10 + loss;
    if (needed <= 50) return solve_at.template operator()<Float50>();
    if (needed <= 100) return solve_at.template operator()<Float100>();
    return solve_at.template operator()<Float200>();
  }
}

}  // namespace mechcheck

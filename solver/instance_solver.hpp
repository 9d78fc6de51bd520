#pragma once
// Solving a parsed instance at a chosen precision: the entry point `solve` and `verify` share.
//
// The optima of every smooth rule depend on s/λ, so rounding the scores to d digits leaves
// about d − log10(max|s|/λ) correct digits (λ = 1e-6 with scores near 1000 costs 9). Instances
// are exact, so solve_instance<S> first measures that loss and, when it exceeds the margin
// below, solves with enough guard digits (50, 100 or 200) and rounds the results to S. The
// outcome is then accurate to ~1e-10 in double and to all but 4 of the requested digits at
// 50 and 100.
//
// SW-Max rules see the scores only through the exact gaps s(x) − max s (run_instance), which
// rounding cannot erase: past 200 digits their 200-digit answer stands. The welfare rules round
// the rewards; past 200 digits they are answered only in the λ → 0 limit with every pair of
// rewards resolved (resolution_digits), and otherwise throw NumericalFailure: a result that
// cannot be guaranteed is refused (`mechcheck solve` exits 3), never printed.
#include <optional>
#include <string>
#include <vector>

#include "solver/instantiations.hpp"
#include "solver/precision.hpp"
#include "spec/instance.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {

// Refuses exact arithmetic for divergences with irrational optima, naming rule.divergence.
void require_precision_supported(const Instance& instance, Precision precision);

// ⌈log10(max(1, max_x |s(x)|/λ))⌉ for the instance's truthful scores, computed exactly: what
// rounding the scores (or the rewards) to the working precision costs. Every score difference g
// that the optimum can resolve (g ≥ λ) costs log10(max|s|/g) ≤ this, so it already counts them.
int conditioning_digits(const Instance& instance);

// ⌈log10(max|v|/g)⌉ over each group's reward vector and the truthful scores, g the smallest
// nonzero difference between two of their values (0 when all are equal): the digits a rounded
// copy of the rewards needs before it can tell every pair of outcomes apart.
int resolution_digits(const Instance& instance);

// The truthful scores s(x) = ±Σ_i w_i rm_i(x) (− for anti-SW-Max) as an exact top score and the
// gaps s(x) − max s ≤ 0. frame 0 is every group; with leave_one_out, frame i + 1 leaves group i
// out (the affine-maximizer payments' ψ(rm_{-i})). Subtracting before rounding keeps each gap
// to full relative accuracy however far below the scores' magnitude it is.
struct ExactScores {
  Rational top;
  std::vector<Rational> gaps;
};
std::vector<ExactScores> exact_scores(const Instance& instance, bool leave_one_out);

// One frame of exact_scores for any exact score vector (the top and the gaps below it): what
// confirmation solves on when one group's report replaces its truth (deviation_evaluator.hpp).
ExactScores score_gaps(std::vector<Rational> scores);

// One group's report against the others' exact scores ±Σ_{j≠i} w_j rm_j (others_scores): the
// frame ±(others + w·rm) splits into, so that confirmation and implementability solve a
// deviation's SW-Max optimum on exact gaps as solve_instance does the truth's.
std::vector<Rational> others_scores(const Instance& instance, std::size_t group);
ExactScores report_scores(std::vector<Rational> others, const Group& report, RuleType type);

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
  out.choice = outcome.choice;
  return out;
}

// run_mechanism on the instance's truthful profile, with SW-Max solved on the exact score gaps
// (exact_scores): the optimum depends only on the gaps, and rounding the scores first would erase
// gaps below the working precision (rewards 2·10⁻²⁵⁰ apart with λ = 10⁻³⁰⁰ gave the uniform
// policy at every precision, where the optimum is a point mass). The affine-maximizer payment is
// evaluated in the leave-one-out frame (scores relative to their own top), equal to Eq. (1)
// because Σ ψ = 1. Welfare rules solve through their duals on rounded rewards.
//
// `required_digits` > 0: the caller keeps only that many digits of the welfare rules' answers.
template <class S>
MechanismOutcome<S> run_instance(const Instance& instance, int required_digits = 0) {
  Mechanism<S> mechanism = mechanism_of<S>(instance);
  mechanism.required_digits = required_digits;
  const Profile<S> truth = profile_of<S>(instance);
  if (!solved_on_score_gaps(instance.rule.type)) return run_mechanism(mechanism, truth);
  const bool pays = mechanism.payment != PaymentType::zero;
  const std::vector<ExactScores> frames = exact_scores(instance, pays);
  MechanismOutcome<S> outcome;
  const Vector<S> gaps = from_rationals<S>(frames[0].gaps);
  outcome.solution = solve_sw_max(mechanism.rule, gaps, mechanism.initial);
  // Heuristic 1's intermediate models, trained on the gaps (the same iterates as on the scores).
  const std::vector<Vector<S>> payment_set =
      mechanism.payment == PaymentType::heuristic_1
          ? intermediate_models(mechanism, gaps, outcome.solution)
          : std::vector<Vector<S>>{};
  const S top = from_rational<S>(frames[0].top);
  outcome.solution.objective += top;
  outcome.solution.multiplier += top;
  outcome.rule_weights = mechanism.score_sign * truth.sizes;
  outcome.duality_gap = S(0);
  const Eigen::Index n = truth.group_count();
  outcome.payments = Vector<S>::Zero(n);
  if (pays) {
    for (Eigen::Index i = 0; i < n; ++i) {
      const Vector<S> others = from_rationals<S>(frames[static_cast<std::size_t>(i) + 1].gaps);
      outcome.payments[i] = affine_maximizer_payment(
          payment_reference(mechanism, others, payment_set), others, outcome.solution.policy,
          outcome.solution.divergence, mechanism.payment_offset);
    }
  }
  outcome.valuations =
      (truth.rewards.transpose() * outcome.solution.policy).cwiseProduct(truth.sizes);
  outcome.utilities = outcome.valuations - outcome.payments;
  outcome.welfare = outcome.valuations.sum();
  return outcome;
}

// The mechanism's outcome with every group reporting truthfully, accurate at S (see above).
// If the solver cannot represent the optimum at the chosen working precision it retries with
// more digits; NumericalFailure escapes only when 200 digits are not enough.
template <class S>
MechanismOutcome<S> solve_instance(const Instance& instance) {
  // Three guard digits on what S keeps (a 50-digit solve rounded to double needs 18 of its 50).
  auto solve_at = [&]<class W>() {
    return round_to<S>(run_instance<W>(instance, ScalarTraits<S>::digits10 + 3));
  };
  if constexpr (ScalarTraits<S>::exact) {
    return solve_at.template operator()<S>();
  } else {
    const int loss = conditioning_digits(instance);
    int needed = ScalarTraits<S>::digits10 + (loss <= affordable_digit_loss<S>() ? 0 : loss);
    if (std::is_same_v<S, double> && !fits_double(instance)) needed = std::max(needed, 50);
    std::optional<MechanismOutcome<S>> outcome;
    std::string last_failure;
    bool exhausted = false;  // the last failure was a PrecisionExhausted
    auto attempt = [&]<class W>() {
      if (outcome || ScalarTraits<W>::digits10 < needed) return;
      try {
        outcome = solve_at.template operator()<W>();
      } catch (const NumericalFailure& failure) {
        needed = ScalarTraits<W>::digits10 + 1;  // escalate
        last_failure = failure.what();
        exhausted = dynamic_cast<const PrecisionExhausted*>(&failure) != nullptr;
      }
    };
    if (needed <= ScalarTraits<S>::digits10 + (std::is_same_v<S, double> ? 3 : 0))
      attempt.template operator()<S>();
    // Rules with rational optima need no guard digits at all: solve exactly, then round.
    if (!outcome && exact_arithmetic_applies(instance))
      return solve_at.template operator()<Rational>();
    attempt.template operator()<Float50>();
    attempt.template operator()<Float100>();
    attempt.template operator()<Float200>();
    // Failing at 200 digits although the conditioning leaves room (a welfare rule whose weights
    // leave even MPFR's range, α = 10⁴⁰⁰⁰): the failure itself is the reason, not λ.
    if (!outcome && !last_failure.empty() &&
        conditioning_digits(instance) + ScalarTraits<S>::digits10 <=
            ScalarTraits<Float200>::digits10) {
      const std::string message = last_failure + ", at every working precision up to 200 digits";
      if (exhausted) throw PrecisionExhausted(message);
      throw NumericalFailure(message);
    }
    if (!outcome) {
      // The requested digits need more than 200 (λ far below the scores). SW-Max solves on exact
      // score gaps, which 200 digits represent to full relative accuracy: its answer stands. The
      // welfare rules round the rewards, which leaves 200 − conditioning digits of every s/λ;
      // their answer is the λ → 0 limit, right to any precision, only when 200 digits tell all
      // rewards apart (resolution ≤ 190) and every nonzero gap is ≥ 10⁷λ, so that the outcomes
      // below the top carry e^(−10⁷) of mass. Otherwise no result can be guaranteed.
      if (is_welfare_rule(instance.rule.type)) {
        const int conditioning = conditioning_digits(instance);
        const int resolution = resolution_digits(instance);
        if (resolution > ScalarTraits<Float200>::digits10 - 10 || conditioning - resolution < 8)
          throw NumericalFailure(
              "rule.lambda: the " + std::string(rule_type_name(instance.rule.type)) +
              " rule rounds the rewards, and with λ = 10^-" + std::to_string(conditioning) +
              " of the scores and rewards 10^-" + std::to_string(resolution) + " of them apart, " +
              std::to_string(ScalarTraits<S>::digits10) +
              " correct digits would need more than the 200 this build computes with");
      }
      needed = 0;
      attempt.template operator()<Float200>();
    }
    if (!outcome) throw NumericalFailure("no optimum representable even at 200 digits");
    return *outcome;
  }
}

// Compiled once per scalar in instantiations_*.cpp like the solver templates: solve_instance<S>
// instantiates run_instance at every working precision, which cost each including file ~20 s.
#define MECHCHECK_INSTANCE_SOLVER_TEMPLATES(PREFIX, S)                       \
  PREFIX template MechanismOutcome<S> run_instance<S>(const Instance&, int); \
  PREFIX template MechanismOutcome<S> solve_instance<S>(const Instance&);

MECHCHECK_INSTANCE_SOLVER_TEMPLATES(extern, double)
MECHCHECK_INSTANCE_SOLVER_TEMPLATES(extern, Float50)
MECHCHECK_INSTANCE_SOLVER_TEMPLATES(extern, Float100)
MECHCHECK_INSTANCE_SOLVER_TEMPLATES(extern, Float200)
MECHCHECK_INSTANCE_SOLVER_TEMPLATES(extern, Rational)

}  // namespace mechcheck

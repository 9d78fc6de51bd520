#pragma once
// One group's utility as a function of its own report, the others' reports held fixed — the
// object every incentive check searches over. The affine-maximizer payment's first term
// ASW₋ᵢ(ψ(rm₋ᵢ)) does not depend on group i's report, so it is solved once here and each
// evaluation costs one SW-Max solve (one dual solve for the welfare rules).
//
// ExactReportEvaluator (below) is the same object for exact reports at a high working precision:
// what confirmation measures with.
#include <algorithm>
#include <vector>

#include "solver/instance_solver.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {

template <class S>
struct Report {
  Vector<S> reward;
  S size;
};

template <class S>
struct Evaluation {
  S utility, valuation, payment;
  Vector<S> policy;
};

template <class S>
class DeviationEvaluator {
 public:
  // `reports` are what the mechanism sees for the other groups; `truth` is group i's type.
  DeviationEvaluator(Mechanism<S> mechanism, const Profile<S>& reports, Eigen::Index group,
                     Report<S> truth)
      : mechanism_(std::move(mechanism)),
        group_(group),
        truth_(std::move(truth)),
        reports_(reports) {
    others_ = mechanism_.score_sign * aggregate_scores(reports, group);  // as the rule sees them
    if (mechanism_.payment != PaymentType::zero && !payment_reference_moves_with_report(mechanism_))
      best_without_group_ =
          payment_reference(mechanism_, others_, {}, other_reports(reports, group));
    truthful_ = evaluate(truth_);
  }
  DeviationEvaluator(Mechanism<S> mechanism, const Profile<S>& truthful_reports, Eigen::Index group)
      : DeviationEvaluator(
            std::move(mechanism), truthful_reports, group,
            Report<S>{truthful_reports.rewards.col(group), truthful_reports.sizes[group]}) {}

  Eigen::Index group() const { return group_; }
  const Report<S>& truth() const { return truth_; }
  const Mechanism<S>& mechanism() const { return mechanism_; }
  const Evaluation<S>& truthful() const { return truthful_; }
  long evaluations() const { return evaluations_; }
  // ± Σ_{j≠i} w_j rm_j as the rule sees them, and the payment's reference when it does not move
  // with group i's report (0 for the zero payment): what a batched evaluation needs.
  const Vector<S>& others_scores() const { return others_; }
  const S& fixed_payment_reference() const { return best_without_group_; }

  // The mechanism run on `report` for group i (possibly noisy or misreported), valued with
  // group i's true type.
  Evaluation<S> evaluate(const Report<S>& report) const {
    ++evaluations_;
    RuleSolution<S> run;
    if (!solved_on_score_gaps(mechanism_.type)) {
      Profile<S> reports = reports_;
      reports.rewards.col(group_) = report.reward;
      reports.sizes[group_] = report.size;
      run = solve_rule(mechanism_, reports);
    } else {
      const Vector<S> scores = others_ + mechanism_.score_sign * report.size * report.reward;
      run.solution = solve_sw_max(mechanism_.rule, scores, mechanism_.initial);
      if (mechanism_.payment == PaymentType::heuristic_1)
        run.payment_set = intermediate_models(mechanism_, scores, run.solution);
    }
    PolicySolution<S>& solution = run.solution;
    Evaluation<S> out;
    out.valuation = truth_.size * solution.policy.dot(truth_.reward);
    out.payment =
        mechanism_.payment == PaymentType::zero
            ? S(0)
            : affine_maximizer_payment(payment_reference_for(run), others_, solution.policy,
                                       solution.divergence, mechanism_.payment_offset);
    out.utility = out.valuation - out.payment;
    out.policy = std::move(solution.policy);
    return out;
  }
  S gain(const Report<S>& report) const { return evaluate(report).utility - truthful_.utility; }

 private:
  S payment_reference_for(const RuleSolution<S>& run) const {
    return payment_reference_moves_with_report(mechanism_)
               ? payment_reference(mechanism_, others_, run.payment_set)
               : best_without_group_;
  }

  Mechanism<S> mechanism_;
  Eigen::Index group_;
  Report<S> truth_;
  Profile<S> reports_;  // the others' reports; column `group_` is replaced per evaluation
  Vector<S> others_;
  S best_without_group_{0};
  Evaluation<S> truthful_;
  mutable long evaluations_ = 0;
};

// A value known as an exact rational part plus a part computed at W (exact too when W is
// Rational): exact + rounded.
template <class W>
struct SplitValue {
  Rational exact{0};
  W rounded{0};
  SplitValue operator-(const SplitValue& other) const {
    return {exact - other.exact, W(rounded - other.rounded)};
  }
};

template <class W>
struct ExactEvaluation {
  SplitValue<W> utility, valuation, payment;
  Vector<W> policy;
};

// Group i's utility as DeviationEvaluator computes it, from the exact instance and exact reports,
// at working precision W. Rounding a profile to W erases every score or reward difference below
// W's resolution of the values themselves (rewards 1/2 ± 10⁻²⁵⁰ are both 1/2 at 200 digits), and
// with it gains of that size, so here
//  * SW-Max solves on the exact score gaps s(x) − max s (score_gaps, the path solve_instance
//    takes), s being the others' exact scores plus the report's;
//  * every vector v paired with a policy is split into its exact top and its gaps,
//    ⟨v, ψ⟩ = max v + ⟨v − max v, ψ⟩ as Σψ = 1: the valuation is w_i·max rm_i (exact) plus
//    w_i·⟨gaps, ψ⟩, and the affine-maximizer payment is taken in the leave-one-out frame,
//    OPT₋ᵢ − ⟨s₋ᵢ, ψ⟩ = OPT(gaps₋ᵢ) − ⟨gaps₋ᵢ, ψ⟩, plus the exact offset.
// The exact parts (w_i·max rm_i, the offset) cancel exactly in a gain, and every rounded part is a
// sum of terms no larger than the score gaps (D(ψ‖π) ≤ ⟨gaps, ψ − π⟩ at an optimum), each to
// W's relative accuracy: a gain of 10⁻²⁵⁰ among gaps of 10⁻²⁵⁰ keeps all of W's digits.
// The welfare rules' policy still comes from rounded rewards (their solver takes no gaps); their
// valuation and payment are split all the same.
template <class W>
class ExactReportEvaluator {
 public:
  ExactReportEvaluator(const Instance& instance, std::size_t group)
      : group_(group),
        offset_(instance.payment.offset),
        mechanism_(mechanism_of<W>(instance)),
        reports_(profile_of<W>(instance)) {
    const Group& truth = instance.groups.at(group);
    others_scores_ = others_scores(instance, group);  // ± Σ_{j≠i} w_j rm_j
    others_gaps_ = from_rationals<W>(score_gaps(others_scores_).gaps);
    if (mechanism_.payment != PaymentType::zero && !payment_reference_moves_with_report(mechanism_))
      best_without_group_ = payment_reference(
          mechanism_, others_gaps_, {}, other_reports(reports_, static_cast<Eigen::Index>(group)));
    const ExactScores valued = score_gaps(truth.reward);
    valuation_top_ = truth.size * valued.top;
    size_ = from_rational<W>(truth.size);
    valuation_gaps_ = from_rationals<W>(valued.gaps);
    truthful_ = evaluate(truth);
  }

  const ExactEvaluation<W>& truthful() const { return truthful_; }

  // The mechanism run on `report` for group i, valued with group i's true type.
  ExactEvaluation<W> evaluate(const Group& report) const {
    RuleSolution<W> run;
    if (!solved_on_score_gaps(mechanism_.type)) {
      Profile<W> reports = reports_;
      const auto column = static_cast<Eigen::Index>(group_);
      reports.rewards.col(column) = from_rationals<W>(report.reward);
      reports.sizes[column] = from_rational<W>(report.size);
      run = solve_rule(mechanism_, reports);
    } else {
      const ExactScores scores = report_scores(others_scores_, report, mechanism_.type);
      const Vector<W> gaps = from_rationals<W>(scores.gaps);
      run.solution = solve_sw_max(mechanism_.rule, gaps, mechanism_.initial);
      if (mechanism_.payment == PaymentType::heuristic_1)
        run.payment_set = intermediate_models(mechanism_, gaps, run.solution);
    }
    const PolicySolution<W>& solution = run.solution;
    ExactEvaluation<W> out;
    out.valuation = {valuation_top_, W(size_ * solution.policy.dot(valuation_gaps_))};
    if (mechanism_.payment != PaymentType::zero) {
      // In the leave-one-out frame: Θ′-dependent references shift with the frame like the rest.
      const W reference = payment_reference_moves_with_report(mechanism_)
                              ? payment_reference(mechanism_, others_gaps_, run.payment_set)
                              : best_without_group_;
      out.payment = {offset_, affine_maximizer_payment(reference, others_gaps_, solution.policy,
                                                       solution.divergence, W(0))};
    }
    out.utility = out.valuation - out.payment;
    out.policy = std::move(solution.policy);
    return out;
  }
  SplitValue<W> gain(const Group& report) const {
    return evaluate(report).utility - truthful_.utility;
  }

 private:
  std::size_t group_;
  Rational offset_;  // the affine-maximizer payment's constant
  Mechanism<W> mechanism_;
  Profile<W> reports_;                   // the welfare rules' rounded profile
  std::vector<Rational> others_scores_;  // ± Σ_{j≠i} w_j rm_j, exact
  Vector<W> others_gaps_;                // ... below their top
  W best_without_group_{0};              // OPT over others_gaps_
  Rational valuation_top_;               // w_i·max rm_i
  W size_{0};                            // w_i
  Vector<W> valuation_gaps_;             // rm_i − max rm_i
  ExactEvaluation<W> truthful_;
};

}  // namespace mechcheck

#pragma once
// A mechanism (training rule + payment rule) run on a report profile: the policy, each group's
// valuation w_i·v_i, payment and utility, and the welfare/divergence/objective.
#include <vector>

#include "solver/sw_max.hpp"
#include "solver/welfare_solver.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

template <class S>
struct Profile {
  Matrix<S> rewards;  // m × n: column i is group i's reward model
  Vector<S> sizes;    // w_i
  Eigen::Index group_count() const { return rewards.cols(); }
};

template <class S>
struct Mechanism {
  SwMaxRule<S> rule;  // the divergence and λ (and, for SW-Max rules, the whole rule)
  PaymentType payment = PaymentType::affine_maximizer;
  Vector<S> initial;    // π
  S payment_offset{0};  // added to every affine-maximizer payment
  S score_sign{1};      // −1 for the anti-SW-Max rule: ψ maximizes −Σ w_i v_i − D_f
  RuleType type = RuleType::sw_max;
  S alpha{0};  // the power-mean (α-fair) rule's fairness
};

template <class S>
struct MechanismOutcome {
  PolicySolution<S> solution;  // ψ(reports); solution.objective is the rule's objective at ψ
  Vector<S> rule_weights;  // β: ψ is the SW-Max optimum for Σ β_i rm_i (β = ±w for SW-Max)
  S duality_gap{};         // the welfare rules' optimality certificate (0 for SW-Max)
  Vector<S> valuations;    // w_i·v_i(ψ; rm_i) for the *true* types
  Vector<S> payments;      // p_i(reports)
  Vector<S> utilities;     // valuation − payment
  S welfare{};             // Σ valuations
};

// s(x) = Σ_i w_i rm_i(x), optionally leaving one group out.
template <class S>
Vector<S> aggregate_scores(const Profile<S>& reports, Eigen::Index excluded = -1) {
  Vector<S> scores = Vector<S>::Zero(reports.rewards.rows());
  for (Eigen::Index i = 0; i < reports.group_count(); ++i)
    if (i != excluded) scores += reports.sizes[i] * reports.rewards.col(i);
  return scores;
}

// The training rule's policy for `reports`: SW-Max directly, the welfare rules through their duals.
template <class S>
WelfareSolution<S> solve_rule(const Mechanism<S>& mechanism, const Profile<S>& reports) {
  if (!is_welfare_rule(mechanism.type)) {
    WelfareSolution<S> out;
    out.weights = mechanism.score_sign * reports.sizes;
    out.solution =
        solve_sw_max(mechanism.rule, Vector<S>(reports.rewards * out.weights), mechanism.initial);
    return out;
  }
  const WelfareRule<S> rule{
      mechanism.rule,
      mechanism.type == RuleType::maxmin ? WelfareKind::maxmin : WelfareKind::power_mean,
      mechanism.type == RuleType::nash ? S(0) : S(1 - mechanism.alpha)};
  return solve_welfare(rule, reports.rewards, reports.sizes, mechanism.initial);
}

// Eq. (1) given its first term: p_i = ASW_{-i}(ψ(rm_{-i})) − (Σ_{j≠i} w_j v_j(ψ) − D_f(ψ‖π)) + g.
// The one place the formula is written; run_mechanism, deviation search and implementability share
// it.
template <class S>
S affine_maximizer_payment(const S& best_without_group, const Vector<S>& others,
                           const Vector<S>& policy, const S& divergence, const S& offset) {
  return best_without_group - (policy.dot(others) - divergence) + offset;
}

// Eq. (1): p_i = ASW_{-i}(ψ(rm_{-i})) − ASW_{-i}(ψ(rm)). ψ(rm_{-i}) is the optimum without group
// i — with no other group the scores are 0 and the optimum is π itself, ASW_{-i} = 0. Under the
// welfare rules the same formula is the externality (Clarke pivot) payment: ψ(rm_{-i}) still
// maximizes the others' affine social welfare.
template <class S>
Vector<S> affine_maximizer_payments(const Mechanism<S>& mechanism, const Profile<S>& reports,
                                    const PolicySolution<S>& chosen) {
  const Eigen::Index n = reports.group_count();
  Vector<S> payments(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Vector<S> others = mechanism.score_sign * aggregate_scores(reports, i);
    const S best_without_i = solve_sw_max(mechanism.rule, others, mechanism.initial).objective;
    payments[i] = affine_maximizer_payment(best_without_i, others, chosen.policy, chosen.divergence,
                                           mechanism.payment_offset);
  }
  return payments;
}

template <class S>
Vector<S> mechanism_payments(const Mechanism<S>& mechanism, const Profile<S>& reports,
                             const PolicySolution<S>& chosen) {
  if (mechanism.payment == PaymentType::zero) return Vector<S>::Zero(reports.group_count());
  return affine_maximizer_payments(mechanism, reports, chosen);
}

// Runs the mechanism on `reports` and values the outcome with the groups' true types.
template <class S>
MechanismOutcome<S> run_mechanism(const Mechanism<S>& mechanism, const Profile<S>& reports,
                                  const Profile<S>& truth) {
  MechanismOutcome<S> outcome;
  WelfareSolution<S> solved = solve_rule(mechanism, reports);
  outcome.solution = std::move(solved.solution);
  outcome.rule_weights = std::move(solved.weights);
  outcome.duality_gap = solved.duality_gap;
  outcome.payments = mechanism_payments(mechanism, reports, outcome.solution);
  outcome.valuations =
      (truth.rewards.transpose() * outcome.solution.policy).cwiseProduct(truth.sizes);
  outcome.utilities = outcome.valuations - outcome.payments;
  outcome.welfare = outcome.valuations.sum();
  return outcome;
}

template <class S>
MechanismOutcome<S> run_mechanism(const Mechanism<S>& mechanism,
                                  const Profile<S>& truthful_reports) {
  return run_mechanism(mechanism, truthful_reports, truthful_reports);
}

// The numeric view of a parsed instance at scalar S.
template <class S>
Mechanism<S> mechanism_of(const Instance& instance) {
  return Mechanism<S>{
      SwMaxRule<S>{instance.rule.divergence, from_rational<S>(instance.rule.lambda)},
      instance.payment.type,
      from_rationals<S>(instance.initial),
      from_rational<S>(instance.payment.offset),
      S(instance.rule.type == RuleType::anti_sw_max ? -1 : 1),
      instance.rule.type,
      from_rational<S>(instance.rule.alpha)};
}

template <class S>
Profile<S> profile_of(const Instance& instance) {
  const auto m = static_cast<Eigen::Index>(instance.outcome_count());
  const auto n = static_cast<Eigen::Index>(instance.group_count());
  Profile<S> profile{Matrix<S>(m, n), Vector<S>(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    const Group& group = instance.groups[static_cast<std::size_t>(i)];
    profile.rewards.col(i) = from_rationals<S>(group.reward);
    profile.sizes[i] = from_rational<S>(group.size);
  }
  return profile;
}

}  // namespace mechcheck

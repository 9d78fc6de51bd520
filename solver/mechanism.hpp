#pragma once
// A mechanism (training rule + payment rule) run on a report profile: the policy, each group's
// valuation w_i·v_i, payment and utility, and the welfare/divergence/objective.
#include <optional>
#include <vector>

#include "solver/candidate_rule.hpp"
#include "solver/finite_training.hpp"
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
  S alpha{0};                           // the power-mean (α-fair) rule's fairness
  std::vector<Vector<S>> candidates{};  // the candidates rule's Θ′ when given
  long rewarded_soups = -1;             // ... or K when Θ′ is built from the reports
  TrainerSteps<S> trainer{};            // the trained rule's
  std::optional<TrainerSteps<S>> payment_trainer{};  // heuristic payments' (see PaymentRule)
  int required_digits = 0;  // welfare rules: the correct digits kept (0: all; WelfareRule)
};

// What the rule computed on one report profile.
template <class S>
struct RuleSolution {
  PolicySolution<S> solution;  // ψ(reports)
  Vector<S> weights;           // β: ψ is the SW-Max optimum for Σ β_i rm_i (welfare rules), ±w
  S duality_gap{};             // the welfare rules' optimality certificate (0 otherwise)
  long choice = -1;            // candidates: ψ's index in Θ′; trained: the iterate T
  // Heuristic 1's Θ′, which depends on the full report profile: the intermediate models, or a
  // candidate rule's own candidate set.
  std::vector<Vector<S>> payment_set;
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
  long choice = -1;        // candidates: ψ's index in Θ′; trained: the iterate T
};

// s(x) = Σ_i w_i rm_i(x), optionally leaving one group out.
template <class S>
Vector<S> aggregate_scores(const Profile<S>& reports, Eigen::Index excluded = -1) {
  Vector<S> scores = Vector<S>::Zero(reports.rewards.rows());
  for (Eigen::Index i = 0; i < reports.group_count(); ++i)
    if (i != excluded) scores += reports.sizes[i] * reports.rewards.col(i);
  return scores;
}

// Heuristic 1's Θ′ (Section 4.4): the main run's intermediate models θ₀..θ_T — under an exact
// rule, the iterates of the payment's trainer plus the optimum ψ itself.
template <class S>
std::vector<Vector<S>> intermediate_models(const Mechanism<S>& mechanism, const Vector<S>& scores,
                                           const PolicySolution<S>& chosen) {
  if (mechanism.type == RuleType::trained)
    return training_iterates(mechanism.rule, mechanism.trainer, scores, mechanism.initial);
  std::vector<Vector<S>> models =
      training_iterates(mechanism.rule, *mechanism.payment_trainer, scores, mechanism.initial);
  models.push_back(chosen.policy);
  return models;
}

// The training rule's policy for `reports`: SW-Max directly, the welfare rules through their
// duals, candidate sets by comparison, trained rules by their iterates.
template <class S>
RuleSolution<S> solve_rule(const Mechanism<S>& mechanism, const Profile<S>& reports) {
  RuleSolution<S> out;
  if (is_welfare_rule(mechanism.type)) {
    const WelfareRule<S> rule{
        mechanism.rule,
        mechanism.type == RuleType::maxmin ? WelfareKind::maxmin : WelfareKind::power_mean,
        mechanism.type == RuleType::nash ? S(0) : S(1 - mechanism.alpha),
        mechanism.required_digits};
    WelfareSolution<S> solved =
        solve_welfare(rule, reports.rewards, reports.sizes, mechanism.initial);
    out.solution = std::move(solved.solution);
    out.weights = std::move(solved.weights);
    out.duality_gap = solved.duality_gap;
    return out;
  }
  out.weights = mechanism.score_sign * reports.sizes;
  const Vector<S> scores = reports.rewards * out.weights;
  switch (mechanism.type) {
    case RuleType::candidates: {
      const bool soups = mechanism.rewarded_soups >= 0;
      std::vector<Vector<S>> built;
      if (soups)
        built = rewarded_soups(mechanism.rule, reports.rewards, S(reports.sizes.sum()),
                               mechanism.initial, mechanism.rewarded_soups);
      CandidateChoice<S> choice = best_candidate(
          mechanism.rule, soups ? built : mechanism.candidates, scores, mechanism.initial);
      out.solution = std::move(choice.solution);
      out.choice = choice.index;
      if (mechanism.payment == PaymentType::heuristic_1)
        out.payment_set = soups ? std::move(built) : mechanism.candidates;
      return out;
    }
    case RuleType::trained:
      out.solution = train(mechanism.rule, mechanism.trainer, scores, mechanism.initial);
      out.choice = mechanism.trainer.steps;
      break;
    default:
      out.solution = solve_sw_max(mechanism.rule, scores, mechanism.initial);
  }
  if (mechanism.payment == PaymentType::heuristic_1)
    out.payment_set = intermediate_models(mechanism, scores, out.solution);
  return out;
}

// Whether ψ(rm₋ᵢ) in the payment depends on group i's own report (Heuristic 1's Θ′ comes from
// the full report profile): then it is taken per evaluation, otherwise once per group.
template <class S>
bool payment_reference_moves_with_report(const Mechanism<S>& mechanism) {
  return mechanism.payment == PaymentType::heuristic_1;
}

// The reports of every group but `excluded`.
template <class S>
Profile<S> other_reports(const Profile<S>& reports, Eigen::Index excluded) {
  const Eigen::Index n = reports.group_count();
  Profile<S> out{Matrix<S>(reports.rewards.rows(), n - 1), Vector<S>(n - 1)};
  for (Eigen::Index i = 0, k = 0; i < n; ++i)
    if (i != excluded) {
      out.rewards.col(k) = reports.rewards.col(i);
      out.sizes[k++] = reports.sizes[i];
    }
  return out;
}

// Eq. (1)'s first term ASW₋ᵢ(ψ(rm₋ᵢ)) for the others' scores `others` (±Σ_{j≠i} w_j rm_j, or
// their gaps), as the payment rule defines ψ(rm₋ᵢ):
//  affine maximizer  the rule applied to the others' reports: the exact optimum over Δ for SW-Max
//                    and for the trained rule (whose training approximates it), the best of a
//                    fixed Θ′, or of the rewarded soups rebuilt from the others' reports
//                    (`others_reports`; Section 4.4's "n additional trainings");
//  heuristic 1       the best of `payment_set`, Θ′ from the full report profile;
//  heuristic 2       the early-stopped run of the payment's trainer on the others' reports.
// With no other group the others' scores are 0; rewarded soups of no group are {π}, reference 0.
template <class S>
S payment_reference(const Mechanism<S>& mechanism, const Vector<S>& others,
                    const std::vector<Vector<S>>& payment_set,
                    const Profile<S>& others_reports = {}) {
  switch (mechanism.payment) {
    case PaymentType::heuristic_1:
      return best_candidate(mechanism.rule, payment_set, others, mechanism.initial)
          .solution.objective;
    case PaymentType::heuristic_2:
      return train(mechanism.rule, *mechanism.payment_trainer, others, mechanism.initial).objective;
    default:
      break;
  }
  if (mechanism.type == RuleType::candidates) {
    if (mechanism.rewarded_soups < 0)
      return best_candidate(mechanism.rule, mechanism.candidates, others, mechanism.initial)
          .solution.objective;
    if (others_reports.group_count() == 0) return S(0);
    return best_candidate(
               mechanism.rule,
               rewarded_soups(mechanism.rule, others_reports.rewards, S(others_reports.sizes.sum()),
                              mechanism.initial, mechanism.rewarded_soups),
               others, mechanism.initial)
        .solution.objective;
  }
  return solve_sw_max(mechanism.rule, others, mechanism.initial).objective;
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
// maximizes the others' affine social welfare. Heuristic payments replace ψ(rm_{-i})
// (payment_reference).
template <class S>
Vector<S> mechanism_payments(const Mechanism<S>& mechanism, const Profile<S>& reports,
                             const RuleSolution<S>& run) {
  const Eigen::Index n = reports.group_count();
  if (mechanism.payment == PaymentType::zero) return Vector<S>::Zero(n);
  Vector<S> payments(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Vector<S> others = mechanism.score_sign * aggregate_scores(reports, i);
    const S reference =
        payment_reference(mechanism, others, run.payment_set, other_reports(reports, i));
    payments[i] = affine_maximizer_payment(reference, others, run.solution.policy,
                                           run.solution.divergence, mechanism.payment_offset);
  }
  return payments;
}

// Runs the mechanism on `reports` and values the outcome with the groups' true types.
template <class S>
MechanismOutcome<S> run_mechanism(const Mechanism<S>& mechanism, const Profile<S>& reports,
                                  const Profile<S>& truth) {
  MechanismOutcome<S> outcome;
  RuleSolution<S> solved = solve_rule(mechanism, reports);
  outcome.payments = mechanism_payments(mechanism, reports, solved);
  outcome.solution = std::move(solved.solution);
  outcome.rule_weights = std::move(solved.weights);
  outcome.duality_gap = solved.duality_gap;
  outcome.choice = solved.choice;
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
TrainerSteps<S> trainer_of(const Trainer& trainer) {
  return {trainer.method, static_cast<long>(trainer.steps), from_rational<S>(trainer.step_size)};
}

template <class S>
Mechanism<S> mechanism_of(const Instance& instance) {
  Mechanism<S> mechanism;
  mechanism.rule = SwMaxRule<S>{instance.rule.divergence, from_rational<S>(instance.rule.lambda)};
  mechanism.payment = instance.payment.type;
  mechanism.initial = from_rationals<S>(instance.initial);
  mechanism.payment_offset = from_rational<S>(instance.payment.offset);
  mechanism.score_sign = S(instance.rule.type == RuleType::anti_sw_max ? -1 : 1);
  mechanism.type = instance.rule.type;
  mechanism.alpha = from_rational<S>(instance.rule.alpha);
  for (const std::vector<Rational>& policy : instance.rule.policies)
    mechanism.candidates.push_back(from_rationals<S>(policy));
  if (instance.rule.rewarded_soups)
    mechanism.rewarded_soups = static_cast<long>(*instance.rule.rewarded_soups);
  mechanism.trainer = trainer_of<S>(instance.rule.trainer);
  if (instance.payment.trainer)
    mechanism.payment_trainer = trainer_of<S>(*instance.payment.trainer);
  return mechanism;
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

#pragma once
// One group's utility as a function of its own report, the others' reports held fixed — the
// object every incentive check searches over. The affine-maximizer payment's first term
// ASW₋ᵢ(ψ(rm₋ᵢ)) does not depend on group i's report, so it is solved once here and each
// evaluation costs one SW-Max solve (one dual solve for the welfare rules).
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
    if (mechanism_.payment == PaymentType::affine_maximizer)
      best_without_group_ = solve_sw_max(mechanism_.rule, others_, mechanism_.initial).objective;
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

  // The mechanism run on `report` for group i (possibly noisy or misreported), valued with
  // group i's true type.
  Evaluation<S> evaluate(const Report<S>& report) const {
    ++evaluations_;
    PolicySolution<S> solution;
    if (is_welfare_rule(mechanism_.type)) {
      Profile<S> reports = reports_;
      reports.rewards.col(group_) = report.reward;
      reports.sizes[group_] = report.size;
      solution = solve_rule(mechanism_, reports).solution;
    } else {
      const Vector<S> scores = others_ + mechanism_.score_sign * report.size * report.reward;
      solution = solve_sw_max(mechanism_.rule, scores, mechanism_.initial);
    }
    Evaluation<S> out;
    out.valuation = truth_.size * solution.policy.dot(truth_.reward);
    out.payment = mechanism_.payment == PaymentType::affine_maximizer
                      ? affine_maximizer_payment(best_without_group_, others_, solution.policy,
                                                 solution.divergence, mechanism_.payment_offset)
                      : S(0);
    out.utility = out.valuation - out.payment;
    out.policy = std::move(solution.policy);
    return out;
  }
  S gain(const Report<S>& report) const { return evaluate(report).utility - truthful_.utility; }

 private:
  Mechanism<S> mechanism_;
  Eigen::Index group_;
  Report<S> truth_;
  Profile<S> reports_;  // the others' reports; column `group_` is replaced per evaluation
  Vector<S> others_;
  S best_without_group_{0};
  Evaluation<S> truthful_;
  mutable long evaluations_ = 0;
};

}  // namespace mechcheck

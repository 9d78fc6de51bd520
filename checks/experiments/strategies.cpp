#include "checks/experiments/strategies.hpp"

#include <stdexcept>

#include "generators/misreports.hpp"
#include "mechanisms/rlhf_game/deviation_evaluator.hpp"
#include "solver/instance_solver.hpp"

namespace mechcheck {
namespace {

using S = Float50;  // 50 digits: the sweep is cheap, and its numbers then need no caveats

StrategyRow row_of(const char* strategy, double value, const DeviationEvaluator<S>& evaluator,
                   const Report<S>& report, const Profile<S>& truth) {
  const Evaluation<S> e = evaluator.evaluate(report);
  // True welfare at the chosen policy: group i's true valuation plus the others' true ones.
  S welfare = 0;
  for (Eigen::Index j = 0; j < truth.group_count(); ++j)
    welfare += truth.sizes[j] * e.policy.dot(truth.rewards.col(j));
  const Mechanism<S>& mechanism = evaluator.mechanism();
  const S affine = welfare - divergence_value(mechanism.rule, e.policy, mechanism.initial);
  return {strategy,
          value,
          e.valuation.convert_to<double>(),
          e.payment.convert_to<double>(),
          e.utility.convert_to<double>(),
          welfare.convert_to<double>(),
          affine.convert_to<double>()};
}

}  // namespace

std::vector<StrategyRow> sweep_strategies(const Instance& instance, std::size_t group,
                                          const std::vector<double>& alphas,
                                          const std::vector<double>& betas) {
  if (group >= instance.group_count())
    throw std::invalid_argument("group " + std::to_string(group) + ": the instance has " +
                                std::to_string(instance.group_count()) + " groups");
  const Profile<S> truth = profile_of<S>(instance);
  const auto i = static_cast<Eigen::Index>(group);
  DeviationEvaluator<S> evaluator(mechanism_of<S>(instance), truth, i);
  const Report<S>& honest = evaluator.truth();
  std::vector<StrategyRow> rows;
  for (double alpha : alphas)
    rows.push_back(
        row_of("alpha", alpha, evaluator, {honest.reward, S(alpha) * honest.size}, truth));
  Vector<S> others = Vector<S>::Zero(truth.rewards.rows());
  for (Eigen::Index j = 0; j < truth.group_count(); ++j)
    if (j != i) others += truth.rewards.col(j);
  const bool alone = truth.group_count() == 1;
  if (!alone) others /= S(truth.group_count() - 1);
  for (double beta : betas) {
    const auto mixed =
        alone ? std::optional<Vector<S>>(honest.reward)
              : mix_with_others<S>(honest.reward, others, beta, instance.normalization);
    rows.push_back(
        row_of("beta", beta, evaluator, {mixed.value_or(honest.reward), honest.size}, truth));
  }
  return rows;
}

}  // namespace mechcheck

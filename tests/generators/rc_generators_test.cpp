// The RapidCheck generators produce valid parts, and drive exact incentive properties: in
// rational arithmetic (χ², TV) no generated misreport beats truth under the affine maximizer
// (Prop 4.4), noise never buys more than 2·w_i·ε (Thm 4.12), and the polarizing misreport beats
// truth under zero payments (Thm 4.2).
#include "generators/rc_generators.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "generators/instance_gen.hpp"
#include "mechanisms/rlhf_game/deviation_evaluator.hpp"

namespace mechcheck {
namespace {

bool normalized(const std::vector<Rational>& values, Normalization normalization) {
  Rational total = 0, top = 0;
  for (const Rational& v : values) {
    if (v < 0) return false;
    total += v;
    top = std::max(top, v);
  }
  return (normalization == Normalization::sum ? total : top) == 1;
}

RC_GTEST_PROP(RcGenerators, PartsAreValid, ()) {
  const auto m = *rc::gen::inRange<std::size_t>(1, 7);
  const auto normalization = *rc::gen::element(Normalization::sum, Normalization::max);
  RC_ASSERT(normalized(*gen::reward_model(m, normalization), normalization));
  const auto initial = *gen::initial_model(
      m, *rc::gen::element(InitialShape::uniform, InitialShape::random, InitialShape::skewed));
  RC_ASSERT(normalized(initial, Normalization::sum));
  for (const Rational& p : initial) RC_ASSERT(p > 0);
  const Rational epsilon(1, *rc::gen::inRange(1, 100));
  for (const Rational& e : *gen::bounded_noise(m, epsilon)) RC_ASSERT(abs(e) <= epsilon);
}

std::vector<Rational> others_average(const Instance& instance, std::size_t group) {
  std::vector<Rational> sum(instance.outcome_count(), Rational(0));
  for (std::size_t j = 0; j < instance.group_count(); ++j)
    if (j != group)
      for (std::size_t x = 0; x < sum.size(); ++x) sum[x] += instance.groups[j].reward[x];
  return normalize_weights(sum, instance.normalization);
}

gen::InstanceShape exact_rules(PaymentType payment) {
  gen::InstanceShape shape;
  shape.divergences = {DivergenceKind::chi2, DivergenceKind::tv};
  shape.payment = payment;
  return shape;
}

RC_GTEST_PROP(ExactIncentives, NoMisreportBeatsTruthUnderTheAffineMaximizer, ()) {
  const Instance instance = *gen::instances(exact_rules(PaymentType::affine_maximizer));
  const auto group = *rc::gen::inRange<std::size_t>(0, instance.group_count());
  const Group report =
      *gen::misreport(instance.groups[group], others_average(instance, group),
                      instance.normalization, instance.max_group_size.convert_to<long>());
  RC_PRE(normalized(report.reward, instance.normalization));
  DeviationEvaluator<Rational> evaluator(mechanism_of<Rational>(instance),
                                         profile_of<Rational>(instance),
                                         static_cast<Eigen::Index>(group));
  RC_ASSERT(evaluator.gain({from_rationals<Rational>(report.reward), report.size}) <= 0);
}

RC_GTEST_PROP(ExactIncentives, NoiseBuysAtMostTwoWEpsilon, ()) {
  const Instance instance = *gen::instances(exact_rules(PaymentType::affine_maximizer));
  const auto group = *rc::gen::inRange<std::size_t>(0, instance.group_count());
  const std::size_t m = instance.outcome_count();
  const Rational epsilon(1, *rc::gen::inRange(2, 50));
  Group report =
      *gen::misreport(instance.groups[group], others_average(instance, group),
                      instance.normalization, instance.max_group_size.convert_to<long>());
  report.size = instance.groups[group].size;  // Thm 4.12 is about reward misreports
  const auto truth_noise = *gen::bounded_noise(m, epsilon),
             report_noise = *gen::bounded_noise(m, epsilon);
  DeviationEvaluator<Rational> evaluator(mechanism_of<Rational>(instance),
                                         profile_of<Rational>(instance),
                                         static_cast<Eigen::Index>(group));
  const Report<Rational>& honest = evaluator.truth();
  const Rational honest_utility =
      evaluator
          .evaluate({Vector<Rational>(honest.reward + from_rationals<Rational>(truth_noise)),
                     honest.size})
          .utility;
  const Rational misreport_utility =
      evaluator
          .evaluate({Vector<Rational>(from_rationals<Rational>(report.reward) +
                                      from_rationals<Rational>(report_noise)),
                     report.size})
          .utility;
  RC_ASSERT(misreport_utility - honest_utility <= 2 * honest.size * epsilon);
}

RC_GTEST_PROP(ExactIncentives, PolarizationBeatsTruthWithoutPayments, ()) {
  gen::InstanceShape shape;
  shape.divergences = {DivergenceKind::chi2};
  shape.payment = PaymentType::zero;
  shape.min_outcomes = 2;
  Instance instance = *gen::instances(shape);
  instance.rule.lambda = 100;  // interior optimum, as Thm 4.2 assumes
  std::vector<Rational> weights;
  for (std::size_t x = 0; x < instance.outcome_count(); ++x)
    weights.emplace_back(*rc::gen::inRange(1, 11));
  instance.groups[0].reward = normalize_weights(weights, instance.normalization);
  const auto& reward = instance.groups[0].reward;
  RC_PRE(*std::max_element(reward.begin(), reward.end()) !=
         *std::min_element(reward.begin(), reward.end()));
  const auto top =
      static_cast<std::size_t>(std::max_element(reward.begin(), reward.end()) - reward.begin());
  const auto bottom =
      static_cast<std::size_t>(std::min_element(reward.begin(), reward.end()) - reward.begin());
  std::vector<Rational> report = reward;
  Rational step = std::min(Rational(1, 100), reward[bottom]);
  if (instance.normalization == Normalization::sum)
    step = std::min(step, 1 - reward[top]), report[top] += step;
  report[bottom] -= step;
  DeviationEvaluator<Rational> evaluator(mechanism_of<Rational>(instance),
                                         profile_of<Rational>(instance), 0);
  RC_ASSERT(evaluator.gain({from_rationals<Rational>(report), evaluator.truth().size}) > 0);
}

}  // namespace
}  // namespace mechcheck

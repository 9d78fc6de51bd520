// The incentive checks on instances whose answer the paper fixes: zero payments are
// manipulable (Thm 4.2, Thm B.2), the affine maximizer is not (Prop 4.4), and offsets break
// non-negativity or IR exactly as Thm 4.11 says.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "checks/rlhf_checks.hpp"
#include "generators/instance_gen.hpp"
#include "mechanisms/rlhf_game/confirm.hpp"
#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck {
namespace {

Instance instance_from(const char* json) { return read_instance(parse_exact_json(json)); }

CheckOptions quick() {
  CheckOptions options;
  options.effort = effort_preset(Effort::quick);
  options.seed = 42;
  return options;
}

void expect_violation_replays(const PropertyResult& result) {
  ASSERT_EQ(result.verdict, Verdict::violated) << result.evidence.reason.value_or("");
  ASSERT_TRUE(result.witness.has_value());
  const ConfirmedValue replayed = measure_witness(*result.witness);
  EXPECT_TRUE(witness_stands(*result.witness, replayed)) << replayed.text;
  EXPECT_EQ(replayed.text, result.witness->recorded_value);
}

TEST(Dsic, ZeroPaymentIsManipulableUnderSumNormalization) {
  const Instance instance =
      instance_from(R"({"normalization": "sum", "initial": ["1/3","1/3","1/3"],
    "max_group_size": 3, "rule": {"type": "sw-max", "divergence": "kl", "lambda": "1/2"}, "payment": {"type": "zero"},
    "groups": [{"reward": ["1/2","1/3","1/6"], "size": 2}, {"reward": ["1/6","1/6","2/3"], "size": 1}]})");
  expect_violation_replays(check_dsic(instance, quick()));
}

TEST(Dsic, ZeroPaymentIsManipulableUnderMaxNormalization) {
  const Instance instance =
      instance_from(R"({"normalization": "max", "initial": ["1/4","1/4","1/2"],
    "max_group_size": 1, "rule": {"type": "sw-max", "divergence": "chi2", "lambda": 2}, "payment": {"type": "zero"},
    "groups": [{"reward": ["1","1/2","1/4"], "size": 1}, {"reward": ["1/5","1","1"], "size": 1}]})");
  // w̄ = 1: no size inflation possible, the gain must come from the reward report.
  const PropertyResult result = check_dsic(instance, quick());
  expect_violation_replays(result);
  EXPECT_EQ(result.witness->deviation->size, 1);
}

TEST(Dsic, ZeroPaymentIsManipulableWhenTheMinimumRewardIsZero) {
  const Instance instance =
      instance_from(R"({"normalization": "sum", "initial": ["1/5","2/5","2/5"],
    "max_group_size": 1, "rule": {"type": "sw-max", "divergence": "kl", "lambda": 1}, "payment": {"type": "zero"},
    "groups": [{"reward": ["0","1/4","3/4"], "size": 1}, {"reward": ["1/2","1/2","0"], "size": 1}]})");
  expect_violation_replays(check_dsic(instance, quick()));
}

TEST(Dsic, ConstantRewardUnderZeroPaymentHolds) {
  const Instance instance =
      instance_from(R"({"normalization": "sum", "initial": ["1/5","2/5","2/5"],
    "max_group_size": 4, "rule": {"type": "sw-max", "divergence": "kl", "lambda": 1}, "payment": {"type": "zero"},
    "groups": [{"reward": ["1/3","1/3","1/3"], "size": 2}]})");
  const PropertyResult result = check_dsic(instance, quick());
  EXPECT_EQ(result.verdict, Verdict::holds) << result.evidence.reason.value_or("");
  EXPECT_GT(result.evidence.evaluations.value_or(0), 100);
}

TEST(Dsic, ShrinkingKeepsTheViolationAndMakesItSmaller) {
  const Instance instance =
      instance_from(R"({"normalization": "sum", "initial": ["1/7","2/7","3/7","1/7"],
    "max_group_size": 5, "rule": {"type": "sw-max", "divergence": "chi2", "lambda": 3}, "payment": {"type": "zero"},
    "groups": [{"reward": ["123/1000","377/1000","250/1000","250/1000"], "size": 3},
               {"reward": ["1/4","1/4","1/4","1/4"], "size": 2}, {"reward": ["1/2","0","0","1/2"], "size": 5}]})");
  const PropertyResult result = check_dsic(instance, quick());
  expect_violation_replays(result);
  EXPECT_LT(result.witness->instance.group_count(), instance.group_count());
}

TEST(IrAndNonneg, NegativeOffsetBreaksNonNegativityButNotIr) {
  const Instance instance =
      instance_from(R"({"normalization": "sum", "initial": ["1/2","1/2"], "max_group_size": 2,
    "rule": {"type": "sw-max", "divergence": "chi2", "lambda": 1}, "payment": {"type": "affine-maximizer", "offset": "-1/100"},
    "groups": [{"reward": ["1/2","1/2"], "size": 1}, {"reward": ["1","0"], "size": 2}]})");
  // Group 0 reports the uniform reward: p^AFF = 0 (Cor 4.10), so its payment is −1/100.
  const PropertyResult nonneg = check_nonneg(instance, quick());
  expect_violation_replays(nonneg);
  EXPECT_EQ(nonneg.witness->recorded_value, "-1/100");
  EXPECT_EQ(check_ir(instance, quick()).verdict, Verdict::holds);
  EXPECT_EQ(check_dsic(instance, quick()).verdict, Verdict::holds);  // a constant offset keeps DSIC
}

TEST(IrAndNonneg, LargeOffsetBreaksIr) {
  const Instance instance =
      instance_from(R"({"normalization": "sum", "initial": ["1/2","1/2"], "max_group_size": 2,
    "rule": {"type": "sw-max", "divergence": "tv", "lambda": 1}, "payment": {"type": "affine-maximizer", "offset": "3"},
    "groups": [{"reward": ["1/2","1/2"], "size": 1}, {"reward": ["1","0"], "size": 2}]})");
  expect_violation_replays(check_ir(instance, quick()));
  EXPECT_EQ(check_nonneg(instance, quick()).verdict, Verdict::holds);
}

TEST(ApproxDsic, AffineMaximizerStaysWithinTwoWEpsilon) {
  const Instance instance =
      instance_from(R"({"normalization": "sum", "initial": ["1/4","1/4","1/2"], "max_group_size": 3,
    "rule": {"type": "sw-max", "divergence": "kl", "lambda": "1/5"}, "payment": {"type": "affine-maximizer"},
    "groups": [{"reward": ["1/2","1/2","0"], "size": 3}, {"reward": [0, 0.2, 0.8], "size": 2}]})");
  CheckOptions options = quick();
  options.noise_epsilon = Rational(1, 20);
  const PropertyResult result = check_approx_dsic(instance, options);
  EXPECT_EQ(result.verdict, Verdict::holds) << result.evidence.reason.value_or("");
  const double ratio = result.evidence.max_gain_over_bound.value_or(2.0);
  EXPECT_LE(ratio, 1.0);
  EXPECT_GT(ratio, 0.0);  // noise does let a group gain something: the bound is not vacuous
}

TEST(ApproxDsic, ZeroPaymentExceedsTheBound) {
  const Instance instance =
      instance_from(R"({"normalization": "sum", "initial": ["1/4","1/4","1/2"], "max_group_size": 3,
    "rule": {"type": "sw-max", "divergence": "kl", "lambda": "1/5"}, "payment": {"type": "zero"},
    "groups": [{"reward": ["1/2","1/2","0"], "size": 3}, {"reward": [0, 0.2, 0.8], "size": 2}]})");
  CheckOptions options = quick();
  options.noise_epsilon = Rational(1, 1000);
  expect_violation_replays(check_approx_dsic(instance, options));
}

// Prop 4.4 over random instances of every divergence and both normalizations: the search must
// never report the affine maximizer violated (a false alarm would be a bug of mechcheck).
RC_GTEST_PROP(Dsic, AffineMaximizerIsNeverReportedViolated, ()) {
  gen::InstanceShape shape;
  shape.max_outcomes = 4;
  shape.max_groups = 3;
  const Instance instance = *gen::instances(shape);
  CheckOptions options = quick();
  options.seed = *rc::gen::arbitrary<std::uint64_t>();
  for (Property property : {Property::dsic, Property::ir, Property::nonneg}) {
    const PropertyResult result = check_property(property, instance, options);
    RC_ASSERT(result.verdict == Verdict::holds);
  }
}

}  // namespace
}  // namespace mechcheck

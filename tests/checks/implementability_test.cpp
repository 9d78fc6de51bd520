// Cycle monotonicity and payment ranges on type grids: SW-Max rules are monotone (Prop E.2)
// and their payment ranges close in on p^AFF as the grid refines (Thm 4.9, Cor 4.10); a rule
// that rewards reporting the least preferred outcome is caught with a negative cycle.
#include "checks/implementability/implementability.hpp"

#include <gtest/gtest.h>

#include "checks/implementability/type_grid.hpp"
#include "solver/instance_solver.hpp"
#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

Instance instance_with(const std::string& rule, const std::string& normalization) {
  const std::string rewards =
      normalization == "sum"
          ? R"([{"reward": ["1/2","1/4","1/4"], "size": 1}, {"reward": ["0","1/2","1/2"], "size": 2}])"
          : R"([{"reward": ["1","1/2","0"], "size": 1}, {"reward": ["0","1","1"], "size": 2}])";
  return read_instance(
      parse_exact_json(R"({"normalization": ")" + normalization +
                       R"(", "initial": ["1/4","1/4","1/2"], "max_group_size": 3, "rule": )" +
                       rule + R"(, "groups": )" + rewards + "}"));
}

TEST(TypeGrid, LatticeSizes) {
  EXPECT_EQ(lattice_rewards(3, Normalization::sum, 4).size(), 15u);  // C(6, 2)
  EXPECT_EQ(lattice_rewards(3, Normalization::max, 2).size(), 19u);  // 3³ − 2³
  EXPECT_THROW(lattice_rewards(10, Normalization::sum, 100, 1000), std::invalid_argument);
  const auto grid = type_grid(3, Normalization::sum, 2, {1, 2});
  EXPECT_EQ(grid.front().reward,
            uniform_reward(Normalization::sum, 3));  // the reference type first
  EXPECT_EQ(grid.size(), 2u + 6 * 2);
}

struct RuleCase {
  const char* rule;
  const char* normalization;
};

class SwMaxMonotone : public ::testing::TestWithParam<RuleCase> {};

TEST_P(SwMaxMonotone, NoNegativeCycleWithSizeMisreports) {
  ImplementabilityOptions options;
  options.resolution = 3;
  const auto result =
      analyze_implementability(instance_with(GetParam().rule, GetParam().normalization), options);
  EXPECT_EQ(result.verdict, Verdict::holds) << result.cycle_total;
  EXPECT_GT(result.types, 20u);
  ASSERT_TRUE(result.payment_equivalence_gap.has_value());
  EXPECT_GE(*result.payment_equivalence_gap, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, SwMaxMonotone,
    ::testing::Values(
        RuleCase{R"({"type": "sw-max", "divergence": "kl", "lambda": "1/2"})", "sum"},
        RuleCase{R"({"type": "sw-max", "divergence": "kl", "lambda": "1/2"})", "max"},
        RuleCase{R"({"type": "sw-max", "divergence": "chi2", "lambda": "1/4"})", "sum"},
        RuleCase{R"({"type": "sw-max", "divergence": "chi2", "lambda": "1/4"})", "max"},
        RuleCase{R"({"type": "sw-max", "divergence": "tv", "lambda": "1/4"})", "sum"},
        RuleCase{R"({"type": "sw-max", "divergence": "tv", "lambda": "1/4"})", "max"}));

// l(a, b) recomputed from scratch: type b's value at its own outcome minus at a's outcome.
Rational gain_of_pair(const Instance& instance, const Group& a, const Group& b) {
  auto outcome_for = [&](const Group& type) {
    Instance reported = instance;
    reported.groups[0] = type;
    return run_mechanism(mechanism_of<Rational>(reported), profile_of<Rational>(reported))
        .solution.policy;
  };
  const Vector<Rational> reward = from_rationals<Rational>(b.reward);
  return b.size * (outcome_for(b).dot(reward) - outcome_for(a).dot(reward));
}

TEST(AntiSwMax, NegativeCycleIsFoundAndRecomputesNegative) {
  const Instance instance =
      instance_with(R"({"type": "anti-sw-max", "divergence": "chi2", "lambda": 2})", "sum");
  ImplementabilityOptions options;
  options.resolution = 3;
  const auto result = analyze_implementability(instance, options);
  ASSERT_EQ(result.verdict, Verdict::violated);
  ASSERT_GE(result.negative_cycle.size(), 2u);
  Rational total = 0;
  for (std::size_t j = 0; j < result.negative_cycle.size(); ++j)
    total += gain_of_pair(instance, result.negative_cycle[j],
                          result.negative_cycle[(j + 1) % result.negative_cycle.size()]);
  EXPECT_LT(total, 0);
  EXPECT_EQ(total.str(), result.cycle_total);
}

TEST(AntiSwMax, FloatingPointCyclesAreConfirmedAt100Digits) {
  const Instance instance =
      instance_with(R"({"type": "anti-sw-max", "divergence": "kl", "lambda": 1})", "max");
  ImplementabilityOptions options;
  options.resolution = 2;
  options.precision = Precision::binary64;
  const auto result = analyze_implementability(instance, options);
  EXPECT_EQ(result.verdict, Verdict::violated);
  EXPECT_TRUE(result.evidence.contains("confirmed_total"));
}

// Thm 4.9 / Cor 4.10 on grids: the widest DSIC payment range and the distance of Rochet's
// payment from p^AFF (up to a constant) both shrink as the lattice refines.
TEST(PaymentEquivalence, GapAndDistanceToAffineMaximizerShrinkUnderRefinement) {
  for (const char* rule : {R"({"type": "sw-max", "divergence": "kl", "lambda": "1/2"})",
                           R"({"type": "sw-max", "divergence": "chi2", "lambda": "1/4"})"}) {
    double previous_gap = 1e9, previous_distance = 1e9;
    for (int q : {2, 4, 8}) {
      ImplementabilityOptions options;
      options.resolution = q;
      options.sizes = {1, 2};
      options.precision = Precision::binary64;
      const auto result = analyze_implementability(instance_with(rule, "sum"), options);
      ASSERT_EQ(result.verdict, Verdict::holds);
      EXPECT_LT(*result.payment_equivalence_gap, previous_gap) << rule << " q=" << q;
      EXPECT_LT(*result.distance_to_affine_maximizer, previous_distance) << rule << " q=" << q;
      previous_gap = *result.payment_equivalence_gap;
      previous_distance = *result.distance_to_affine_maximizer;
    }
    EXPECT_LT(previous_distance, 0.1) << rule;
  }
}

TEST(Implementability, RejectsOptionsThatDoNotFit) {
  const Instance instance =
      instance_with(R"({"type": "sw-max", "divergence": "kl", "lambda": 1})", "sum");
  ImplementabilityOptions options;
  options.group = 5;
  EXPECT_THROW(analyze_implementability(instance, options), SpecError);
  options.group = 0;
  options.precision = Precision::exact;
  EXPECT_THROW(analyze_implementability(instance, options), SpecError);
  options.precision.reset();
  options.sizes = {9};
  EXPECT_THROW(analyze_implementability(instance, options), SpecError);
}

}  // namespace
}  // namespace mechcheck

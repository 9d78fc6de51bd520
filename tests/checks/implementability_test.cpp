// Cycle monotonicity and payment ranges on type grids: SW-Max rules are monotone (Prop E.2)
// and their payment ranges close in on p^AFF as the grid refines (Thm 4.9, Cor 4.10); a rule
// that rewards reporting the least preferred outcome is caught with a negative cycle.
#include "checks/implementability/implementability.hpp"

#include <gtest/gtest.h>

#include "checks/implementability/bellman_ford.hpp"
#include "checks/implementability/phases.hpp"
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

// l(a, b) recomputed from scratch through the rule itself: type b's value at its own outcome
// minus at a's outcome (exactly, or at 100 digits for rules without rational optima).
template <class S>
S gain_of_pair(const Instance& instance, const Group& a, const Group& b) {
  auto outcome_for = [&](const Group& type) {
    Instance reported = instance;
    reported.groups[0] = type;
    return solve_rule(mechanism_of<S>(reported), profile_of<S>(reported)).solution.policy;
  };
  const Vector<S> reward = from_rationals<S>(b.reward);
  return from_rational<S>(b.size) * (outcome_for(b).dot(reward) - outcome_for(a).dot(reward));
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
    total += gain_of_pair<Rational>(instance, result.negative_cycle[j],
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
  EXPECT_TRUE(result.evidence.confirmed_total.has_value());
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

// Thm 4.11 on grids: p^AFF is a non-negative DSIC payment, so the least one is below it, and the
// shortfall closes as the lattice refines.
TEST(PaymentEquivalence, LeastNonNegativePaymentApproachesAffineMaximizer) {
  for (const char* rule : {R"({"type": "sw-max", "divergence": "kl", "lambda": "1/2"})",
                           R"({"type": "sw-max", "divergence": "chi2", "lambda": "1/4"})"}) {
    double previous = 1e9;
    for (int q : {2, 4, 8}) {
      ImplementabilityOptions options;
      options.resolution = q;
      options.sizes = {1, 2};
      options.precision = Precision::binary64;
      const auto result = analyze_implementability(instance_with(rule, "sum"), options);
      ASSERT_TRUE(result.least_nonnegative_shortfall.has_value());
      EXPECT_GE(result.evidence.least_nonnegative_shortfall_min.value_or(-1), -1e-9);
      EXPECT_LT(*result.least_nonnegative_shortfall, previous) << rule << " q=" << q;
      previous = *result.least_nonnegative_shortfall;
    }
  }
}

// Cor 4.13 on a grid, recomputed exactly from its definition by an independent route: the
// largest IR DSIC payment is the greatest p with p(t) ≤ w_t·v(ψ(t); rm_t) and p(b) − p(a) ≤
// l(a, b); Bellman–Ford from a virtual source carrying each type's truthful valuation finds it
// (the analysis uses Dijkstra on Johnson heights), and each type's p^AFF comes from
// solve_instance with that type reported.
TEST(PaymentEquivalence, LargestIrPaymentMatchesItsDefinitionExactly) {
  const Instance skewed = read_instance(parse_exact_json(R"({"normalization": "sum",
    "initial": ["1/20", "19/20"], "max_group_size": 2,
    "rule": {"type": "sw-max", "divergence": "chi2", "lambda": "1/2"},
    "groups": [{"reward": [1, 0], "size": 1}, {"reward": [0, 1], "size": 1}]})"));
  ImplementabilityOptions options;
  options.resolution = 8;
  options.sizes = {1, 2};
  options.precision = Precision::exact;
  const ImplementabilityResult result = analyze_implementability(skewed, options);
  ASSERT_EQ(result.verdict, Verdict::holds);
  ASSERT_TRUE(result.largest_ir_excess.has_value());

  const ExactGainGraph graph = exact_gain_graph(skewed, options);
  const auto k = static_cast<Eigen::Index>(graph.types.size());
  std::vector<Rational> affine, truthful;
  for (const Group& type : graph.types) {
    Instance reported = skewed;
    reported.groups[0] = type;
    const MechanismOutcome<Rational> outcome = solve_instance<Rational>(reported);
    affine.push_back(outcome.payments[0]);
    truthful.push_back(outcome.valuations[0]);
  }
  // Shortest paths from a virtual node s with edges s → u of weight truthful[u].
  Matrix<Rational> weights = Matrix<Rational>::Zero(k + 1, k + 1);
  weights.topLeftCorner(k, k) = graph.gains;
  for (Eigen::Index u = 0; u < k; ++u) {
    weights(k, u) = truthful[static_cast<std::size_t>(u)];
    weights(u, k) = Rational(1000000);  // never on a shortest path
  }
  std::vector<Rational> largest;
  ASSERT_TRUE(bellman_ford<Rational>(weights, k, Rational(0), largest).empty());
  Rational excess = -1000000;
  for (Eigen::Index t = 0; t < k; ++t) {
    const auto i = static_cast<std::size_t>(t);
    EXPECT_LE(largest[i], truthful[i]);  // IR
    EXPECT_GE(largest[i], affine[i]);    // p^AFF is IR and DSIC, so below the largest
    excess = std::max(excess, largest[i] - affine[i]);
  }
  EXPECT_NEAR(*result.largest_ir_excess, excess.convert_to<double>(), 1e-12);
  // The corollary's squeeze: within ε = 1/20 of p^AFF already on this grid, and above 0.
  EXPECT_GT(*result.largest_ir_excess, 0);
  EXPECT_LT(*result.largest_ir_excess, 0.05);
  EXPECT_GE(result.evidence.ir_nonnegative_room_min.value_or(-1), 0);
}

// The exact ranges [−V(t, t*), V(t*, t)] agree with the gap the analysis reports, and a
// non-monotone rule has none.
TEST(PaymentEquivalence, ExactRangesMatchTheReportedGap) {
  ImplementabilityOptions options;
  options.resolution = 3;
  const Instance chi2 =
      instance_with(R"({"type": "sw-max", "divergence": "chi2", "lambda": "1/4"})", "sum");
  const auto graph = exact_gain_graph(chi2, options);
  const auto ranges = exact_payment_ranges(graph.gains);
  ASSERT_TRUE(ranges.has_value());
  Rational widest = 0;
  for (std::size_t t = 0; t < graph.types.size(); ++t) {
    EXPECT_LE(ranges->lower[t], ranges->upper[t]);
    widest = std::max(widest, Rational(ranges->upper[t] - ranges->lower[t]));
  }
  EXPECT_EQ(ranges->lower[0], 0);
  EXPECT_DOUBLE_EQ(widest.convert_to<double>(),
                   *analyze_implementability(chi2, options).payment_equivalence_gap);
  const Instance anti =
      instance_with(R"({"type": "anti-sw-max", "divergence": "chi2", "lambda": 2})", "sum");
  EXPECT_FALSE(exact_payment_ranges(exact_gain_graph(anti, options).gains).has_value());
}

// MaxMin equalizes w_i v_i among the binding groups, so reporting a larger size lowers the
// group's valuation v: weak monotonicity fails along size misreports.
// λ = 1e4000 is +inf in double: p^AFF was NaN for every type, min/max skipped it, and the report
// carried the sentinels (least_nonnegative_shortfall: −1.797e308). Double now says why it cannot
// answer (inconclusive, exit 3); 50 digits answers.
TEST(PaymentEquivalence, LambdaBeyondDoubleIsInconclusiveInDoubleAndAnsweredAtFiftyDigits) {
  const Instance instance =
      instance_with(R"({"type": "sw-max", "divergence": "kl", "lambda": "1e4000"})", "sum");
  ImplementabilityOptions options;
  options.resolution = 2;
  options.precision = Precision::binary64;
  const ImplementabilityResult dbl = analyze_implementability(instance, options);
  EXPECT_EQ(dbl.verdict, Verdict::inconclusive);
  EXPECT_EQ(dbl.precision, "double");
  EXPECT_FALSE(dbl.least_nonnegative_shortfall.has_value());
  EXPECT_FALSE(dbl.evidence.least_nonnegative_shortfall_min.has_value());
  EXPECT_FALSE(dbl.distance_to_affine_maximizer.has_value());
  ASSERT_TRUE(dbl.evidence.error.has_value());
  EXPECT_NE(dbl.evidence.error->find("outside double's range"), std::string::npos)
      << *dbl.evidence.error;
  options.precision = Precision::digits50;
  const ImplementabilityResult fifty = analyze_implementability(instance, options);
  EXPECT_EQ(fifty.verdict, Verdict::holds);
  ASSERT_TRUE(fifty.least_nonnegative_shortfall.has_value());
  EXPECT_GE(*fifty.least_nonnegative_shortfall, 0.0);
  EXPECT_LT(*fifty.least_nonnegative_shortfall, 1e-100);
}

// The others' rewards (1/2 + ε, 1/2 − ε), ε = 10⁻²⁵⁰, λ = 10⁻³⁰⁰, and group 0's types (1, 0),
// (1/2, 1/2), (0, 1) of size 1: the uniform type's scores (1 + ε, 1 − ε) pick δ₀ like (1, 0)'s,
// (0, 1) picks δ₁, and (0, 1)'s payment range relative to the uniform type is [0, 1]. Rounding the
// others' rewards first gave the uniform type the uniform policy, a range [0, 1/2] (gap 0.5,
// distance to p^AFF 0.25) at every precision.
TEST(PaymentEquivalence, PoliciesComeFromExactScoreGaps) {
  using boost::multiprecision::mpz_int;
  const Rational epsilon(mpz_int(1), boost::multiprecision::pow(mpz_int(10), 250));
  Instance instance = read_instance(parse_exact_json(R"({"normalization": "sum",
    "initial": "uniform", "max_group_size": 1,
    "rule": {"type": "sw-max", "divergence": "kl", "lambda": "1e-300"},
    "groups": [{"reward": [1, 0], "size": 1}, {"reward": [1, 0], "size": 1}]})"));
  instance.groups[1].reward = {Rational(1, 2) + epsilon, Rational(1, 2) - epsilon};
  validate(instance);
  for (const Precision precision :
       {Precision::binary64, Precision::digits50, Precision::digits100}) {
    ImplementabilityOptions options;
    options.resolution = 2;
    options.precision = precision;
    const ImplementabilityResult result = analyze_implementability(instance, options);
    EXPECT_EQ(result.verdict, Verdict::holds) << result.precision;
    EXPECT_EQ(result.types, 3u);
    ASSERT_TRUE(result.payment_equivalence_gap.has_value()) << result.precision;
    EXPECT_NEAR(*result.payment_equivalence_gap, 1.0, 1e-12) << result.precision;
    ASSERT_TRUE(result.distance_to_affine_maximizer.has_value());
    EXPECT_NEAR(*result.distance_to_affine_maximizer, 0.5, 1e-12) << result.precision;
  }
}

TEST(WelfareRules, MaxMinIsNotCycleMonotoneAndItsCycleReplays) {
  const Instance instance =
      instance_with(R"({"type": "maxmin", "divergence": "kl", "lambda": "1/2"})", "sum");
  ImplementabilityOptions options;
  options.resolution = 2;
  const auto result = analyze_implementability(instance, options);
  ASSERT_EQ(result.verdict, Verdict::violated);
  Float100 total = 0;
  for (std::size_t j = 0; j < result.negative_cycle.size(); ++j)
    total += gain_of_pair<Float100>(instance, result.negative_cycle[j],
                                    result.negative_cycle[(j + 1) % result.negative_cycle.size()]);
  EXPECT_LT(total, Float100("-1e-6"));
  // Replaying the cycle alone (no lattice) finds it again.
  ImplementabilityOptions replay;
  replay.lattice = false;
  replay.extra_types = result.negative_cycle;
  EXPECT_EQ(analyze_implementability(instance, replay).verdict, Verdict::violated);
}

// The control: α = 0 is SW-Max solved through the same dual machinery, and must stay monotone.
TEST(WelfareRules, AlphaFairAtZeroIsSwMaxAndMonotone) {
  for (const char* normalization : {"sum", "max"}) {
    ImplementabilityOptions options;
    options.resolution = 3;
    const auto result = analyze_implementability(
        instance_with(R"({"type": "power-mean", "alpha": 0, "divergence": "kl", "lambda": "1/2"})",
                      normalization),
        options);
    EXPECT_EQ(result.verdict, Verdict::holds) << normalization << " " << result.cycle_total;
  }
}

// The answers these rules get on the q = 2 grid, pinned: a change in the welfare solver or the
// graph analysis that flips one fails here, not only in verify's exploratory claims.
TEST(WelfareRules, NashAndAlphaFairVerdictsArePinned) {
  const std::pair<const char*, Verdict> cases[] = {
      {R"({"type": "nash", "divergence": "kl", "lambda": "1/2"})", Verdict::holds},
      {R"({"type": "nash", "divergence": "chi2", "lambda": "1/4"})", Verdict::holds},
      {R"({"type": "power-mean", "alpha": 2, "divergence": "kl", "lambda": "1/2"})",
       Verdict::violated}};
  for (const auto& [rule, expected] : cases) {
    ImplementabilityOptions options;
    options.resolution = 2;
    const auto result = analyze_implementability(instance_with(rule, "sum"), options);
    EXPECT_EQ(verdict_name(result.verdict), verdict_name(expected)) << rule;
    EXPECT_EQ(result.precision, "100");
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

namespace mechcheck {
namespace {

// In double, KL and χ² policies come from the batch solver (phases.hpp, batched_policies), in
// chunks on several threads; every column must be the scalar solve of the same exact gaps.
TEST(ImplementabilityPolicies, BatchedPoliciesAreTheScalarSolvesOfTheSameGaps) {
  for (const char* rule : {R"({"type": "sw-max", "divergence": "kl", "lambda": "1/3"})",
                           R"({"type": "sw-max", "divergence": "chi2", "lambda": "1/5"})",
                           R"({"type": "anti-sw-max", "divergence": "kl", "lambda": 2})"}) {
    SCOPED_TRACE(rule);
    const Instance instance = instance_with(rule, "sum");
    const std::vector<Group> types = type_grid(3, Normalization::sum, 24, {1, 2, 3});
    ASSERT_GT(types.size(), 600u);  // more than two chunks
    const Matrix<double> batched = policies_for<double>(instance, 0, types, 2);
    const Mechanism<double> mechanism = mechanism_of<double>(instance);
    const std::vector<Rational> others = others_scores(instance, 0);
    for (std::size_t t = 0; t < types.size(); ++t) {
      const Vector<double> gaps =
          from_rationals<double>(report_scores(others, types[t], instance.rule.type).gaps);
      const Vector<double> expected = solve_sw_max(mechanism.rule, gaps, mechanism.initial).policy;
      ASSERT_LE((batched.col(static_cast<Eigen::Index>(t)) - expected).cwiseAbs().maxCoeff(), 1e-13)
          << "type " << t;
    }
  }
}

}  // namespace
}  // namespace mechcheck

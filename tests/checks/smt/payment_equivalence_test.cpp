// Payment equivalence as exact optimization: Z3's minimum and maximum of p(t) − p(t*) over
// every DSIC payment equal the shortest-path ranges [−V(t, t*), V(t*, t)] of the
// implementability check, exactly, on SW-Max grids (χ², TV), hand-built graphs and random ones.
#include "checks/smt/payment_equivalence.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"
#include "tests/checks/smt/type_grid_gains.hpp"

namespace mechcheck::smt {
namespace {

using Strategy = PaymentEquivalenceOptions::Strategy;

using testing::grid_gains;
using testing::random_gains;
using testing::three_outcome_instance;

PaymentEquivalenceResult ranges_with(const Matrix<Rational>& gains, Strategy strategy) {
  PaymentEquivalenceOptions options;
  options.strategy = strategy;
  return payment_equivalence_ranges(gains, options);
}

void expect_same_ranges(const PaymentRanges& z3, const PaymentRanges& expected) {
  ASSERT_EQ(z3.lower.size(), expected.lower.size());
  for (std::size_t t = 0; t < expected.lower.size(); ++t) {
    EXPECT_EQ(z3.lower[t], expected.lower[t]) << "type " << t;
    EXPECT_EQ(z3.upper[t], expected.upper[t]) << "type " << t;
  }
}

struct GridCase {
  const char* rule;
  int resolution;
};

class SmtPaymentGrid : public ::testing::TestWithParam<GridCase> {};

TEST_P(SmtPaymentGrid, RangesEqualShortestPathsExactly) {
  const ExactGainGraph graph = grid_gains(GetParam().rule, GetParam().resolution);
  const std::optional<PaymentRanges> expected = exact_payment_ranges(graph.gains);
  ASSERT_TRUE(expected.has_value());
  for (Strategy strategy : {Strategy::summed, Strategy::per_type}) {
    const PaymentEquivalenceResult result = ranges_with(graph.gains, strategy);
    ASSERT_EQ(result.verdict, Verdict::holds) << result.reason;
    ASSERT_TRUE(result.ranges.has_value());
    expect_same_ranges(*result.ranges, *expected);
    Rational gap = 0;
    for (std::size_t t = 0; t < expected->lower.size(); ++t)
      gap = std::max(gap, Rational(expected->upper[t] - expected->lower[t]));
    EXPECT_EQ(result.gap, gap);
    EXPECT_EQ(result.ranges->upper[result.widest] - result.ranges->lower[result.widest], gap);
    EXPECT_GT(gap, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rules, SmtPaymentGrid,
    ::testing::Values(GridCase{R"({"type": "sw-max", "divergence": "chi2", "lambda": "1/4"})", 2},
                      GridCase{R"({"type": "sw-max", "divergence": "chi2", "lambda": "1/4"})", 3},
                      GridCase{R"({"type": "sw-max", "divergence": "tv", "lambda": "1/4"})", 3}));

TEST(SmtPaymentAntiSwMax, NoRangesAndTheNegativeCycle) {
  const ExactGainGraph graph =
      grid_gains(R"({"type": "anti-sw-max", "divergence": "chi2", "lambda": 2})", 2);
  const PaymentEquivalenceResult result = ranges_with(graph.gains, Strategy::summed);
  ASSERT_EQ(result.verdict, Verdict::violated) << result.reason;
  EXPECT_FALSE(result.ranges.has_value());
  EXPECT_LT(result.cycle_total, 0);
  EXPECT_EQ(cycle_total(graph.gains, result.cycle), result.cycle_total);
}

TEST(SmtPaymentTimeout, IsInconclusive) {
  const ExactGainGraph graph =
      grid_gains(R"({"type": "sw-max", "divergence": "chi2", "lambda": "1/4"})", 13);
  PaymentEquivalenceOptions options;
  options.timeout_ms = 1;
  const PaymentEquivalenceResult result = payment_equivalence_ranges(graph.gains, options);
  EXPECT_EQ(result.verdict, Verdict::inconclusive);
  EXPECT_FALSE(result.ranges.has_value());
  EXPECT_FALSE(result.reason.empty());
}

TEST(SmtPaymentHandBuilt, RangesAreTheHandComputedShortestPaths) {
  // Edges a → b with p(b) − p(a) ≤ l(a, b); every cycle is non-negative (the 2-cycles sum to
  // 3, 4 and 1; the 3-cycles 0 → 1 → 2 → 0 to 1 + 1 + 1 = 3, 0 → 2 → 1 → 0 to 3 + 0 + 2 = 5).
  Matrix<Rational> gains(3, 3);
  gains << 0, 1, 3,  //
      2, 0, 1,       //
      1, 0, 0;
  // V(0, 1) = min(1, 3 + 0) = 1, V(0, 2) = min(3, 1 + 1) = 2;
  // V(1, 0) = min(2, 1 + 1) = 2, V(2, 0) = min(1, 0 + 2) = 1.
  const PaymentRanges expected{{0, -2, -1}, {0, 1, 2}};
  for (Strategy strategy : {Strategy::summed, Strategy::per_type}) {
    const PaymentEquivalenceResult result = ranges_with(gains, strategy);
    ASSERT_EQ(result.verdict, Verdict::holds) << result.reason;
    expect_same_ranges(*result.ranges, expected);
    EXPECT_EQ(result.gap, Rational(3));
  }
}

TEST(SmtPaymentHandBuilt, ThreeCycleWithTotalMinusOneHasNoRanges) {
  Matrix<Rational> gains = Matrix<Rational>::Constant(4, 4, Rational(5));
  gains(0, 2) = 1;
  gains(2, 1) = -3;
  gains(1, 0) = 1;
  for (Strategy strategy : {Strategy::summed, Strategy::per_type}) {
    const PaymentEquivalenceResult result = ranges_with(gains, strategy);
    ASSERT_EQ(result.verdict, Verdict::violated) << result.reason;
    EXPECT_EQ(result.cycle, (std::vector<std::size_t>{0, 2, 1}));
    EXPECT_EQ(result.cycle_total, Rational(-1));
  }
}

TEST(SmtPaymentHandBuilt, OneTypeHasTheZeroRange) {
  const PaymentEquivalenceResult result = payment_equivalence_ranges(Matrix<Rational>::Zero(1, 1));
  ASSERT_EQ(result.verdict, Verdict::holds) << result.reason;
  expect_same_ranges(*result.ranges, PaymentRanges{{0}, {0}});
  EXPECT_EQ(result.gap, 0);
}

RC_GTEST_PROP(SmtPaymentEquivalence, AgreesWithShortestPathsExactly, ()) {
  const Matrix<Rational> gains = random_gains();
  const Strategy strategy = *rc::gen::element(Strategy::summed, Strategy::per_type);
  const PaymentEquivalenceResult result = ranges_with(gains, strategy);
  const std::optional<PaymentRanges> expected = exact_payment_ranges(gains);
  if (!expected) {
    RC_ASSERT(result.verdict == Verdict::violated);
    RC_ASSERT(!result.ranges.has_value());
    RC_ASSERT(cycle_total(gains, result.cycle) < 0);
    return;
  }
  RC_ASSERT(result.verdict == Verdict::holds);
  RC_ASSERT(result.ranges->lower == expected->lower);
  RC_ASSERT(result.ranges->upper == expected->upper);
}

// Timings for bench/README.md (not run by ctest):
//   smt_tests --gtest_also_run_disabled_tests --gtest_filter='SmtBench*'
// K types: the first K of the χ² grid at resolution 13 (sizes 1, 2), a type set of its own.
TEST(SmtBench, DISABLED_PaymentEquivalenceAtK50To200) {
  const ExactGainGraph graph =
      grid_gains(R"({"type": "sw-max", "divergence": "chi2", "lambda": "1/4"})", 13);
  const bool per_type = std::getenv("SMT_BENCH_PER_TYPE") != nullptr;
  for (Eigen::Index k : {50, 100, 200}) {
    const Matrix<Rational> gains = graph.gains.topLeftCorner(k, k);
    const auto start = std::chrono::steady_clock::now();
    const std::optional<PaymentRanges> expected = exact_payment_ranges(gains);
    const double bellman_ford =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (Strategy strategy : {Strategy::summed, Strategy::per_type}) {
      if (strategy == Strategy::per_type && !per_type && k > 50) continue;
      const PaymentEquivalenceResult result = ranges_with(gains, strategy);
      std::printf("K = %ld %s: %s, %zu optimize calls, %.2f s (exact Bellman-Ford %.3f s)\n",
                  static_cast<long>(k), strategy == Strategy::summed ? "summed" : "per-type",
                  std::string(verdict_name(result.verdict)).c_str(), result.optimize_calls,
                  result.seconds, bellman_ford);
      ASSERT_EQ(result.verdict, Verdict::holds) << result.reason;
      EXPECT_EQ(result.ranges->lower, expected->lower);
      EXPECT_EQ(result.ranges->upper, expected->upper);
    }
  }
}

}  // namespace
}  // namespace mechcheck::smt

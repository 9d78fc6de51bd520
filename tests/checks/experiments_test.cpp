// The paper's experiments: Appendix F's table (signs, determinism) and Section 5's strategies.
#include <gtest/gtest.h>

#include <cmath>

#include "checks/experiments/appendix_f.hpp"
#include "checks/experiments/strategies.hpp"
#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck {
namespace {

TEST(AppendixF, MisreportRaisesValuationAndLowersUtilityForEveryEpsilon) {
  AppendixFOptions options;
  options.samples = 3000;
  for (const AppendixFRow& row : run_appendix_f(options)) {
    EXPECT_GT(row.delta_valuation.mean, 0) << row.epsilon;
    EXPECT_LT(row.delta_utility.mean, 0) << row.epsilon;
    EXPECT_GT(row.delta_valuation.std, 0);
  }
}

TEST(AppendixF, SameSeedSameTableForAnyThreadCount) {
  AppendixFOptions options;
  options.samples = 500;
  options.epsilons = {0.01, 0.1};
  const auto one = run_appendix_f(options);
  options.threads = 2;
  const auto two = run_appendix_f(options);
  for (std::size_t k = 0; k < one.size(); ++k) {
    EXPECT_EQ(one[k].delta_valuation.mean, two[k].delta_valuation.mean);
    EXPECT_EQ(one[k].delta_utility.std, two[k].delta_utility.std);
  }
}

TEST(AppendixF, FiftyDigitsAgreeWithDouble) {
  AppendixFOptions options;
  options.samples = 200;
  options.epsilons = {0.01};
  const auto coarse = run_appendix_f(options);
  options.precision = Precision::digits50;
  const auto fine = run_appendix_f(options);
  EXPECT_NEAR(coarse[0].delta_utility.mean, fine[0].delta_utility.mean, 1e-12);
  EXPECT_NEAR(coarse[0].delta_valuation.mean, fine[0].delta_valuation.mean, 1e-12);
}

// The batched double path (BatchSwMaxSolver over chunks of samples) against one scalar solve per
// game: χ² bit for bit (its batch kernel is the scalar algorithm), KL to exp/log rounding; a shared
// π (one batch per chunk) and a π per sample (one batch per sample), sum and max normalization.
TEST(AppendixF, BatchedSolvesGiveTheScalarTable) {
  for (DivergenceKind divergence : {DivergenceKind::kl, DivergenceKind::chi2})
    for (InitialShape initial : {InitialShape::uniform, InitialShape::random})
      for (Normalization normalization : {Normalization::sum, Normalization::max}) {
        AppendixFOptions options;
        options.samples = 700;  // 10 full chunks and a partial one
        options.divergence = divergence;
        options.initial = initial;
        options.normalization = normalization;
        options.lambda = Rational(1, 3);
        options.batched = false;
        const auto scalar = run_appendix_f(options);
        options.batched = true;
        options.threads = 2;
        const auto batched = run_appendix_f(options);
        ASSERT_EQ(scalar.size(), batched.size());
        for (std::size_t k = 0; k < scalar.size(); ++k) {
          const double tolerance = divergence == DivergenceKind::chi2 ? 0 : 1e-15;
          EXPECT_NEAR(scalar[k].delta_valuation.mean, batched[k].delta_valuation.mean, tolerance);
          EXPECT_NEAR(scalar[k].delta_valuation.std, batched[k].delta_valuation.std, tolerance);
          EXPECT_NEAR(scalar[k].delta_utility.mean, batched[k].delta_utility.mean, tolerance);
          EXPECT_NEAR(scalar[k].delta_utility.std, batched[k].delta_utility.std, tolerance);
          // Against rounding-level agreement that would also hold for a wrong answer: the rows
          // are far from 0 at this tolerance.
          EXPECT_GT(std::abs(scalar[k].delta_utility.mean), 1e-9);
        }
      }
}

Instance two_groups(const char* payment) {
  return read_instance(
      parse_exact_json(std::string(R"({"normalization": "sum", "initial": ["1/4","1/4","1/2"],
    "max_group_size": 10, "rule": {"type": "sw-max", "divergence": "kl", "lambda": "1/5"},
    "payment": {"type": ")") +
                       payment + R"("}, "groups": [{"reward": ["1/2","1/2","0"], "size": 3},
    {"reward": [0, 0.2, 0.8], "size": 2}]})"));
}

TEST(Strategies, TruthfulReportingMaximizesUtilityUnderTheAffineMaximizer) {
  const auto rows = sweep_strategies(two_groups("affine-maximizer"), 1, {0.2, 0.5, 1, 1.5, 2, 3},
                                     {0, 0.5, 1, 1.5, 2});
  double truthful = 0, best = -1e300;
  for (const StrategyRow& row : rows) {
    if (row.value == 1) truthful = row.utility;
    best = std::max(best, row.utility);
  }
  EXPECT_DOUBLE_EQ(best, truthful);
}

TEST(Strategies, WithoutPaymentsOverstatingTheSizePays) {
  const auto rows = sweep_strategies(two_groups("zero"), 1, {1, 2}, {});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_GT(rows[1].utility, rows[0].utility);
  EXPECT_EQ(rows[0].payment, 0);
}

TEST(Strategies, RejectsAGroupOutOfRange) {
  EXPECT_THROW(sweep_strategies(two_groups("zero"), 2, {1}, {1}), std::invalid_argument);
}

}  // namespace
}  // namespace mechcheck

// The batched gains (mechanisms/rlhf_game/batch_evaluator.cpp) against the scalar evaluator, and
// against themselves in batches of other widths: the regret search may ask for a report alone or
// among any others, and must get the same number.
#include "mechanisms/rlhf_game/batch_evaluator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "generators/misreports.hpp"
#include "generators/samplers.hpp"

namespace mechcheck {
namespace {

struct Case {
  Instance instance;
  std::string label;
};

// Random KL/χ² SW-Max and anti-SW-Max games, zero and affine-maximizer payments, λ from the
// extremes the fuzzers found (10⁻⁶ with w̄ = 1000, 10⁶) to ordinary values.
Case random_case(std::uint64_t seed) {
  Rng rng(seed);
  Instance mechanism;
  mechanism.normalization = rng.coin() ? Normalization::sum : Normalization::max;
  const bool extreme = rng.coin(0.3);
  mechanism.max_group_size = extreme ? 1000 : rng.integer(1, 10);
  const DivergenceKind divergence = rng.coin() ? DivergenceKind::kl : DivergenceKind::chi2;
  const Rational lambda = !extreme     ? Rational(rng.integer(1, 8), rng.integer(1, 8))
                          : rng.coin() ? Rational(1, 1000000)
                                       : Rational(1000000);
  mechanism.rule = {rng.coin(0.8) ? RuleType::sw_max : RuleType::anti_sw_max, divergence, lambda};
  mechanism.payment.type = rng.coin() ? PaymentType::zero : PaymentType::affine_maximizer;
  if (rng.coin(0.2)) mechanism.payment.offset = Rational(rng.integer(-5, 5), 3);
  GeneratorSpec spec;
  spec.min_outcomes = 2;
  spec.max_outcomes = 12;
  spec.min_groups = 1;
  spec.max_groups = 5;
  Case out{sample_instance(rng, mechanism, spec), "seed " + std::to_string(seed)};
  return out;
}

std::vector<Point> random_points(const Instance& instance, Rng& rng, int count) {
  const auto m = static_cast<Eigen::Index>(instance.outcome_count());
  const long max_size = instance.max_group_size.convert_to<long>();
  std::vector<Point> points;
  for (int k = 0; k < count; ++k) {
    Point point(m + 1);
    point.head(m) = random_report<double>(m, instance.normalization, rng);
    point[m] = double(rng.integer(1, max_size));
    points.push_back(point);
  }
  return points;
}

TEST(BatchGainEvaluator, AgreesWithTheScalarEvaluatorAndIsZeroAtTheTruth) {
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    const Case c = random_case(seed);
    SCOPED_TRACE(c.label);
    const Profile<double> profile = profile_of<double>(c.instance);
    const DeviationEvaluator<double> scalar(mechanism_of<double>(c.instance), profile, 0);
    BatchGainEvaluator batch(scalar);
    ASSERT_TRUE(batch.available());
    Rng rng(seed);
    std::vector<Point> points = random_points(c.instance, rng, 40);
    Point truth(profile.rewards.rows() + 1);
    truth << profile.rewards.col(0), profile.sizes[0];
    points.push_back(truth);
    std::vector<double> gains;
    batch.gains(points, gains);
    EXPECT_EQ(gains.back(), 0.0);
    // Utilities are sums of terms up to the scores' size: the solvers agree to 1e-13 of that.
    const double scale = 1 + profile.sizes.sum() + c.instance.payment.offset.convert_to<double>();
    for (std::size_t k = 0; k < points.size(); ++k) {
      const Eigen::Index m = points[k].size() - 1;
      const double expected = scalar.gain({points[k].head(m), points[k][m]});
      EXPECT_NEAR(gains[k], expected, 1e-12 * std::abs(scale)) << "report " << k;
    }
    EXPECT_EQ(batch.evaluations(), static_cast<long>(points.size()));
  }
}

TEST(BatchGainEvaluator, AReportGetsTheSameGainAloneAndInBatchesOfAnyWidth) {
  for (std::uint64_t seed = 200; seed <= 260; ++seed) {
    const Case c = random_case(seed);
    SCOPED_TRACE(c.label);
    const DeviationEvaluator<double> scalar(mechanism_of<double>(c.instance),
                                            profile_of<double>(c.instance), 0);
    BatchGainEvaluator batch(scalar);
    Rng rng(seed);
    const std::vector<Point> points = random_points(c.instance, rng, 37);
    std::vector<double> all;
    batch.gains(points, all);
    for (std::size_t width : {1u, 3u, 8u, 9u, 17u}) {
      for (std::size_t first = 0; first + width <= points.size(); first += width) {
        std::vector<double> part;
        batch.gains(std::span<const Point>(points.data() + first, width), part);
        for (std::size_t k = 0; k < width; ++k)
          ASSERT_EQ(part[k], all[first + k]) << "width " << width << ", report " << first + k;
      }
    }
    for (std::size_t k = 0; k < points.size(); ++k) ASSERT_EQ(batch.gain(points[k]), all[k]);
  }
}

TEST(BatchGainEvaluator, IsUnavailableWhereTheBatchSolverDoesNotApply) {
  Case c = random_case(7);
  c.instance.rule.divergence = DivergenceKind::tv;  // no batch kernel: the scalar path
  const DeviationEvaluator<double> tv(mechanism_of<double>(c.instance),
                                      profile_of<double>(c.instance), 0);
  EXPECT_FALSE(BatchGainEvaluator(tv).available());
  c = random_case(7);
  c.instance.rule.type = RuleType::nash;  // a welfare rule: not solved on score gaps
  const DeviationEvaluator<double> nash(mechanism_of<double>(c.instance),
                                        profile_of<double>(c.instance), 0);
  EXPECT_FALSE(BatchGainEvaluator(nash).available());
}

}  // namespace
}  // namespace mechcheck

// Seeded samplers: valid, reproducible, and pinned to fixed values so a change of platform or
// standard library that alters the streams is caught.
#include "generators/samplers.hpp"

#include <gtest/gtest.h>

#include <random>

#include "generators/misreports.hpp"

namespace mechcheck {
namespace {

TEST(Rng, StreamsArePinned) {
  Rng rng = Rng::stream(1, 0);
  const std::uint64_t first = rng.next();
  EXPECT_EQ(first, Rng::stream(1, 0).next());
  EXPECT_NE(first, Rng::stream(1, 1).next());
  EXPECT_NE(first, Rng::stream(2, 0).next());
  // mt19937_64 is specified exactly by the standard; its 10000th output for the default seed is
  // 9981545732273789042 ([rand.predef]). Our seeding is SplitMix64 on top of it.
  std::mt19937_64 reference;
  reference.discard(9999);
  EXPECT_EQ(reference(), 9981545732273789042ULL);
}

TEST(Rng, IntegersStayInRangeAndCoverIt) {
  Rng rng(3);
  std::vector<int> seen(7, 0);
  for (int k = 0; k < 7000; ++k) ++seen[static_cast<std::size_t>(rng.integer(0, 6))];
  for (int count : seen) EXPECT_GT(count, 800);
}

TEST(Samplers, RewardsAreNormalizedForEveryShape) {
  Rng rng(11);
  for (Normalization normalization : {Normalization::sum, Normalization::max})
    for (RewardShape shape : {RewardShape::uniform, RewardShape::with_zeros, RewardShape::ties,
                              RewardShape::constant, RewardShape::one_hot, RewardShape::mixed})
      for (int k = 0; k < 20; ++k) {
        const auto reward = sample_reward(rng, 5, normalization, shape);
        Rational total = 0, top = 0;
        for (const Rational& r : reward) {
          ASSERT_GE(r, 0);
          total += r;
          top = std::max(top, r);
        }
        EXPECT_EQ(normalization == Normalization::sum ? total : top, 1);
      }
}

TEST(Samplers, InitialModelsArePositiveDistributions) {
  Rng rng(12);
  for (InitialShape shape : {InitialShape::uniform, InitialShape::random, InitialShape::skewed}) {
    const auto initial = sample_initial(rng, 4, shape);
    Rational total = 0;
    for (const Rational& p : initial) {
      EXPECT_GT(p, 0);
      total += p;
    }
    EXPECT_EQ(total, 1);
  }
}

TEST(Samplers, SameStreamSameInstance) {
  Instance mechanism;
  mechanism.max_group_size = 5;
  GeneratorSpec spec;
  Rng a = Rng::stream(9, 4), b = Rng::stream(9, 4);
  const Instance x = sample_instance(a, mechanism, spec), y = sample_instance(b, mechanism, spec);
  ASSERT_EQ(x.group_count(), y.group_count());
  EXPECT_EQ(x.initial, y.initial);
  for (std::size_t i = 0; i < x.group_count(); ++i)
    EXPECT_EQ(x.groups[i].reward, y.groups[i].reward);
  EXPECT_NO_THROW(validate(x));
}

TEST(Misreports, PolarizationStaysValid) {
  Vector<double> reward(3);
  reward << 0.5, 0.3, 0.2;
  auto polarized = polarize(reward, 0.5, Normalization::sum);
  ASSERT_TRUE(polarized);
  EXPECT_NEAR(polarized->sum(), 1.0, 1e-15);
  EXPECT_GE(polarized->minCoeff(), 0.0);
  EXPECT_DOUBLE_EQ((*polarized)[0], 0.7);  // step limited by rm(argmin) = 0.2
  EXPECT_FALSE(
      polarize(Vector<double>(Vector<double>::Constant(3, 1.0 / 3)), 0.1, Normalization::sum));
}

TEST(Misreports, BetaMixingAboveOneStopsAtZero) {
  Vector<double> reward(2), others(2);
  reward << 0.6, 0.4;
  others << 0.2, 0.8;
  auto mixed = mix_with_others(reward, others, 5.0, Normalization::sum);
  ASSERT_TRUE(mixed);
  EXPECT_NEAR((*mixed)[1], 0.0, 1e-12);
  EXPECT_NEAR((*mixed)[0], 1.0, 1e-12);
}

}  // namespace
}  // namespace mechcheck

namespace mechcheck {
namespace {

// Rng's engine computes the first generation lazily; every prefix of every stream must still be
// std::mt19937_64's, across the generation boundaries (156, 312, 624 draws).
TEST(Mt19937_64, IsStdMt19937_64BitForBit) {
  std::vector<std::uint64_t> seeds{0, 1, 5489, ~std::uint64_t{0}, 0x8000000000000000ULL};
  std::mt19937_64 source(7);
  for (int k = 0; k < 40; ++k) seeds.push_back(source());
  for (std::uint64_t seed : seeds)
    for (int draws : {1, 2, 55, 155, 156, 157, 311, 312, 313, 700}) {
      std::mt19937_64 expected(seed);
      Mt19937_64 engine(seed);
      for (int k = 0; k < draws; ++k) ASSERT_EQ(engine(), expected()) << seed << " #" << k;
    }
}

}  // namespace
}  // namespace mechcheck

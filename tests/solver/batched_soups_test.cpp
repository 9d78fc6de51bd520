// The rewarded soups in double (solver/batched_soups.cpp: one batch solve) against solving each
// soup's scores with the scalar solve_sw_max: within 1e-13 relative per entry for the vectorized
// divergences (KL, χ², including λ far below and far above the scores' scale, where columns go to
// the scalar route), bit for bit for the others (every column on the scalar route).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "generators/instance_gen.hpp"
#include "generators/rng.hpp"
#include "solver/candidate_rule.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {
namespace {

constexpr double kAgreement = 1e-13;

RC_GTEST_PROP(BatchedSoups, AgreeWithTheScalarSolveOfEachSoup, ()) {
  gen::InstanceShape shape;
  shape.min_groups = 1;
  shape.max_groups = 4;
  shape.max_outcomes = 12;
  const Instance instance = *gen::instances(shape);
  const Profile<double> profile = profile_of<double>(instance);
  const Vector<double> initial = from_rationals<double>(instance.initial);
  // λ from 1e-6 (with sizes up to 1,000: exp arguments far below the subnormal range) to 1e6
  // (λ ≫ spread: the near-initial formulas or the scalar route).
  const int decade = *rc::gen::inRange(-6, 7);
  const SwMaxRule<double> rule{
      instance.rule.divergence,
      from_rational<double>(instance.rule.lambda) * std::pow(10.0, decade)};
  const long mixtures = *rc::gen::inRange(0, 6);
  const double total = *rc::gen::inRange(1, 1001);
  const auto batched = rewarded_soups(rule, profile.rewards, total, initial, mixtures);
  const auto expected = rewarded_soups_one_by_one(rule, profile.rewards, total, initial, mixtures);
  RC_ASSERT(batched.size() == expected.size());
  const bool vectorized =
      rule.divergence == DivergenceKind::kl || rule.divergence == DivergenceKind::chi2;
  for (std::size_t k = 0; k < batched.size(); ++k) {
    RC_ASSERT(batched[k].size() == expected[k].size());
    for (Eigen::Index x = 0; x < batched[k].size(); ++x) {
      if (vectorized)
        RC_ASSERT(std::abs(batched[k][x] - expected[k][x]) <=
                  kAgreement * std::abs(expected[k][x]) + 1e-300);
      else
        RC_ASSERT(batched[k][x] == expected[k][x]);
    }
  }
}

// The lattice of two groups with K = 3 on a hand-made game: the vertex soups are the single-group
// optima, and a soup whose weights reproduce the sizes is the SW-Max optimum itself.
TEST(BatchedSoups, VerticesAndTheSizeProportionalSoupAreTheOptima) {
  const Vector<double> initial = Vector<double>::Constant(3, 1.0 / 3);
  Matrix<double> rewards(3, 2);
  rewards << 0.5, 0.1, 0.3, 0.2, 0.2, 0.7;
  for (DivergenceKind divergence : {DivergenceKind::kl, DivergenceKind::chi2}) {
    const SwMaxRule<double> rule{divergence, 0.25};
    const double total = 4;  // sizes (1, 3): the soup with weights (1, 3) of K + 1 = 4
    const auto soups = rewarded_soups(rule, rewards, total, initial, 3);
    ASSERT_EQ(soups.size(), 5u);
    for (long i = 0; i < 2; ++i) {
      const Vector<double> single =
          solve_sw_max(rule, Vector<double>(total * rewards.col(i)), initial).policy;
      EXPECT_LE((soups[static_cast<std::size_t>(i)] - single).cwiseAbs().maxCoeff(), 1e-13);
    }
    const Vector<double> welfare = rewards.col(0) + 3 * rewards.col(1);
    const Vector<double> optimum = solve_sw_max(rule, welfare, initial).policy;
    EXPECT_LE((soups[2] - optimum).cwiseAbs().maxCoeff(), 1e-13);  // a = (1, 3)
  }
}

// Large m: the soups are solved a few columns at a time (2^16 scores per chunk: 3 columns at
// m = 20,000), and still agree with the one-by-one solves.
TEST(BatchedSoups, ChunksOfALargeGameAgreeToo) {
  const Eigen::Index m = 20000;
  Rng rng(5);
  Matrix<double> rewards(m, 2);
  for (Eigen::Index x = 0; x < m; ++x) rewards(x, 0) = rng.uniform(), rewards(x, 1) = rng.uniform();
  rewards.col(0) /= rewards.col(0).sum();
  rewards.col(1) /= rewards.col(1).sum();
  const Vector<double> initial = Vector<double>::Constant(m, 1.0 / double(m));
  for (DivergenceKind divergence : {DivergenceKind::kl, DivergenceKind::chi2}) {
    const SwMaxRule<double> rule{divergence, 1e-4};
    const auto batched = rewarded_soups(rule, rewards, 7.0, initial, 6);
    const auto expected = rewarded_soups_one_by_one(rule, rewards, 7.0, initial, 6);
    ASSERT_EQ(batched.size(), 8u);
    for (std::size_t k = 0; k < batched.size(); ++k)
      for (Eigen::Index x = 0; x < m; ++x)
        ASSERT_LE(std::abs(batched[k][x] - expected[k][x]),
                  kAgreement * std::abs(expected[k][x]) + 1e-300)
            << "soup " << k << " outcome " << x;
  }
}

}  // namespace
}  // namespace mechcheck

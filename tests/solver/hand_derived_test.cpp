// Cases derived by hand (derivations in the comments), run for every scalar type through the
// same templated bodies.
#include <gtest/gtest.h>

#include "solver/instantiations.hpp"
#include "tests/support/scalar_expect.hpp"

namespace mechcheck {
namespace {

using testing::near;
using testing::near_rational;
using testing::vector_of;

template <class S>
PolicySolution<S> solve(DivergenceKind kind, const Rational& lambda,
                        std::initializer_list<Rational> scores,
                        std::initializer_list<Rational> initial) {
  return solve_sw_max(SwMaxRule<S>{kind, from_rational<S>(lambda)}, vector_of<S>(scores),
                      vector_of<S>(initial));
}

template <class S>
class ExactRules : public ::testing::Test {};
TYPED_TEST_SUITE(ExactRules, testing::AllScalars);

// χ², two outcomes, one group with rm = (1, 0), π = (1/2, 1/2): on the interior
// p = π(1 + (s − μ)/(2λ)) and Σp = 1 give μ = 1/2, p = (1/2 + 1/(8λ), 1/2 − 1/(8λ)), valid for
// λ ≥ 1/8. λ = 1: p = (5/8, 3/8), D = λ Σ (p − π)²/π = 1/16, objective = 5/8 − 1/16 = 9/16.
TYPED_TEST(ExactRules, Chi2TwoOutcomesInterior) {
  using S = TypeParam;
  auto solution = solve<S>(DivergenceKind::chi2, 1, {1, 0}, {Rational(1, 2), Rational(1, 2)});
  EXPECT_TRUE(near_rational(solution.policy[0], Rational(5, 8)));
  EXPECT_TRUE(near_rational(solution.policy[1], Rational(3, 8)));
  EXPECT_TRUE(near_rational(solution.divergence, Rational(1, 16)));
  EXPECT_TRUE(near_rational(solution.objective, Rational(9, 16)));
}

// χ² with λ = 1/10 < 1/8: the interior formula would give p₂ = 1/2 − 5/4 < 0, so the boundary is
// active: p = (1, 0), D = (1/10)(1/4 + 1/4)/(1/2) = 1/10, objective = 1 − 1/10 = 9/10.
TYPED_TEST(ExactRules, Chi2TwoOutcomesActiveBoundary) {
  using S = TypeParam;
  auto solution =
      solve<S>(DivergenceKind::chi2, Rational(1, 10), {1, 0}, {Rational(1, 2), Rational(1, 2)});
  EXPECT_TRUE(near_rational(solution.policy[0], 1));
  EXPECT_EQ(solution.policy[1], S(0));  // exactly zero, not a tiny negative
  EXPECT_TRUE(near_rational(solution.objective, Rational(9, 10)));
}

// χ² with λ = 1/8 exactly at the edge: p = (1, 0) by both formulas.
TYPED_TEST(ExactRules, Chi2BoundaryEdge) {
  using S = TypeParam;
  auto solution =
      solve<S>(DivergenceKind::chi2, Rational(1, 8), {1, 0}, {Rational(1, 2), Rational(1, 2)});
  EXPECT_TRUE(near_rational(solution.policy[0], 1));
  EXPECT_TRUE(near_rational(solution.policy[1], 0));
}

// χ², three outcomes with a tie at the top, π = (1/4, 1/4, 1/2), s = (1, 1, 0), λ = 1/10: support
// {0, 1}: τ = (Σ π s − 2λ)/Σ π = (1/2 − 1/5)/(1/2) = 3/5 ≥ s₂, p = π(s − τ)/(2λ) = (1/2, 1/2, 0).
TYPED_TEST(ExactRules, Chi2TiedTopScores) {
  using S = TypeParam;
  auto solution = solve<S>(DivergenceKind::chi2, Rational(1, 10), {1, 1, 0},
                           {Rational(1, 4), Rational(1, 4), Rational(1, 2)});
  EXPECT_TRUE(near_rational(solution.policy[0], Rational(1, 2)));
  EXPECT_TRUE(near_rational(solution.policy[1], Rational(1, 2)));
  EXPECT_EQ(solution.policy[2], S(0));
}

// TV, s = (1, 0), π = (1/2, 1/2): moving mass gains 1 − 2λ. λ = 1/4: all moves, p = (1, 0),
// D = λ Σ|p − π| = 1/4, objective = 3/4. λ = 1: nothing moves, p = π, objective = 1/2.
TYPED_TEST(ExactRules, TvWithoutTies) {
  using S = TypeParam;
  auto moves =
      solve<S>(DivergenceKind::tv, Rational(1, 4), {1, 0}, {Rational(1, 2), Rational(1, 2)});
  EXPECT_TRUE(near_rational(moves.policy[0], 1));
  EXPECT_EQ(moves.policy[1], S(0));
  EXPECT_TRUE(near_rational(moves.divergence, Rational(1, 4)));
  EXPECT_TRUE(near_rational(moves.objective, Rational(3, 4)));
  auto stays = solve<S>(DivergenceKind::tv, 1, {1, 0}, {Rational(1, 2), Rational(1, 2)});
  EXPECT_TRUE(near_rational(stays.policy[0], Rational(1, 2)));
  EXPECT_TRUE(near_rational(stays.objective, Rational(1, 2)));
}

// TV ties: s = (1, 1, 1/2, 0), π = (1/8, 3/8, 1/4, 1/4), λ = 1/4 so s_max − 2λ = 1/2. Outcome 2
// sits exactly at the cutoff (zero gain): the tie-break keeps its 1/4. Outcome 3 frees 1/4, split
// over the tied top in proportion to π: +1/16 and +3/16 → p = (3/16, 9/16, 1/4, 0). Objective =
// 3/16 + 9/16 + 1/8 − (1/4)(2·1/4) = 3/4.
TYPED_TEST(ExactRules, TvWithTiesUsesTheDocumentedTieBreak) {
  using S = TypeParam;
  auto solution = solve<S>(DivergenceKind::tv, Rational(1, 4), {1, 1, Rational(1, 2), 0},
                           {Rational(1, 8), Rational(3, 8), Rational(1, 4), Rational(1, 4)});
  EXPECT_TRUE(near_rational(solution.policy[0], Rational(3, 16)));
  EXPECT_TRUE(near_rational(solution.policy[1], Rational(9, 16)));
  EXPECT_TRUE(near_rational(solution.policy[2], Rational(1, 4)));
  EXPECT_EQ(solution.policy[3], S(0));
  EXPECT_TRUE(near_rational(solution.objective, Rational(3, 4)));
}

TYPED_TEST(ExactRules, ConstantScoresLeaveTheInitialModel) {
  using S = TypeParam;
  for (DivergenceKind kind : {DivergenceKind::chi2, DivergenceKind::tv}) {
    auto solution =
        solve<S>(kind, Rational(1, 3), {2, 2, 2}, {Rational(1, 6), Rational(1, 3), Rational(1, 2)});
    EXPECT_TRUE(near_rational(solution.policy[0], Rational(1, 6)));
    EXPECT_TRUE(near_rational(solution.policy[2], Rational(1, 2)));
    EXPECT_TRUE(near_rational(solution.divergence, 0));
    EXPECT_TRUE(near_rational(solution.objective, 2));
  }
}

TYPED_TEST(ExactRules, KlIsRefusedOnlyInExactArithmetic) {
  using S = TypeParam;
  auto attempt = [] {
    return solve<S>(DivergenceKind::kl, 1, {1, 0}, {Rational(1, 2), Rational(1, 2)});
  };
  if constexpr (ScalarTraits<S>::exact)
    EXPECT_THROW(attempt(), UnsupportedPrecision);
  else
    EXPECT_NO_THROW(attempt());
}

template <class S>
class SmoothRules : public ::testing::Test {};
TYPED_TEST_SUITE(SmoothRules, testing::FloatScalars);

// KL, s = (1, 0), π = (1/2, 1/2), λ = 1: p₀ = e/(e + 1) = 1/(1 + e^{-1});
// objective = λ log Σ π e^{s/λ} = log((e + 1)/2).
TYPED_TEST(SmoothRules, KlTwoOutcomes) {
  using S = TypeParam;
  using std::exp;
  using std::log;
  auto solution = solve<S>(DivergenceKind::kl, 1, {1, 0}, {Rational(1, 2), Rational(1, 2)});
  const S e = exp(S(1));
  EXPECT_TRUE(near(solution.policy[0], S(1 / (1 + 1 / e))));
  EXPECT_TRUE(near(solution.objective, S(log((e + 1) / 2))));
  EXPECT_TRUE(
      near(solution.divergence, S(solution.policy.dot(vector_of<S>({1, 0})) - solution.objective)));
}

// Reverse KL, two outcomes, π uniform: KKT s − (−λ/r) = μ with r = p/π gives
// p₀ = λπ/(μ − 1), p₁ = λπ/μ. λ = 1, π = 1/2: 1/(2(μ−1)) + 1/(2μ) = 1 → μ² − 2μ + 1/2 = 0,
// μ = 1 + 1/√2, so p₁ = 1/(2 + √2) = 1 − 1/√2 and p₀ = 1/√2.
TYPED_TEST(SmoothRules, ReverseKlTwoOutcomes) {
  using S = TypeParam;
  using std::sqrt;
  auto solution = solve<S>(DivergenceKind::reverse_kl, 1, {1, 0}, {Rational(1, 2), Rational(1, 2)});
  EXPECT_TRUE(near(solution.policy[0], S(1 / sqrt(S(2)))));
  EXPECT_TRUE(near(solution.policy[1], S(1 - 1 / sqrt(S(2)))));
}

// Squared Hellinger, two outcomes, π uniform, λ = 1: r = 1/(1 − (s − μ))², i.e. √r₀ = 1/(μ'),
// √r₁ = 1/(1 + μ') with μ' = 1 − (1 − μ)... Instead of a closed form, check the two defining
// equations: Σ p = 1 and equal multipliers s − f′(p/π) on both outcomes.
TYPED_TEST(SmoothRules, HellingerTwoOutcomesSatisfiesItsOptimalityConditions) {
  using S = TypeParam;
  using std::sqrt;
  auto solution = solve<S>(DivergenceKind::hellinger, 1, {1, 0}, {Rational(1, 2), Rational(1, 2)});
  auto multiplier = [&](int x, const S& score) {
    return S(score - (1 - 1 / sqrt(solution.policy[x] * 2)));
  };
  EXPECT_TRUE(near(S(solution.policy.sum()), S(1)));
  EXPECT_TRUE(near(multiplier(0, 1), multiplier(1, 0), 1000));
  EXPECT_GT(solution.policy[0], solution.policy[1]);
}

}  // namespace
}  // namespace mechcheck

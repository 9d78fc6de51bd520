// Payments, valuations and utilities of whole mechanisms on hand-derived profiles, for every
// scalar type.
#include <gtest/gtest.h>

#include "solver/instantiations.hpp"
#include "tests/support/scalar_expect.hpp"

namespace mechcheck {
namespace {

using testing::near_rational;

template <class Num>
Profile<Num> two_group_profile() {
  // m = 2; group 0: rm = (1, 0), w = 1; group 1: rm = (0, 1), w = 2; s = (1, 2).
  Profile<Num> profile{Matrix<Num>(2, 2), Vector<Num>(2)};
  profile.rewards << Num(1), Num(0), Num(0), Num(1);
  profile.sizes << Num(1), Num(2);
  return profile;
}

template <class Num>
Mechanism<Num> chi2_mechanism(PaymentType payment) {
  return Mechanism<Num>{SwMaxRule<Num>{DivergenceKind::chi2, Num(1)}, payment,
                        testing::vector_of<Num>({Rational(1, 2), Rational(1, 2)})};
}

template <class Num>
class Payments : public ::testing::Test {};
TYPED_TEST_SUITE(Payments, testing::AllScalars);

// χ², λ = 1, π uniform, s = (1, 2): ψ = (1/2 + (1−2)/8, 1/2 + (2−1)/8) = (3/8, 5/8), D = 1/16.
// Group 0: without it s = (0, 2): ψ₋₀ = (1/4, 3/4), OPT₋₀ = 3/2 − 1/4 = 5/4;
//          ASW₋₀(ψ) = 2·5/8 − 1/16 = 19/16; payment 5/4 − 19/16 = 1/16; valuation 3/8.
// Group 1: without it s = (1, 0): ψ₋₁ = (5/8, 3/8), OPT₋₁ = 5/8 − 1/16 = 9/16;
//          ASW₋₁(ψ) = 3/8 − 1/16 = 5/16; payment 9/16 − 5/16 = 1/4; valuation 2·5/8 = 5/4.
TYPED_TEST(Payments, AffineMaximizerTwoGroupsChi2) {
  using Num = TypeParam;
  const auto outcome =
      run_mechanism(chi2_mechanism<Num>(PaymentType::affine_maximizer), two_group_profile<Num>());
  EXPECT_TRUE(near_rational(outcome.solution.policy[0], Rational(3, 8)));
  EXPECT_TRUE(near_rational(outcome.payments[0], Rational(1, 16)));
  EXPECT_TRUE(near_rational(outcome.payments[1], Rational(1, 4)));
  EXPECT_TRUE(near_rational(outcome.valuations[0], Rational(3, 8)));
  EXPECT_TRUE(near_rational(outcome.valuations[1], Rational(5, 4)));
  EXPECT_TRUE(near_rational(outcome.utilities[0], Rational(5, 16)));
  EXPECT_TRUE(near_rational(outcome.utilities[1], Rational(1)));
  EXPECT_TRUE(near_rational(outcome.welfare, Rational(13, 8)));
  EXPECT_TRUE(near_rational(outcome.solution.objective, Rational(13, 8) - Rational(1, 16)));
}

TYPED_TEST(Payments, ZeroPaymentChargesNothing) {
  using Num = TypeParam;
  const auto outcome =
      run_mechanism(chi2_mechanism<Num>(PaymentType::zero), two_group_profile<Num>());
  EXPECT_EQ(outcome.payments[0], Num(0));
  EXPECT_EQ(outcome.payments[1], Num(0));
  EXPECT_TRUE(near_rational(outcome.utilities[1], Rational(5, 4)));
}

// One group: ψ(rm₋ᵢ) is the initial model, ASW₋ᵢ(π) = 0, so pᵢ = 0 − (0 − D(ψ‖π)) = D.
TYPED_TEST(Payments, SingleGroupPaysTheDivergence) {
  using Num = TypeParam;
  Profile<Num> profile{Matrix<Num>(2, 1), Vector<Num>(1)};
  profile.rewards << Num(1), Num(0);
  profile.sizes << Num(3);
  const auto outcome = run_mechanism(chi2_mechanism<Num>(PaymentType::affine_maximizer), profile);
  // s = (3, 0): interior p = (1/2 + 3/8, 1/2 − 3/8) = (7/8, 1/8), D = (3/8)²·2·2 = 9/16.
  EXPECT_TRUE(near_rational(outcome.solution.policy[0], Rational(7, 8)));
  EXPECT_TRUE(near_rational(outcome.payments[0], Rational(9, 16)));
  EXPECT_TRUE(near_rational(outcome.solution.divergence, Rational(9, 16)));
}

// Misreporting is valued with the true type: group 1 claims size 1 instead of 2.
TYPED_TEST(Payments, ValuationsUseTheTrueTypes) {
  using Num = TypeParam;
  Profile<Num> truth = two_group_profile<Num>(), reports = truth;
  reports.sizes[1] = Num(1);  // s = (1, 1): ψ = π
  const auto outcome =
      run_mechanism(chi2_mechanism<Num>(PaymentType::affine_maximizer), reports, truth);
  EXPECT_TRUE(near_rational(outcome.solution.policy[1], Rational(1, 2)));
  EXPECT_TRUE(near_rational(outcome.valuations[1], Rational(1)));  // 2 · 1/2
  // ψ₋₁ for report (rm₀, 1): s = (1, 0) → OPT 9/16; ASW₋₁(π) = 1/2 − 0 → payment 1/16.
  EXPECT_TRUE(near_rational(outcome.payments[1], Rational(1, 16)));
  // Truthful utility (1) beats this misreport's utility (1 − 1/16): DSIC on this instance.
  EXPECT_LT(outcome.utilities[1], Num(1));
}

}  // namespace
}  // namespace mechcheck

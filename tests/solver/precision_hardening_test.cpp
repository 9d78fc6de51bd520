// Issue #15, class 2: no silent wrong numbers when the inputs carry more information than the
// working precision. Score gaps far below the scores' magnitude but far above λ, a Hellinger
// multiplier a relative 10⁻¹⁵⁰ from its singular point, and instances no precision of this
// build can guarantee (NumericalFailure: `mechcheck solve` exits 3).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "solver/instance_solver.hpp"
#include "solver/instantiations.hpp"
#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"
#include "tests/support/scalar_expect.hpp"

namespace mechcheck {
namespace {

using boost::multiprecision::mpz_int;
using boost::multiprecision::pow;

Rational ten_to_minus(unsigned exponent) {
  return Rational(mpz_int(1), pow(mpz_int(10), exponent));
}

// Two outcomes, uniform π, λ = 10⁻³⁰⁰, and groups whose rewards are overridden below.
Instance tiny_lambda_instance(const char* type, const char* divergence, int groups) {
  std::string json = std::string(R"({"normalization": "sum", "initial": "uniform",
    "max_group_size": 1, "rule": {"type": ")") +
                     type + R"(", "divergence": ")" + divergence +
                     R"(", "lambda": "1e-300"}, "groups": [)";
  for (int i = 0; i < groups; ++i)
    json += std::string(i ? ", " : "") + R"({"reward": [1, 0], "size": 1})";
  return read_instance(parse_exact_json(json + "]}"));
}

// Rewards (1/2 + ε, 1/2 − ε) with ε = 10⁻²⁵⁰: the scores differ by 2·10⁻²⁵⁰, below even 200
// digits' resolution of 1/2 but 2·10⁵⁰ times λ, so the optimum is (numerically) the point mass
// on outcome 0. Rounding the scores before subtracting gave the uniform policy at every precision.
Instance near_tie(const char* divergence, const char* type = "sw-max") {
  Instance instance = tiny_lambda_instance(type, divergence, 1);
  const Rational epsilon = ten_to_minus(250);
  instance.groups[0].reward = {Rational(1, 2) + epsilon, Rational(1, 2) - epsilon};
  validate(instance);
  return instance;
}

template <class Num>
class ScoreGapsBelowPrecision : public ::testing::Test {};
TYPED_TEST_SUITE(ScoreGapsBelowPrecision, testing::AllScalars);

TYPED_TEST(ScoreGapsBelowPrecision, PointMassOnTheArgMax) {
  using Num = TypeParam;
  for (const char* divergence : {"kl", "chi2", "tv", "reverse-kl", "hellinger"}) {
    const Instance instance = near_tie(divergence);
    if (!exact_arithmetic_applies(instance) && ScalarTraits<Num>::exact) continue;
    const auto outcome = solve_instance<Num>(instance);
    // KL, χ² and TV put exactly zero mass on outcome 1; Hellinger π₁(λ/2ε)² ≈ 1.25·10⁻¹⁰¹;
    // reverse KL's polynomial tail π₁λ/2ε ≈ 2.5·10⁻⁵¹. (Rounded scores gave (1/2, 1/2).)
    const Rational tail =
        std::string(divergence) == "reverse-kl"  ? Rational(1, 400000) * ten_to_minus(45)
        : std::string(divergence) == "hellinger" ? Rational(1, 8) * ten_to_minus(100)
                                                 : Rational(0);
    EXPECT_TRUE(testing::near_rational(outcome.solution.policy[1], tail)) << divergence;
    EXPECT_TRUE(testing::near_rational(outcome.solution.policy[0], 1 - tail)) << divergence;
    EXPECT_TRUE(testing::near_rational(outcome.valuations[0], Rational(1, 2) + ten_to_minus(250)))
        << divergence;
  }
}

TYPED_TEST(ScoreGapsBelowPrecision, FloatsAgreeWithTheExactChi2AndTvOptima) {
  using Num = TypeParam;
  for (const char* divergence : {"chi2", "tv"}) {
    const Instance instance = near_tie(divergence);
    const auto exact = solve_instance<Rational>(instance);
    EXPECT_EQ(exact.solution.policy[0], 1) << divergence;
    EXPECT_EQ(exact.solution.policy[1], 0) << divergence;
    const auto rounded = solve_instance<Num>(instance);
    for (Eigen::Index x = 0; x < 2; ++x)
      EXPECT_TRUE(testing::near_rational(rounded.solution.policy[x], exact.solution.policy[x]))
          << divergence << " x = " << x;
    EXPECT_TRUE(testing::near_rational(rounded.solution.objective, exact.solution.objective))
        << divergence;
    EXPECT_TRUE(testing::near_rational(rounded.solution.divergence, exact.solution.divergence))
        << divergence;
    EXPECT_TRUE(testing::near_rational(rounded.payments[0], exact.payments[0])) << divergence;
  }
}

// Two groups whose rewards differ by 1/3 between the outcomes but whose scores differ by 2ε:
// s = (1 + ε, 1 − ε). Truthfully ψ = δ₀; without A, B's scores (2/3, 1/3) also pick δ₀, so A pays
// 0; without B, A's scores pick δ₁, so B pays (2/3 − ε) − (1/3 + ε) = 1/3 − 2ε. The rounded
// scores gave ψ = π and A's payment 1/6 at every precision.
TYPED_TEST(ScoreGapsBelowPrecision, PaymentsOfGroupsWhoseScoresNearlyCancel) {
  using Num = TypeParam;
  for (const char* divergence : {"kl", "chi2", "tv", "reverse-kl", "hellinger"}) {
    Instance instance = tiny_lambda_instance("sw-max", divergence, 2);
    if (!exact_arithmetic_applies(instance) && ScalarTraits<Num>::exact) continue;
    const Rational epsilon = ten_to_minus(250);
    instance.groups[0].reward = {Rational(1, 3) + epsilon, Rational(2, 3) - epsilon};
    instance.groups[1].reward = {Rational(2, 3), Rational(1, 3)};
    validate(instance);
    const auto outcome = solve_instance<Num>(instance);
    // Both payments are exact up to terms of order ψ(1) ≤ 10⁻⁵⁰ (reverse KL's tail; KL, χ², TV:
    // 0 or O(λ)).
    const Num allowed = from_rational<Num>(ten_to_minus(45));
    EXPECT_GE(outcome.solution.policy[0], Num(1) - allowed) << divergence;
    EXPECT_LE(testing::abs_of(outcome.payments[0]), allowed) << divergence;
    EXPECT_LE(testing::abs_of(
                  Num(outcome.payments[1] - from_rational<Num>(Rational(1, 3) - 2 * epsilon))),
              std::max(allowed, Num(10 * ScalarTraits<Num>::tolerance())))
        << divergence;
  }
}

// A 300-digit Hellinger reference built independently of the solver: p(x) = π(x)·(λ/(t − g(x)))²
// with g the gaps below the top score and t > 0 found by geometric bisection of Σp = 1, so no
// difference near the singular point is ever formed.
using Float300 = boost::multiprecision::number<
    boost::multiprecision::mpfr_float_backend<300, boost::multiprecision::allocate_stack>,
    boost::multiprecision::et_off>;

struct HellingerReference {
  Vector<Float300> policy;
  Float300 objective, divergence;
};

HellingerReference hellinger_reference(const Vector<Float300>& scores,
                                       const Vector<Float300>& initial, const Float300& lambda) {
  const Float300 top = scores.maxCoeff();
  auto mass = [&](const Float300& t) {
    Float300 total = 0;
    for (Eigen::Index x = 0; x < scores.size(); ++x) {
      const Float300 d = (t - (scores[x] - top)) / lambda;
      total += initial[x] / (d * d);
    }
    return total;
  };
  Float300 low = lambda * Float300("1e-200"), high = lambda;  // mass(low) > 1 ≥ mass(high)
  for (int i = 0; i < 2000; ++i) {
    const Float300 middle = sqrt(low * high);
    (mass(middle) > 1 ? low : high) = middle;
  }
  HellingerReference out;
  out.policy.resize(scores.size());
  out.divergence = 0;
  for (Eigen::Index x = 0; x < scores.size(); ++x) {
    const Float300 d = (low - (scores[x] - top)) / lambda;
    out.policy[x] = initial[x] / (d * d);
  }
  out.policy /= out.policy.sum();
  for (Eigen::Index x = 0; x < scores.size(); ++x) {
    const Float300 root_gap = sqrt(out.policy[x]) - sqrt(initial[x]);
    out.divergence += lambda * root_gap * root_gap;  // π(√(p/π) − 1)² = (√p − √π)²
  }
  out.objective = out.policy.dot(scores) - out.divergence;
  return out;
}

// π = 10⁻³⁰⁰ on the top outcome: μ sits a relative ~10⁻¹⁵⁰ from −λ, which 100 digits could not
// represent; the solve escalated to 200 digits and came back right to ~50 digits only.
TEST(HellingerTinyInitialMassOnTop, HundredDigitPaymentsAgreeWithA300DigitReference) {
  for (const char* lambda : {"1/10", "1/100", "1/1000", "1e-6"}) {
    Instance instance = read_instance(parse_exact_json(
        std::string(R"({"normalization": "sum", "initial": ["1e-300", "1/2", "1/2"],
      "max_group_size": 2, "rule": {"type": "sw-max", "divergence": "hellinger", "lambda": ")") +
        lambda + R"("}, "groups": [{"reward": ["2/3", 0, "1/3"], "size": 1},
      {"reward": ["1/4", "1/2", "1/4"], "size": 2}]})"));
    const auto outcome = solve_instance<Float100>(instance);
    const Float300 lambda_300 = Float300(instance.rule.lambda);
    const Vector<Float300> initial = from_rationals<Float300>(instance.initial);
    const Profile<Float300> profile = profile_of<Float300>(instance);
    const HellingerReference chosen =
        hellinger_reference(aggregate_scores(profile), initial, lambda_300);
    EXPECT_GT(chosen.policy[0], Float300("0.5")) << lambda;  // the top outcome takes the mass
    auto expect_close = [&](const Float100& actual, const Float300& expected, const char* what) {
      const Float300 error = abs(Float300(actual) - expected);
      EXPECT_LE(error, Float300("1e-95") * std::max(Float300(1), Float300(abs(expected))))
          << what << " at λ = " << lambda << ": " << actual.str(100) << " vs " << expected.str(100);
    };
    for (Eigen::Index x = 0; x < 3; ++x)
      expect_close(outcome.solution.policy[x], chosen.policy[x], "policy");
    expect_close(outcome.solution.divergence, chosen.divergence, "divergence");
    expect_close(outcome.solution.objective, chosen.objective, "objective");
    for (Eigen::Index i = 0; i < 2; ++i) {
      const Vector<Float300> others = aggregate_scores(profile, i);
      const Float300 payment = hellinger_reference(others, initial, lambda_300).objective -
                               (chosen.policy.dot(others) - chosen.divergence);
      expect_close(outcome.payments[i], payment, "payment");
    }
  }
}

// Welfare rules solve on rounded rewards. Beyond 200 digits of conditioning their answer is
// the λ → 0 limit only when 200 digits tell the rewards apart; here they cannot, so no
// precision is claimed: NumericalFailure, which `mechcheck solve` reports with exit 3.
TEST(UnguaranteedResults, WelfareRuleWithGapsBeyond200DigitsThrowsNumericalFailure) {
  for (const char* type : {"maxmin", "nash"}) {
    const Instance instance = near_tie("kl", type);
    EXPECT_GT(resolution_digits(instance), 200);
    try {
      (void)solve_instance<Float100>(instance);
      ADD_FAILURE() << type << ": expected NumericalFailure";
    } catch (const NumericalFailure& failure) {
      EXPECT_NE(std::string(failure.what()).find("rule rounds the rewards"), std::string::npos)
          << failure.what();
    }
    EXPECT_THROW((void)solve_instance<double>(instance), NumericalFailure) << type;
  }
}

// λ = 10⁻¹⁵⁰ and rewards 2λ apart: 200 digits leave 50 correct digits of s/λ, enough for
// double but not for 100 digits, and the gap is far too close to λ for the λ → 0 limit.
TEST(UnguaranteedResults, WelfareRuleAnsweredOnlyToTheDigitsThatRemain) {
  Instance instance = near_tie("kl", "maxmin");
  instance.rule.lambda = ten_to_minus(150);
  instance.groups[0].reward = {Rational(1, 2) + instance.rule.lambda,
                               Rational(1, 2) - instance.rule.lambda};
  validate(instance);
  EXPECT_THROW((void)solve_instance<Float100>(instance), NumericalFailure);
  const auto coarse = solve_instance<double>(instance);  // at 200 digits, rounded
  EXPECT_GT(coarse.solution.policy[0], 0.5);
  EXPECT_NEAR(coarse.solution.policy.sum(), 1.0, 1e-15);
}

TEST(UnguaranteedResults, ResolutionDigitsCountTheSmallestGap) {
  const Instance instance = near_tie("kl");
  EXPECT_EQ(resolution_digits(instance), 250);  // ⌈log10((1/2 + ε)/(2ε))⌉
  EXPECT_EQ(conditioning_digits(instance), 300);
  Instance coarse = instance;
  coarse.groups[0].reward = {Rational(3, 4), Rational(1, 4)};
  EXPECT_EQ(resolution_digits(coarse), 1);  // (3/4)/(1/2)
}

}  // namespace
}  // namespace mechcheck

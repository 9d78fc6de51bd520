// Inputs at the edges the paper assumes away: λ = 1e-6, scores up to w̄ = 1000, huge λ,
// extremely skewed initial models, many outcomes. No NaN, no overflow, agreement across
// precisions.
#include <gtest/gtest.h>

#include <cmath>

#include "solver/instance_solver.hpp"
#include "solver/instantiations.hpp"
#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"
#include "tests/support/scalar_expect.hpp"

namespace mechcheck {
namespace {

// n groups, m outcomes, max-normalized rewards with exact ties and zeros, sizes up to 1000.
template <class S>
Profile<S> heavy_profile(int m, int n) {
  Profile<S> profile{Matrix<S>(m, n), Vector<S>(n)};
  for (int i = 0; i < n; ++i) {
    for (int x = 0; x < m; ++x)
      profile.rewards(x, i) = from_rational<S>(Rational((x * 7 + i * 3) % 11, 10));
    profile.rewards.col(i) /= profile.rewards.col(i).maxCoeff();
    profile.sizes[i] = S(1000 - 37 * i);
  }
  return profile;
}

template <class S>
Vector<S> skewed_initial(int m, const Rational& smallest) {
  Vector<S> initial(m);
  Rational rest = 1;
  for (int x = 1; x < m; ++x) {
    initial[x] = from_rational<S>(smallest);
    rest -= smallest;
  }
  initial[0] = from_rational<S>(rest);
  return initial;
}

template <class S>
MechanismOutcome<S> run(DivergenceKind kind, const Rational& lambda, int m, int n,
                        const Rational& smallest) {
  Mechanism<S> mechanism{SwMaxRule<S>{kind, from_rational<S>(lambda)},
                         PaymentType::affine_maximizer, skewed_initial<S>(m, smallest)};
  return run_mechanism(mechanism, heavy_profile<S>(m, n));
}

template <class S>
bool all_finite(const MechanismOutcome<S>& outcome) {
  using std::isfinite;
  auto check = [](const Vector<S>& v) {
    for (Eigen::Index i = 0; i < v.size(); ++i)
      if (!isfinite(v[i])) return false;
    return true;
  };
  return check(outcome.solution.policy) && check(outcome.payments) && check(outcome.utilities) &&
         isfinite(outcome.solution.objective) && isfinite(outcome.solution.divergence);
}

struct Extreme {
  DivergenceKind kind;
  Rational lambda;
  int m, n;
  Rational smallest_initial;
};

class ExtremeInputs : public ::testing::TestWithParam<Extreme> {};

TEST_P(ExtremeInputs, FiniteAndDoubleAgreesWith100Digits) {
  const Extreme& e = GetParam();
  const auto fine = run<Float100>(e.kind, e.lambda, e.m, e.n, e.smallest_initial);
  const auto coarse = run<double>(e.kind, e.lambda, e.m, e.n, e.smallest_initial);
  ASSERT_TRUE(all_finite(fine));
  ASSERT_TRUE(all_finite(coarse));
  EXPECT_LE(abs(fine.solution.policy.sum() - 1), Float100("1e-90"));
  EXPECT_NEAR(coarse.solution.policy.sum(), 1.0, 1e-12);
  const double scale = std::max(1.0, std::abs(fine.solution.objective.convert_to<double>()));
  EXPECT_NEAR(coarse.solution.objective, fine.solution.objective.convert_to<double>(),
              1e-9 * scale);
  for (Eigen::Index i = 0; i < coarse.payments.size(); ++i) {
    EXPECT_NEAR(coarse.payments[i], fine.payments[i].convert_to<double>(), 1e-9 * scale)
        << "group " << i;
    EXPECT_GE(fine.payments[i], -Float100("1e-85") * scale) << "group " << i;
  }
  for (Eigen::Index x = 0; x < coarse.solution.policy.size(); ++x)
    EXPECT_NEAR(coarse.solution.policy[x], fine.solution.policy[x].convert_to<double>(), 1e-9);
}

INSTANTIATE_TEST_SUITE_P(
    Edges, ExtremeInputs,
    ::testing::Values(
        Extreme{DivergenceKind::kl, Rational(1, 1000000), 10, 3, Rational(1, 100)},
        Extreme{DivergenceKind::kl, Rational(1, 1000000), 200, 5, Rational(1, 1000)},
        Extreme{DivergenceKind::kl, Rational(1000000), 10, 3, Rational(1, 100)},
        Extreme{DivergenceKind::kl, Rational(1, 1000), 10, 3, Rational(1, 1000000000)},
        Extreme{DivergenceKind::chi2, Rational(1, 1000000), 50, 3, Rational(1, 1000)},
        Extreme{DivergenceKind::chi2, Rational(1000000), 50, 3, Rational(1, 1000)},
        Extreme{DivergenceKind::tv, Rational(1, 1000000), 20, 3, Rational(1, 100)},
        Extreme{DivergenceKind::reverse_kl, Rational(1, 1000), 10, 3, Rational(1, 100)},
        Extreme{DivergenceKind::hellinger, Rational(1, 1000), 10, 3, Rational(1, 100)}));

// With λ = 1e-6 and scores in the thousands, exp(s/λ) would overflow any double: the policy
// must still put (numerically) all mass on the top-scored outcomes.
TEST(KlExtremes, TinyLambdaConcentratesOnTheArgMax) {
  Vector<double> scores(3), initial(3);
  scores << 3000.0, 2999.0, 0.0;
  initial << 0.25, 0.25, 0.5;
  auto solution = solve_sw_max(SwMaxRule<double>{DivergenceKind::kl, 1e-6}, scores, initial);
  EXPECT_EQ(solution.policy[0], 1.0);
  EXPECT_EQ(solution.policy[1], 0.0);
  EXPECT_NEAR(solution.objective, 3000.0 + 1e-6 * std::log(0.25), 1e-12);
  EXPECT_NEAR(solution.divergence, -1e-6 * std::log(0.25),
              1e-15);  // = λ log(1/π₀), no cancellation
}

}  // namespace
}  // namespace mechcheck

// Regressions from fuzzing the input path (scripts/fuzz.sh): each once gave a NaN, a negative
// divergence or an exception on valid input.
namespace mechcheck {
namespace {

Instance two_outcome_instance(const char* divergence, const char* lambda,
                              const char* small_initial) {
  return read_instance(parse_exact_json(
      std::string(R"({"normalization": "sum", "initial": [")") + small_initial +
      R"(", "1"], "max_group_size": 1, "rule": {"type": "sw-max", "divergence": ")" + divergence +
      R"(", "lambda": ")" + lambda + R"("}, "groups": [{"reward": ["1", "0"], "size": 1}]})"));
}

TEST(FuzzRegressions, HugeLambdaKeepsDivergenceNonNegativeAndAccurate) {
  // λ = 1e17, π = (1/2, 1/2): D = Var_π(s)/(2λ) + O(λ⁻²) = 1.25e-18.
  const Instance kl =
      read_instance(parse_exact_json(R"({"normalization": "sum", "initial": ["1/2","1/2"],
    "max_group_size": 1, "rule": {"type": "sw-max", "divergence": "kl", "lambda": "1e17"},
    "groups": [{"reward": ["1","0"], "size": 1}]})"));
  const auto outcome = solve_instance<double>(kl);
  EXPECT_GE(outcome.solution.divergence, 0);
  EXPECT_NEAR(outcome.solution.divergence, 1.25e-18, 1e-16);
  EXPECT_GE(outcome.payments[0], 0);
  Instance chi2 = kl;
  chi2.rule.divergence = DivergenceKind::chi2;
  chi2.rule.lambda = Rational(boost::multiprecision::pow(boost::multiprecision::mpz_int(10), 29));
  const auto exact = solve_instance<Rational>(chi2);
  const auto coarse = solve_instance<double>(chi2);
  EXPECT_NEAR(coarse.solution.objective, Float50(exact.solution.objective).convert_to<double>(),
              1e-15);
  EXPECT_NEAR(coarse.solution.divergence, Float50(exact.solution.divergence).convert_to<double>(),
              1e-15);
}

TEST(FuzzRegressions, HugeLambdaReverseKlAndHellingerDivergenceIsNonNegative) {
  // λ = 10¹²: the linear parts of f cancel only up to λ·(Σp − 1) ≈ 10⁻⁴ in double; D_f is now
  // summed as Σ π (f(r) − f′(1)(r − 1)), every term ≥ 0. D ≈ Var_π(s)/(2λ) ≈ 2.8e-14 here.
  for (const char* divergence : {"reverse-kl", "hellinger"}) {
    const Instance instance = read_instance(parse_exact_json(std::string(R"({"normalization": "sum",
      "initial": "uniform", "max_group_size": 1, "rule": {"type": "sw-max", "divergence": ")") +
                                                             divergence + R"(", "lambda": 1e+12},
      "groups": [{"reward": [0, "1/2", "1/2"], "size": 1}]})"));
    const auto outcome = solve_instance<double>(instance);
    const auto reference = solve_instance<Float100>(instance);
    EXPECT_GE(outcome.solution.divergence, 0) << divergence;
    EXPECT_GE(outcome.payments[0], 0) << divergence;
    EXPECT_NEAR(outcome.payments[0], reference.payments[0].convert_to<double>(), 1e-15)
        << divergence;
  }
}

TEST(FuzzRegressions, TinyLambdaSeparableRulesFindTheirMultiplier) {
  // λ = 3e-244 next to scores 1/2: μ − s_max ≈ λ, unrepresentable next to s_max even at 200
  // digits; relative to the top score it is an ordinary number.
  for (const char* divergence : {"reverse-kl", "hellinger"}) {
    const Instance instance = read_instance(parse_exact_json(std::string(R"({"normalization": "sum",
      "initial": "uniform", "max_group_size": 1, "rule": {"type": "sw-max", "divergence": ")") +
                                                             divergence + R"(", "lambda": 3e-244},
      "groups": [{"reward": [0, "1/2", "1/2"], "size": 1}]})"));
    const auto outcome = solve_instance<double>(instance);
    EXPECT_NEAR(outcome.solution.policy[1], 0.5, 1e-12) << divergence;
    EXPECT_NEAR(outcome.solution.policy[2], 0.5, 1e-12) << divergence;
    EXPECT_LE(outcome.solution.policy[0], 1e-200) << divergence;
    EXPECT_GE(outcome.payments[0], 0) << divergence;
  }
}

TEST(FuzzRegressions, InitialProbabilitiesBelowDoubleRangeGiveNoNaN) {
  // π = (1e-4000, 1 − 1e-4000) normalized: π₀ underflows in double, so the solve runs in MPFR.
  for (const char* divergence : {"kl", "chi2", "tv"}) {
    const Instance instance = two_outcome_instance(divergence, "1", "1e-4000");
    const auto outcome = solve_instance<double>(instance);
    EXPECT_TRUE(std::isfinite(outcome.solution.objective)) << divergence;
    EXPECT_TRUE(std::isfinite(outcome.solution.divergence)) << divergence;
    EXPECT_TRUE(std::isfinite(outcome.payments[0])) << divergence;
  }
}

TEST(FuzzRegressions, ConditioningBeyond200DigitsStillSolves) {
  // λ = 1e-4000: χ² is solved exactly and rounded; KL falls back to its λ → 0 limit at 200 digits.
  for (const char* divergence : {"chi2", "kl"}) {
    const Instance instance = two_outcome_instance(divergence, "1e-4000", "1e-30");
    const auto outcome = solve_instance<double>(instance);
    EXPECT_EQ(outcome.solution.policy[0], 1.0) << divergence;
    EXPECT_EQ(outcome.solution.policy[1], 0.0) << divergence;
    EXPECT_NEAR(outcome.solution.objective, 1.0, 1e-15) << divergence;
  }
}

TEST(FuzzRegressions, SingularMultiplierEscalatesPrecisionInsteadOfThrowing) {
  // The top outcome's π is tiny: μ lies within double rounding of s_max − sup f′.
  for (const char* divergence : {"reverse-kl", "hellinger"}) {
    const Instance instance = two_outcome_instance(divergence, "1", "1e-40");
    const auto outcome = solve_instance<double>(instance);
    EXPECT_TRUE(std::isfinite(outcome.solution.objective)) << divergence;
    EXPECT_NEAR(outcome.solution.policy.sum(), 1.0, 1e-12) << divergence;
  }
}

}  // namespace
}  // namespace mechcheck

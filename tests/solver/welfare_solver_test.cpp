// MaxMin, Nash and the α-fair family: optimality checked without the solver's dual — by the
// primal objective against feasible perturbations and by each rule's stationarity condition
// written out here — plus the certificate, the family's joints and the solve pipeline.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "generators/instance_gen.hpp"
#include "solver/instance_solver.hpp"
#include "solver/instantiations.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck {
namespace {

using S = Float100;

gen::InstanceShape welfare_shape() {
  gen::InstanceShape shape;
  shape.min_outcomes = 2;
  shape.max_outcomes = 5;
  shape.min_groups = 1;
  shape.max_groups = 4;
  shape.max_group_size = 4;
  shape.divergences = {DivergenceKind::kl, DivergenceKind::chi2, DivergenceKind::reverse_kl,
                       DivergenceKind::hellinger};
  return shape;
}

// The rule's objective F(v) − D_f(ψ‖π) at any policy, written from the definitions.
S primal_objective(const Instance& instance, const Vector<S>& policy) {
  const Mechanism<S> mechanism = mechanism_of<S>(instance);
  const Profile<S> profile = profile_of<S>(instance);
  const Vector<S> v = profile.rewards.transpose() * policy;
  const S divergence = divergence_value(mechanism.rule, policy, mechanism.initial);
  S welfare = 0;
  switch (instance.rule.type) {
    case RuleType::maxmin:
      welfare = v.cwiseProduct(profile.sizes).minCoeff();
      break;
    case RuleType::nash:
      for (Eigen::Index i = 0; i < v.size(); ++i) welfare += profile.sizes[i] * log(v[i]);
      break;
    default: {
      const S q = 1 - mechanism.alpha;
      for (Eigen::Index i = 0; i < v.size(); ++i) welfare += profile.sizes[i] * pow(v[i], q) / q;
    }
  }
  return welfare - divergence;
}

Instance with_rule(Instance instance, RuleType type, Rational alpha = 0) {
  instance.rule.type = type;
  instance.rule.alpha = alpha;
  return instance;
}

// No feasible direction improves the objective: mixing ψ with any vertex or with π, in small
// steps, never gains more than rounding.
void expect_no_improving_mix(const Instance& instance, const Vector<S>& policy) {
  const S at_optimum = primal_objective(instance, policy);
  const Eigen::Index m = policy.size();
  std::vector<Vector<S>> targets;
  for (Eigen::Index x = 0; x < m; ++x) targets.push_back(Vector<S>::Unit(m, x));
  targets.push_back(from_rationals<S>(instance.initial));
  for (const Vector<S>& target : targets)
    for (const char* step : {"1e-3", "1e-6"}) {
      const Vector<S> moved = policy + S(step) * (target - policy);
      RC_ASSERT(primal_objective(instance, moved) <= at_optimum + S("1e-80"));
    }
}

RC_GTEST_PROP(WelfareSolver, MaxMinIsOptimalAndCertified, ()) {
  const Instance instance = with_rule(*gen::instances(welfare_shape()), RuleType::maxmin);
  const auto solved = solve_rule(mechanism_of<S>(instance), profile_of<S>(instance));
  RC_ASSERT(solved.duality_gap >= S("-1e-85"));
  RC_ASSERT(solved.duality_gap <= S("1e-80"));
  expect_no_improving_mix(instance, solved.solution.policy);
}

RC_GTEST_PROP(WelfareSolver, NashIsStationaryAndCertified, ()) {
  const Instance instance = with_rule(*gen::instances(welfare_shape()), RuleType::nash);
  const Mechanism<S> mechanism = mechanism_of<S>(instance);
  const Profile<S> profile = profile_of<S>(instance);
  const auto solved = solve_rule(mechanism, profile);
  RC_ASSERT(solved.duality_gap <= S("1e-80"));
  // Stationarity: ψ is the SW-Max optimum for the weights ∂F/∂v_i = w_i / v_i.
  const Vector<S> v = profile.rewards.transpose() * solved.solution.policy;
  const Vector<S> weights = profile.sizes.cwiseQuotient(v);
  const Vector<S> again =
      solve_sw_max(mechanism.rule, Vector<S>(profile.rewards * weights), mechanism.initial).policy;
  RC_ASSERT((again - solved.solution.policy).cwiseAbs().maxCoeff() <= S("1e-80"));
  expect_no_improving_mix(instance, solved.solution.policy);
}

RC_GTEST_PROP(WelfareSolver, AlphaFairIsOptimal, ()) {
  const Rational alpha = *rc::gen::element(Rational(1, 2), Rational(2), Rational(5));
  const Instance instance =
      with_rule(*gen::instances(welfare_shape()), RuleType::power_mean, alpha);
  const auto solved = solve_rule(mechanism_of<S>(instance), profile_of<S>(instance));
  RC_ASSERT(solved.duality_gap <= S("1e-80"));
  expect_no_improving_mix(instance, solved.solution.policy);
}

// Two outcomes, group 1 wants x₁ (size 1), group 2 wants x₂ (size 3); KL with λ = 1, π uniform.
// With ψ = (a, 1 − a) the objectives are one-dimensional and solved here by hand.
Instance opposed_groups() {
  Instance instance;
  instance.outcomes = indexed_outcomes(2);
  instance.initial = {Rational(1, 2), Rational(1, 2)};
  instance.max_group_size = 3;
  instance.rule = TrainingRule{RuleType::sw_max, DivergenceKind::kl, Rational(1)};
  instance.groups = {Group{{1, 0}, 1}, Group{{0, 1}, 3}};
  validate(instance);
  return instance;
}

TEST(WelfareSolver, MaxMinClosedForm) {
  // min(a, 3(1 − a)) − KL: on the branch min = a the optimum is log(a/(1 − a)) = 1, i.e.
  // a = e/(1 + e) ≈ 0.731 < 3/4, where group 2 (w₂v₂ ≈ 0.807) is not binding: θ = (1, 0).
  const Instance instance = with_rule(opposed_groups(), RuleType::maxmin);
  const auto solved = solve_rule(mechanism_of<S>(instance), profile_of<S>(instance));
  const S e = exp(S(1));
  EXPECT_LE(abs(S(solved.solution.policy[0] - e / (1 + e))), S("1e-95"));
  EXPECT_EQ(solved.weights[1], 0);
  EXPECT_LE(abs(solved.duality_gap), S("1e-95"));
}

TEST(WelfareSolver, NashMatchesBisection) {
  // log a + 3 log(1 − a) − KL: stationary where 1/a − 3/(1 − a) − log(a/(1 − a)) = 0.
  const Instance instance = with_rule(opposed_groups(), RuleType::nash);
  const auto solved = solve_rule(mechanism_of<S>(instance), profile_of<S>(instance));
  S low("1e-9"), high = S(1) - S("1e-9");
  for (int i = 0; i < 400; ++i) {
    const S a = (low + high) / 2;
    (1 / a - 3 / (1 - a) - log(a / (1 - a)) > 0 ? low : high) = a;
  }
  EXPECT_LE(abs(S(solved.solution.policy[0] - low)), S("1e-95"));
}

TEST(WelfareSolver, RefusesExactArithmetic) {
  const Instance instance = with_rule(opposed_groups(), RuleType::maxmin);
  EXPECT_THROW(solve_rule(mechanism_of<Rational>(instance), profile_of<Rational>(instance)),
               UnsupportedPrecision);
  EXPECT_THROW(require_precision_supported(instance, Precision::exact), SpecError);
}

TEST(WelfareSolver, AlphaFairJoinsSwMaxAndNash) {
  const Instance instance = opposed_groups();
  const Vector<S> sw_max =
      solve_rule(mechanism_of<S>(instance), profile_of<S>(instance)).solution.policy;
  const Vector<S> alpha_zero =
      solve_rule(mechanism_of<S>(with_rule(instance, RuleType::power_mean, 0)),
                 profile_of<S>(instance))
          .solution.policy;
  EXPECT_LE((sw_max - alpha_zero).cwiseAbs().maxCoeff(), S("1e-90"));
  const Vector<S> nash =
      solve_rule(mechanism_of<S>(with_rule(instance, RuleType::nash)), profile_of<S>(instance))
          .solution.policy;
  // Continuity in α at the Nash joint: α = 1 ± 10⁻⁸ moves the policy by O(10⁻⁸).
  for (const Rational& alpha :
       {Rational(1) - Rational(1, 100000000), Rational(1), Rational(1) + Rational(1, 100000000)}) {
    const Vector<S> near_nash =
        solve_rule(mechanism_of<S>(with_rule(instance, RuleType::power_mean, alpha)),
                   profile_of<S>(instance))
            .solution.policy;
    EXPECT_LE((near_nash - nash).cwiseAbs().maxCoeff(), S("1e-7"));
    EXPECT_GT((near_nash - sw_max).cwiseAbs().maxCoeff(), S("1e-3"));
  }
}

// fuzz_instance's finding: at α = 622 the dual weights w·v^(α−1) and F itself leave double's
// range. The double dual refuses (it used to return a NaN policy) and solve_instance<double>
// escalates to more digits, whose answer it rounds.
// β ≈ 10^187: near the top of double's range, beyond it on the way for a less careful dual.
TEST(WelfareSolver, PowerMeanNearDoubleRangeMatches100Digits) {
  const Instance instance = read_instance(nlohmann::json::parse(R"({
    "normalization": "sum", "initial": ["1/4", "1/4", "1/2"], "max_group_size": 3,
    "rule": {"type": "power-mean", "alpha": "622", "divergence": "hellinger", "lambda": "11"},
    "payment": {"type": "zero"},
    "groups": [{"reward": ["1/2", "1/4", "1/4"], "size": 2}]})"));
  const MechanismOutcome<double> outcome = solve_instance<double>(instance);
  const RuleSolution<S> precise = solve_rule(mechanism_of<S>(instance), profile_of<S>(instance));
  ASSERT_EQ(outcome.solution.policy.size(), 3);
  for (Eigen::Index x = 0; x < 3; ++x) {
    ASSERT_TRUE(std::isfinite(outcome.solution.policy[x]));
    EXPECT_NEAR(outcome.solution.policy[x], static_cast<double>(precise.solution.policy[x]), 1e-12);
  }
  EXPECT_TRUE(std::isfinite(outcome.solution.objective));
}

// fuzz_instance's second finding: two groups whose optimum balances them, where the dual
// weights grow like v^(−α). Newton on β alone stalled from α ≈ 20 at every precision.
Instance balanced_pair(const std::string& alpha) {
  return read_instance(nlohmann::json::parse(R"({
    "normalization": "sum", "initial": ["1/4", "1/4", "1/2"], "max_group_size": 3,
    "rule": {"type": "power-mean", "alpha": ")" +
                                             alpha + R"(", "divergence": "hellinger",
             "lambda": "1/2"},
    "payment": {"type": "zero"},
    "groups": [{"reward": ["1/2", "1/4", "1/4"], "size": 1},
               {"reward": ["0", "1/2", "1/2"], "size": 2}]})"));
}

// Large α: the solve pipeline answers (escalating as far as the weights need), the double
// answer is the 50-digit one, no mix with a vertex or π improves the primal objective (relative to
// its size, which grows like v^(1−α)), and the optimum approaches the max-min point v_1 = v_2 = 1/3
// (ψ_0 = 1/3, the regularizer's pull vanishing like λ·v^α).
TEST(WelfareSolver, PowerMeanLargeAlphaSolvesAndApproachesMaxMin) {
  double previous_gap = 1;
  for (const char* alpha : {"20", "50", "100"}) {
    SCOPED_TRACE(alpha);
    const Instance instance = balanced_pair(alpha);
    const MechanismOutcome<double> outcome = solve_instance<double>(instance);
    const MechanismOutcome<Float50> precise = solve_instance<Float50>(instance);
    for (Eigen::Index x = 0; x < 3; ++x)
      EXPECT_NEAR(outcome.solution.policy[x], static_cast<double>(precise.solution.policy[x]),
                  1e-12);
    const Vector<S> policy = precise.solution.policy.cast<S>();
    const S at_optimum = primal_objective(instance, policy);
    for (Eigen::Index x = 0; x < 4; ++x) {
      const Vector<S> target =
          x < 3 ? Vector<S>(Vector<S>::Unit(3, x)) : from_rationals<S>(instance.initial);
      const Vector<S> moved = policy + S("1e-6") * (target - policy);
      EXPECT_LE(primal_objective(instance, moved), at_optimum + S("1e-40") * abs(at_optimum));
    }
    const double gap = 1.0 / 3 - outcome.solution.policy[0];
    EXPECT_GT(gap, 0);
    EXPECT_LT(gap, previous_gap);
    previous_gap = gap;
  }
  EXPECT_LT(previous_gap, 0.01);
}

// fuzz_instance: with λ = 5·10⁵⁸ and weights ~10³⁰ the optimum sits 10⁻²⁹ from π, which double
// rounds to π itself: the divergence came out 0 where it is 39.8. Now escalated, and right.
TEST(WelfareSolver, PowerMeanDivergenceNearInitialPolicyIsResolved) {
  const Instance instance = read_instance(nlohmann::json::parse(R"({
    "normalization": "sum", "initial": ["1/4", "1/4", "1/2"], "max_group_size": 3,
    "rule": {"type": "power-mean", "alpha": "61", "divergence": "hellinger",
             "lambda": "49999999999999999999999999999999999999999999999999999999961"},
    "payment": {"type": "zero"},
    "groups": [{"reward": ["1/2", "1/4", "1/4"], "size": 2}]})"));
  const MechanismOutcome<double> outcome = solve_instance<double>(instance);
  const MechanismOutcome<Float100> precise = solve_instance<Float100>(instance);
  EXPECT_GT(static_cast<double>(precise.solution.divergence), 39);
  EXPECT_NEAR(outcome.solution.divergence, static_cast<double>(precise.solution.divergence),
              1e-9 * static_cast<double>(precise.solution.divergence));
}

// Beyond what 200 digits resolve, the solver says so — a PrecisionExhausted naming the scale —
// instead of iterating or answering.
TEST(WelfareSolver, PowerMeanBeyondEveryPrecisionIsDeclared) {
  try {
    solve_instance<double>(balanced_pair("51843701/2"));
    ADD_FAILURE() << "solved";
  } catch (const PrecisionExhausted& e) {
    EXPECT_NE(std::string(e.what()).find("dual weights reach 10^"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("up to 200 digits"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mechcheck

// Finite training (solver/finite_training.hpp): mirror descent's closed form against the
// iteration itself, both trainers' convergence to the SW-Max optimum, and the simplex
// projection's optimality — each checked against something the trainer does not compute.
#include "solver/finite_training.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "generators/instance_gen.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {
namespace {

using F = Float100;

template <class S>
S max_distance(const Vector<S>& a, const Vector<S>& b) {
  return (a - b).cwiseAbs().maxCoeff();
}

// Scores s = Σ w_i rm_i of a generated instance, and its π.
template <class S>
std::pair<Vector<S>, Vector<S>> scores_and_initial(const Instance& instance) {
  const Profile<S> profile = profile_of<S>(instance);
  return {aggregate_scores(profile), from_rationals<S>(instance.initial)};
}

gen::InstanceShape small_shape(DivergenceKind divergence) {
  gen::InstanceShape shape;
  shape.min_outcomes = 1;
  shape.max_outcomes = 6;
  shape.max_groups = 3;
  shape.divergences = {divergence};
  return shape;
}

RC_GTEST_PROP(FiniteTraining, MirrorDescentIsTheKlOptimumAtItsTemperature, ()) {
  const Instance instance = *gen::instances(small_shape(DivergenceKind::kl));
  const auto [scores, initial] = scores_and_initial<F>(instance);
  const F lambda = from_rational<F>(instance.rule.lambda);
  // η with 0 < ηλ ≤ 1, including ηλ = 1 (one step reaches the optimum).
  const int numerator = *rc::gen::inRange(1, 9);
  const F step_size = F(numerator) / F(8) / lambda;
  const long steps = *rc::gen::inRange(1, 25);
  const auto iterates = mirror_descent_iterates(lambda, step_size, steps, scores, initial);
  RC_ASSERT(iterates.size() == static_cast<std::size_t>(steps + 1));
  RC_ASSERT(max_distance(iterates[0], initial) == 0);
  for (long t = 1; t <= steps; ++t) {
    const F temperature = mirror_descent_temperature(lambda, step_size, t);
    RC_ASSERT(temperature >= lambda);
    const Vector<F> closed = solve_kl(scores, initial, temperature).policy;
    RC_ASSERT(max_distance(iterates[static_cast<std::size_t>(t)], closed) <= F("1e-85"));
  }
  // training_iterates (what the rule uses) is the same closed form.
  const SwMaxRule<F> rule{DivergenceKind::kl, lambda};
  const auto closed_iterates = training_iterates(
      rule, TrainerSteps<F>{TrainerMethod::mirror_descent, steps, step_size}, scores, initial);
  RC_ASSERT(max_distance(closed_iterates.back(), iterates.back()) <= F("1e-85"));
}

TEST(FiniteTraining, MirrorDescentTemperatureByHand) {
  // ηλ = 1/2: c_T = 1 − 2^−T, so λ_3 = λ/(7/8) = 16/7 for λ = 2.
  EXPECT_LE(abs(mirror_descent_temperature(F(2), F("0.25"), 3) - F(16) / F(7)), F("1e-95"));
  // ηλ = 1 reaches λ itself after one step; T = 0 is π (progress 0).
  EXPECT_EQ(mirror_descent_temperature(F(3), F(1) / F(3), 1), F(3));
  EXPECT_EQ(mirror_descent_progress(F(3), F("0.1"), 0), F(0));
}

RC_GTEST_PROP(FiniteTraining, MirrorDescentConvergesToTheOptimum, ()) {
  const Instance instance = *gen::instances(small_shape(DivergenceKind::kl));
  const auto [scores, initial] = scores_and_initial<F>(instance);
  const F lambda = from_rational<F>(instance.rule.lambda);
  const SwMaxRule<F> rule{DivergenceKind::kl, lambda};
  // ηλ = 1/2: the temperature is λ/(1 − 2^−T), within 2^−T·λ of λ.
  const TrainerSteps<F> trainer{TrainerMethod::mirror_descent, 140, F(1) / (2 * lambda)};
  const Vector<F> trained = train(rule, trainer, scores, initial).policy;
  RC_ASSERT(max_distance(trained, solve_sw_max(rule, scores, initial).policy) <= F("1e-30"));
}

RC_GTEST_PROP(FiniteTraining, SimplexProjectionIsTheNearestPoint, ()) {
  const int m = *rc::gen::inRange(1, 7);
  Vector<Rational> y(m);
  for (int x = 0; x < m; ++x) y[x] = Rational(*rc::gen::inRange(-20, 21), *rc::gen::inRange(1, 9));
  const Vector<Rational> theta = project_to_simplex(y);
  RC_ASSERT(theta.sum() == 1);
  for (int x = 0; x < m; ++x) RC_ASSERT(theta[x] >= 0);
  // Optimality: moving toward any vertex never brings the point nearer to y.
  const Rational distance = (y - theta).squaredNorm();
  for (int k = 0; k < m; ++k)
    for (const Rational& step : {Rational(1, 100), Rational(1, 3), Rational(1)}) {
      Vector<Rational> vertex = Vector<Rational>::Zero(m);
      vertex[k] = 1;
      const Vector<Rational> moved = (1 - step) * theta + step * vertex;
      RC_ASSERT((y - moved).squaredNorm() >= distance);
    }
}

// π with ratios at most 4 between outcomes, so that the step η = min π/(2λ) contracts every
// coordinate by at most 3/4 per step and 300 steps reach 1e-30.
Instance bounded_initial(Instance instance) {
  std::vector<Rational> weights;
  Rational total = 0;
  for (std::size_t x = 0; x < instance.initial.size(); ++x) {
    weights.push_back(Rational(*rc::gen::inRange(1, 5)));
    total += weights.back();
  }
  for (Rational& weight : weights) weight /= total;
  instance.initial = weights;
  return instance;
}

RC_GTEST_PROP(FiniteTraining, ProjectedGradientOnChi2ReachesTheOptimumExactly, ()) {
  const Instance instance = bounded_initial(*gen::instances(small_shape(DivergenceKind::chi2)));
  const auto [scores, initial] = scores_and_initial<Rational>(instance);
  const SwMaxRule<Rational> rule{DivergenceKind::chi2, instance.rule.lambda};
  const Rational step_size = initial.minCoeff() / (2 * instance.rule.lambda);
  const auto trained =
      train(rule, TrainerSteps<Rational>{TrainerMethod::projected_gradient, 300, step_size}, scores,
            initial);
  const Vector<Rational> optimum = solve_sw_max(rule, scores, initial).policy;
  RC_ASSERT(trained.policy.sum() == 1);  // exact rationals on the simplex
  RC_ASSERT(max_distance(trained.policy, optimum) <=
            Rational(1, 1000000) * Rational(1, 1000000) * Rational(1, 1000000) *
                Rational(1, 1000000) * Rational(1, 1000000));
  // The objective never beats the optimum.
  RC_ASSERT(trained.objective <= solve_sw_max(rule, scores, initial).objective);
}

TEST(FiniteTraining, ProjectedGradientOnUniformChi2IsExactInOneStep) {
  // With π uniform and η = π/(2λ) the step lands on the unconstrained optimum's projection,
  // which is the χ² optimum: exactly equal, not just close.
  const Vector<Rational> initial = Vector<Rational>::Constant(3, Rational(1, 3));
  const Vector<Rational> scores{{Rational(1), Rational(1, 2), Rational(0)}};
  const SwMaxRule<Rational> rule{DivergenceKind::chi2, Rational(1, 4)};
  const auto trained =
      train(rule, TrainerSteps<Rational>{TrainerMethod::projected_gradient, 1, Rational(2, 3)},
            scores, initial);
  EXPECT_EQ(trained.policy, solve_sw_max(rule, scores, initial).policy);
}

TEST(FiniteTraining, TvSubgradientTakesSignZeroAtTheInitialModel) {
  // Equal scores: the gradient step is 0 at θ = π (sign(0) = 0), so π stays put exactly.
  const Vector<Rational> initial{{Rational(1, 4), Rational(3, 4)}};
  const Vector<Rational> scores = Vector<Rational>::Constant(2, Rational(1, 2));
  const SwMaxRule<Rational> rule{DivergenceKind::tv, Rational(1)};
  const auto iterates = training_iterates(
      rule, TrainerSteps<Rational>{TrainerMethod::projected_gradient, 5, Rational(1, 10)}, scores,
      initial);
  ASSERT_EQ(iterates.size(), 6u);
  for (const auto& theta : iterates) EXPECT_EQ(theta, initial);
}

// The projected subgradient method's guarantee for its best iterate after T steps of size η:
// OPT − max_t f(θ_t) ≤ (R² + T·η²·G²)/(2Tη), R² = 2 the simplex's squared diameter and G the
// subgradient's norm, √m·(max|s| + λ).
RC_GTEST_PROP(FiniteTraining, TvSubgradientMeetsItsGuarantee, ()) {
  gen::InstanceShape shape = small_shape(DivergenceKind::tv);
  shape.max_groups = 2;
  shape.max_group_size = 1;
  Instance instance = *gen::instances(shape);
  instance.rule.lambda = Rational(1, *rc::gen::inRange(1, 6));
  const auto [scores, initial] = scores_and_initial<double>(instance);
  const SwMaxRule<double> rule{DivergenceKind::tv, from_rational<double>(instance.rule.lambda)};
  const double best = solve_sw_max(rule, scores, initial).objective;
  const long steps = 20000;
  const double step_size = 1e-3;
  const auto iterates = training_iterates(
      rule, TrainerSteps<double>{TrainerMethod::projected_gradient, steps, step_size}, scores,
      initial);
  double reached = -1e300;
  for (const auto& theta : iterates) {
    const double value = evaluate_policy(rule, scores, initial, theta).objective;
    RC_ASSERT(value <= best + 1e-12);
    reached = std::max(reached, value);
  }
  const double coordinate = scores.cwiseAbs().maxCoeff() + rule.lambda;
  const double gradient_squared = static_cast<double>(initial.size()) * coordinate * coordinate;
  const double bound =
      (2 + steps * step_size * step_size * gradient_squared) / (2 * steps * step_size);
  RC_ASSERT(best - reached <= bound);
}

RC_GTEST_PROP(FiniteTraining, Chi2IteratesAreTheSameInRationalsAnd100Digits, ()) {
  const Instance instance = *gen::instances(small_shape(DivergenceKind::chi2));
  const auto [scores, initial] = scores_and_initial<Rational>(instance);
  const Rational step_size(1, *rc::gen::inRange(1, 30));
  const long steps = *rc::gen::inRange(0, 12);
  const auto exact = training_iterates(
      SwMaxRule<Rational>{DivergenceKind::chi2, instance.rule.lambda},
      TrainerSteps<Rational>{TrainerMethod::projected_gradient, steps, step_size}, scores, initial);
  const auto rounded = training_iterates(
      SwMaxRule<F>{DivergenceKind::chi2, from_rational<F>(instance.rule.lambda)},
      TrainerSteps<F>{TrainerMethod::projected_gradient, steps, from_rational<F>(step_size)},
      from_rationals<F>(std::vector<Rational>(scores.data(), scores.data() + scores.size())),
      from_rationals<F>(instance.initial));
  RC_ASSERT(exact.size() == rounded.size());
  for (std::size_t t = 0; t < exact.size(); ++t)
    for (Eigen::Index x = 0; x < exact[t].size(); ++x)
      RC_ASSERT(abs(from_rational<F>(exact[t][x]) - rounded[t][x]) <= F("1e-80"));
}

}  // namespace
}  // namespace mechcheck

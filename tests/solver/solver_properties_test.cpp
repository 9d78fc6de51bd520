// Properties over random instances (RapidCheck; shrinks to small exact instances).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "generators/instance_gen.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {
namespace {

gen::InstanceShape exact_shape() {
  gen::InstanceShape shape;
  shape.divergences = {DivergenceKind::chi2, DivergenceKind::tv};
  return shape;
}

// A random feasible policy: the optimum nudged along e_x − e_y (staying feasible), or a
// fresh random point of the simplex.
template <class S>
Vector<S> random_feasible_policy(const Vector<S>& optimum) {
  const auto m = static_cast<int>(optimum.size());
  if (*rc::gen::arbitrary<bool>() && m > 1) {
    const int from = *rc::gen::inRange(0, m), to = *rc::gen::inRange(0, m);
    const S share = S(*rc::gen::inRange(1, 1001)) / 1000;
    Vector<S> nudged = optimum;
    const S moved = optimum[from] * share;
    nudged[from] -= moved;
    nudged[to] += moved;
    return nudged;
  }
  const auto weights =
      *rc::gen::container<std::vector<int>>(static_cast<std::size_t>(m), rc::gen::inRange(0, 100));
  Vector<S> policy(m);
  S total = 0;
  for (int x = 0; x < m; ++x)
    total += policy[x] = S(weights[static_cast<std::size_t>(x)] + (x == 0 ? 1 : 0));
  return policy / total;
}

template <class S>
void check_objective_not_beaten(const Instance& instance, const S& tolerance) {
  const Mechanism<S> mechanism = mechanism_of<S>(instance);
  const Vector<S> scores = aggregate_scores(profile_of<S>(instance));
  const auto solution = solve_sw_max(mechanism.rule, scores, mechanism.initial);
  for (int trial = 0; trial < 20; ++trial) {
    const Vector<S> other = random_feasible_policy(solution.policy);
    const S value = other.dot(scores) - divergence_value(mechanism.rule, other, mechanism.initial);
    RC_ASSERT(value <= solution.objective + tolerance);
  }
}

RC_GTEST_PROP(SolverProperties, ExactPolicySumsToOneAndPaymentsAreNonNegative, ()) {
  const Instance instance = *gen::instances(exact_shape());
  const auto outcome =
      run_mechanism(mechanism_of<Rational>(instance), profile_of<Rational>(instance));
  RC_ASSERT(outcome.solution.policy.sum() == Rational(1));
  RC_ASSERT(outcome.solution.policy.minCoeff() >= 0);
  for (Eigen::Index i = 0; i < outcome.payments.size(); ++i) {
    RC_ASSERT(outcome.payments[i] >= 0);   // Prop 4.4: non-negative payments
    RC_ASSERT(outcome.utilities[i] >= 0);  // Prop 4.4: IR
  }
}

RC_GTEST_PROP(SolverProperties, ExactOptimumIsNotBeatenByFeasiblePolicies, ()) {
  check_objective_not_beaten<Rational>(*gen::instances(exact_shape()), Rational(0));
}

RC_GTEST_PROP(SolverProperties, OptimumIsNotBeatenAt100Digits, ()) {
  check_objective_not_beaten<Float100>(*gen::instances(), Float100("1e-90"));
}

RC_GTEST_PROP(SolverProperties, OptimumIsNotBeatenInDouble, ()) {
  check_objective_not_beaten<double>(*gen::instances(), 1e-10);
}

RC_GTEST_PROP(SolverProperties, Chi2ExactEqualsChi2At100Digits, ()) {
  gen::InstanceShape shape;
  shape.divergences = {DivergenceKind::chi2};
  const Instance instance = *gen::instances(shape);
  const auto exact =
      run_mechanism(mechanism_of<Rational>(instance), profile_of<Rational>(instance));
  const auto fine = run_mechanism(mechanism_of<Float100>(instance), profile_of<Float100>(instance));
  const Float100 tolerance("1e-95");
  for (Eigen::Index x = 0; x < exact.solution.policy.size(); ++x)
    RC_ASSERT(abs(Float100(exact.solution.policy[x]) - fine.solution.policy[x]) <= tolerance);
  for (Eigen::Index i = 0; i < exact.payments.size(); ++i)
    RC_ASSERT(abs(Float100(exact.payments[i]) - fine.payments[i]) <=
              tolerance * std::max(Float100(1), abs(fine.payments[i])));
  RC_ASSERT(abs(Float100(exact.solution.objective) - fine.solution.objective) <=
            tolerance * std::max(Float100(1), abs(fine.solution.objective)));
}

RC_GTEST_PROP(SolverProperties, AffineMaximizerPaymentsAreNonNegativeInDouble, ()) {
  const Instance instance = *gen::instances();
  const auto outcome = run_mechanism(mechanism_of<double>(instance), profile_of<double>(instance));
  const double scale = std::max(1.0, outcome.welfare);
  for (Eigen::Index i = 0; i < outcome.payments.size(); ++i)
    RC_ASSERT(outcome.payments[i] >= -1e-12 * scale);
}

}  // namespace
}  // namespace mechcheck

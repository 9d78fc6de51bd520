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

}  // namespace
}  // namespace mechcheck

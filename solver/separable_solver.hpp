#pragma once
// SW-Max for any separable convex f given by a generator (separable_generators.hpp): the
// optimum is p(x) = π(x)·g(s(x) − μ) with g = (f′)⁻¹ clamped at 0, and μ the root of
// Σ π g(s − μ) = 1 in [min s − f′(1), max s − f′(1)]. Found with Boost's TOMS 748 to the
// working precision; bisection first where g is infinite (f′ bounded above).
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <stdexcept>

#include "solver/policy_solution.hpp"
#include "solver/separable_generators.hpp"

namespace mechcheck {

template <class S, class Generator>
PolicySolution<S> solve_separable(const Generator& generator, const Vector<S>& scores,
                                  const Vector<S>& initial) {
  static_assert(!ScalarTraits<S>::exact, "a generic f needs a floating scalar");
  using std::isfinite;
  const Eigen::Index m = scores.size();
  // Scores relative to the top one: the multiplier then sits at f′(1)-scale distance from 0
  // rather than from s_max, so it stays representable when λ is far below the score scale
  // (fuzz finding: reverse KL at λ = 3e-240 had no bracket even at 200 digits).
  const S top = scores.maxCoeff();
  const Vector<S> relative = scores.array() - top;
  auto excess_mass = [&](const S& mu) {
    S total = 0;
    for (Eigen::Index x = 0; x < m; ++x)
      total += initial[x] * generator.fprime_inverse(relative[x] - mu);
    return S(total - 1);
  };
  const S slope_at_one = generator.fprime(S(1));
  S low = relative.minCoeff() - slope_at_one, high = -slope_at_one;
  S mu = high;
  if (low < high) {
    S low_excess = excess_mass(low), high_excess = excess_mass(high);
    // Where g is infinite the excess is +∞: bisect until the bracket's low end is finite.
    const int max_halvings = 4 * std::numeric_limits<S>::digits;
    for (int i = 0; !isfinite(low_excess) && i < max_halvings; ++i) {
      S middle = (low + high) / 2;
      S middle_excess = excess_mass(middle);
      if (!isfinite(middle_excess) || middle_excess > 0) {
        low = middle;
        low_excess = middle_excess;
      } else {
        high = middle;
        high_excess = middle_excess;
      }
    }
    if (!isfinite(low_excess))
      throw NumericalFailure("no finite bracket for the multiplier at this precision");
    if (high_excess >= 0) {
      mu = high;  // already normalized to rounding (g ≤ 1 everywhere at the upper end)
    } else if (low_excess <= 0) {
      mu = low;
    } else {
      boost::uintmax_t iterations = 1000;
      auto bracket = boost::math::tools::toms748_solve(
          excess_mass, low, high, low_excess, high_excess,
          boost::math::tools::eps_tolerance<S>(std::numeric_limits<S>::digits - 3), iterations);
      mu = (bracket.first + bracket.second) / 2;
    }
  }
  PolicySolution<S> solution;
  solution.policy.resize(m);
  for (Eigen::Index x = 0; x < m; ++x)
    solution.policy[x] = initial[x] * generator.fprime_inverse(relative[x] - mu);
  solution.policy /= solution.policy.sum();  // remove the root finder's last-bit residual
  S welfare = 0, divergence = 0;
  for (Eigen::Index x = 0; x < m; ++x) {
    welfare += solution.policy[x] * scores[x];
    divergence +=
        initial[x] * centred_divergence_term(generator, S(solution.policy[x] / initial[x]));
  }
  solution.divergence = divergence;
  solution.objective = welfare - divergence;
  solution.multiplier = mu + top;
  return solution;
}

}  // namespace mechcheck

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

// f′ bounded above, with g also given by the distance below sup f′ (reverse KL, Hellinger).
template <class Generator>
concept BoundedSlopeGenerator = requires(const Generator& generator) {
  generator.sup_fprime();
  generator.inverse_below_sup(generator.sup_fprime());
  generator.distance_for_ratio(generator.sup_fprime());
};

namespace separable_detail {

// TOMS 748 on a sign-changing bracket, to all but 3 bits of S. Running out of iterations means
// the root is not known to the working precision: NumericalFailure, never the midpoint.
template <class S, class Excess>
S find_root(const Excess& excess, const S& low, const S& high, const S& low_excess,
            const S& high_excess) {
  constexpr boost::uintmax_t budget = 1000;
  boost::uintmax_t iterations = budget;
  auto bracket = boost::math::tools::toms748_solve(
      excess, low, high, low_excess, high_excess,
      boost::math::tools::eps_tolerance<S>(std::numeric_limits<S>::digits - 3), iterations);
  if (iterations >= budget)
    throw NumericalFailure("the multiplier's root find did not converge at this precision");
  return (bracket.first + bracket.second) / 2;
}

}  // namespace separable_detail

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
  PolicySolution<S> solution;
  solution.policy.resize(m);
  S mu = -slope_at_one;
  bool solved = false;
  if constexpr (BoundedSlopeGenerator<Generator>) {
    // When the top outcome's π is tiny (10⁻³⁰⁰), μ lies within a relative 10⁻¹⁵⁰ of the
    // singular point −sup f′, where y = s − μ and hence 1 − y/λ cancel to nothing at 100 digits
    // (the 100-digit Hellinger payment was right to ~50 digits, and only after escalating to
    // 200). Then solve for the distance t = μ + sup f′ instead: outcome x's distance below sup f′
    // is t − relative[x], a sum of non-negative numbers, exact to rounding.
    const S sup = generator.sup_fprime();
    auto excess_at_distance = [&](const S& t) {
      S total = 0;
      for (Eigen::Index x = 0; x < m; ++x)
        total += initial[x] * generator.inverse_below_sup(S(t - relative[x]));
      return S(total - 1);
    };
    const S far = sup - slope_at_one;  // μ = −f′(1): every g ≤ 1, the excess is ≤ 0
    const S middle = far / 2;
    const S middle_excess = excess_at_distance(middle);
    if (middle_excess < 0) {  // the root is nearer the singular point than −f′(1)
      S top_mass = 0;
      for (Eigen::Index x = 0; x < m; ++x)
        if (relative[x] == 0) top_mass += initial[x];
      // There the top outcomes alone carry mass 1, so the excess is ≥ 0 (halve on rounding).
      S low = generator.distance_for_ratio(S(1 / top_mass));
      if (!(low < middle)) low = middle / 2;
      S low_excess = excess_at_distance(low), high = middle, high_excess = middle_excess;
      for (int i = 0; low_excess < 0 && i < 64; ++i) {
        high = low;
        high_excess = low_excess;
        low /= 2;
        low_excess = excess_at_distance(low);
      }
      if (!(low_excess >= 0) || !isfinite(low_excess))
        throw NumericalFailure("no bracket for the multiplier near its singular point");
      // The bracket may span 10¹⁵⁰: narrow it geometrically before TOMS 748.
      for (int i = 0; high > 4 * low && i < 64; ++i) {
        using std::sqrt;
        const S between = sqrt(low * high);
        const S between_excess = excess_at_distance(between);
        if (between_excess >= 0) {
          low = between;
          low_excess = between_excess;
        } else {
          high = between;
          high_excess = between_excess;
        }
      }
      const S t = low_excess == 0 ? low
                                  : separable_detail::find_root(excess_at_distance, low, high,
                                                                low_excess, high_excess);
      for (Eigen::Index x = 0; x < m; ++x)
        solution.policy[x] = initial[x] * generator.inverse_below_sup(S(t - relative[x]));
      mu = t - sup;
      solved = true;
    }
  }
  if (!solved) {
    S low = relative.minCoeff() - slope_at_one, high = -slope_at_one;
    if constexpr (BoundedSlopeGenerator<Generator>) {
      // The root is at least halfway from the singular point to −f′(1) (above).
      const S halfway = (generator.sup_fprime() - slope_at_one) / 2 - generator.sup_fprime();
      if (halfway > low) low = halfway;
    }
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
        mu = separable_detail::find_root(excess_mass, low, high, low_excess, high_excess);
      }
    }
    for (Eigen::Index x = 0; x < m; ++x)
      solution.policy[x] = initial[x] * generator.fprime_inverse(relative[x] - mu);
  }
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

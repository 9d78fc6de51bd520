#pragma once
// SW-Max with total-variation regularization f = λ|r − 1|: a linear program. Moving a unit of
// mass from x to y gains s(y) − s(x) − 2λ, so the optimum takes every outcome with
// s(x) < s_max − 2λ to 0 and gives that mass to the top-scored outcomes.
//
// The optimal value is unique but the policy is not; mechcheck's one deterministic tie-break:
//  * outcomes exactly at s_max − 2λ (zero gain from moving) keep their initial mass;
//  * the freed mass is split over the top outcomes in proportion to π (label-independent).
// "Exactly" means within ScalarTraits<S>::tolerance() relative to max(1, |s_max|): zero for
// exact scalars, so only the exact solver sees rounding-free ties.
#include <algorithm>
#include <cmath>

#include "solver/policy_solution.hpp"

namespace mechcheck {

template <class S>
PolicySolution<S> solve_tv(const Vector<S>& scores, const Vector<S>& initial, const S& lambda) {
  using std::abs;
  const Eigen::Index m = scores.size();
  const S top = scores.maxCoeff();
  const S slack = ScalarTraits<S>::tolerance() * std::max(S(1), S(abs(top)));
  const S cutoff = top - 2 * lambda;
  S freed = 0, top_mass = 0;
  for (Eigen::Index x = 0; x < m; ++x) {
    if (scores[x] >= top - slack)
      top_mass += initial[x];
    else if (scores[x] < cutoff - slack)
      freed += initial[x];
  }
  PolicySolution<S> solution;
  solution.policy = initial;
  S welfare = 0;
  for (Eigen::Index x = 0; x < m; ++x) {
    if (scores[x] >= top - slack)
      solution.policy[x] = initial[x] + freed * initial[x] / top_mass;
    else if (scores[x] < cutoff - slack)
      solution.policy[x] = 0;
    welfare += solution.policy[x] * scores[x];
  }
  solution.divergence = 2 * lambda * freed;
  solution.objective = welfare - solution.divergence;
  solution.multiplier = top - lambda;
  return solution;
}

}  // namespace mechcheck

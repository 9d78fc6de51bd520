#pragma once
// SW-Max with χ² regularization f = λ(r − 1)²: p(x) = π(x)·max(0, (s(x) − τ)/(2λ)). The support
// is a top-k set of the scores, found by one sort and a prefix scan, so for rational inputs
// the optimum — boundary outcomes at exactly 0 included — is computed exactly.
#include <algorithm>
#include <numeric>
#include <vector>

#include "solver/policy_solution.hpp"

namespace mechcheck {

template <class S>
PolicySolution<S> solve_chi2(const Vector<S>& scores, const Vector<S>& initial, const S& lambda) {
  const Eigen::Index m = scores.size();
  // Sorting (score, index) pairs, not indices through the scores: no cache miss per comparison.
  // Order within ties is irrelevant (tied scores are taken together below).
  std::vector<std::pair<S, Eigen::Index>> ranked(static_cast<std::size_t>(m));
  for (Eigen::Index x = 0; x < m; ++x) ranked[static_cast<std::size_t>(x)] = {scores[x], x};
  std::sort(ranked.begin(), ranked.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Eigen::Index> order(static_cast<std::size_t>(m));
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = ranked[k].second;
  const S two_lambda = 2 * lambda;
  // Work with scores relative to the top one: with λ ≪ s the threshold sits just below s_max,
  // and subtracting the large common part first keeps (s − τ) accurate.
  const S top = scores.maxCoeff();
  const Vector<S> shifted = scores.array() - top;
  // For the top-k set A the multiplier (in the shifted frame) is μ = (Σ_A π s − 2λ·π(Aᶜ))/π(A)
  // and the threshold τ = μ − 2λ; the first k whose next score is ≤ τ is the support (each
  // added score lies above the previous τ, so τ rises and stays below every score in A).
  // π(Aᶜ) is summed directly (not 1 − π(A)): with huge λ any rounding of Σπ would be
  // multiplied by 2λ.
  std::vector<S> outside_mass(order.size() + 1, S(0));
  for (std::size_t k = order.size(); k-- > 0;)
    outside_mass[k] = outside_mass[k + 1] + initial[order[k]];
  S mass = 0, weighted = 0, multiplier = 0, threshold = 0;
  std::size_t k = 0;
  while (k < order.size()) {
    const S& level = shifted[order[k]];
    while (k < order.size() && shifted[order[k]] == level) {
      mass += initial[order[k]];
      weighted += initial[order[k]] * shifted[order[k]];
      ++k;
    }
    multiplier = (weighted - two_lambda * outside_mass[k]) / mass;
    threshold = multiplier - two_lambda;
    if (k == order.size() || shifted[order[k]] <= threshold) break;
  }
  PolicySolution<S> solution;
  solution.policy = Vector<S>::Zero(m);
  S welfare = 0, divergence = 0;
  for (Eigen::Index x = 0; x < m; ++x) {
    // r − 1 = p/π − 1 directly from the scores, so D = λ Σ π (r − 1)² keeps its relative accuracy
    // even when p ≈ π (λ large).
    S deviation = -1;
    if (shifted[x] > threshold) {
      deviation = (shifted[x] - multiplier) / two_lambda;
      solution.policy[x] = initial[x] * (shifted[x] - threshold) / two_lambda;
    }
    divergence += initial[x] * deviation * deviation;
    welfare += solution.policy[x] * scores[x];
  }
  solution.divergence = lambda * divergence;
  solution.objective = welfare - solution.divergence;
  solution.multiplier = top + multiplier;
  return solution;
}

}  // namespace mechcheck

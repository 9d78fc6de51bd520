#pragma once
// SW-Max with KL regularization: p ∝ π·exp(s/λ). Computed around the top score so that
// λ = 1e-6 with scores in the thousands neither overflows nor loses the divergence to
// cancellation.
#include <cmath>

#include "solver/policy_solution.hpp"

namespace mechcheck {

// λ at least the score spread: p ≈ π, D ≈ Var_π(s)/(2λ). Computing D as λ·(log-sum-exp) would
// multiply the rounding of numbers near 1 by λ (λ = 1e17 gave D = −0.5 in double), so here
// everything is centred at the π-mean and built from expm1/log1p of O(spread/λ) quantities.
template <class S>
PolicySolution<S> solve_kl_near_initial(const Vector<S>& scores, const Vector<S>& initial,
                                        const S& lambda, const S& top) {
  using std::expm1;
  using std::log1p;
  const Eigen::Index m = scores.size();
  const S mass = initial.sum();  // 1 up to rounding; every average below divides by it
  Vector<S> centred(m);
  for (Eigen::Index x = 0; x < m; ++x) centred[x] = (scores[x] - top) / lambda;
  const S mean = initial.dot(centred) / mass;
  centred.array() -= mean;  // u = z − E_π z, |u| ≤ 1
  Vector<S> growth(m);      // e^u − 1
  for (Eigen::Index x = 0; x < m; ++x) growth[x] = expm1(centred[x]);
  const S excess = initial.dot(growth) / mass;  // Z − 1 = E_π(e^u − 1), second order in u
  PolicySolution<S> solution;
  solution.policy = initial.cwiseProduct((growth.array() + 1).matrix()) / (mass * (1 + excess));
  // D = λ Σ p (u − log Z) with Σ p u = (E_π u + E_π (e^u − 1)u)/Z.
  const S first = initial.dot(centred) / mass,
          second = initial.dot(growth.cwiseProduct(centred)) / mass;
  solution.divergence = lambda * ((first + second) / (1 + excess) - log1p(excess));
  solution.objective = solution.policy.dot(scores) - solution.divergence;
  solution.multiplier = top + lambda * (mean + log1p(excess) - 1);
  return solution;
}

template <class S>
PolicySolution<S> solve_kl(const Vector<S>& scores, const Vector<S>& initial, const S& lambda) {
  static_assert(!ScalarTraits<S>::exact, "KL optima are irrational: use a floating scalar");
  using std::exp;
  using std::log;
  const Eigen::Index m = scores.size();
  const S top = scores.maxCoeff();
  if ((top - scores.minCoeff()) <= lambda)
    return solve_kl_near_initial(scores, initial, lambda, top);
  // weight(x) = π(x)·exp((s(x) − s_max)/λ) ∈ (0, 1]: no overflow, and the arg-max keeps π > 0.
  Vector<S> weight(m);
  for (Eigen::Index x = 0; x < m; ++x) weight[x] = initial[x] * exp((scores[x] - top) / lambda);
  S total = weight.sum();
  S log_total;  // L' = log Σ π exp((s − s_max)/λ) ≤ 0
  if (total > 0 && total >= std::numeric_limits<S>::min()) {
    log_total = log(total);
  } else {
    // Only reachable when every π at the top is subnormal: redo in the log domain.
    Vector<S> log_weight(m);
    for (Eigen::Index x = 0; x < m; ++x)
      log_weight[x] = log(initial[x]) + (scores[x] - top) / lambda;
    const S shift = log_weight.maxCoeff();
    S shifted_total = 0;
    for (Eigen::Index x = 0; x < m; ++x) {
      weight[x] = exp(log_weight[x] - shift);
      shifted_total += weight[x];
    }
    total = shifted_total;
    log_total = shift + log(shifted_total);
  }
  PolicySolution<S> solution;
  solution.policy = weight / total;
  // D = λ Σ p log(p/π) with log(p/π) = (s − s_max)/λ − L': no large terms cancel.
  S gap_sum = 0;
  for (Eigen::Index x = 0; x < m; ++x) gap_sum += solution.policy[x] * (scores[x] - top);
  solution.divergence = gap_sum - lambda * log_total;
  solution.objective = top + lambda * log_total;  // = λ log Σ π exp(s/λ)
  solution.multiplier = top + lambda * (log_total - 1);
  return solution;
}

}  // namespace mechcheck

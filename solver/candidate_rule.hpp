#pragma once
// ψ over a finite candidate set Θ′ (the paper's Section 5): the candidate maximizing
// ⟨s, θ⟩ − D_f(θ‖π), lowest index on ties — the rule `prove` encodes for candidate sets. And
// Θ′ built as Section 5 builds it, by Rewarded Soups from the reported rewards.
#include <algorithm>
#include <type_traits>
#include <vector>

#include "solver/sw_max.hpp"

namespace mechcheck {

template <class S>
struct CandidateChoice {
  PolicySolution<S> solution;
  long index = -1;
};

// The best candidate for `scores`; −∞ objectives (reverse KL with a zero) only win when all are.
template <class S>
CandidateChoice<S> best_candidate(const SwMaxRule<S>& rule,
                                  const std::vector<Vector<S>>& candidates, const Vector<S>& scores,
                                  const Vector<S>& initial) {
  CandidateChoice<S> best;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const S divergence = divergence_value(rule, candidates[k], initial);
    const S objective = candidates[k].dot(scores) - divergence;
    if (best.index < 0 || objective > best.solution.objective) {
      best.index = static_cast<long>(k);
      best.solution.objective = objective;
      best.solution.divergence = divergence;
    }
  }
  best.solution.policy = candidates[static_cast<std::size_t>(best.index)];
  return best;
}

// The mixture weights of the rewarded-soups set for n groups and K mixtures: the points of the
// simplex lattice with denominator K + 1 as integer vectors a (Σa = K + 1), the n vertices (the
// single-group optima) first in group order, then every other point in ascending lexicographic
// order — for two groups a = (1, K), (2, K − 1), …, (K, 1), i.e. t₁ = 1/(K+1), …, K/(K+1).
inline std::vector<std::vector<long>> rewarded_soup_weights(long groups, long mixtures) {
  const long total = mixtures + 1;
  std::vector<std::vector<long>> vertices, others;
  for (long i = 0; i < groups; ++i) {
    std::vector<long> vertex(static_cast<std::size_t>(groups), 0);
    vertex[static_cast<std::size_t>(i)] = total;
    vertices.push_back(std::move(vertex));
  }
  std::vector<long> point(static_cast<std::size_t>(groups), 0);
  // Depth-first over the coordinates in ascending order; the last takes what is left.
  auto visit = [&](auto&& self, long coordinate, long left) -> void {
    if (coordinate + 1 == groups) {
      point[static_cast<std::size_t>(coordinate)] = left;
      if (std::count(point.begin(), point.end(), 0) < groups - 1) others.push_back(point);
      return;
    }
    for (long a = 0; a <= left; ++a) {
      point[static_cast<std::size_t>(coordinate)] = a;
      self(self, coordinate + 1, left - a);
    }
  };
  if (groups > 1) visit(visit, 0, total);
  vertices.insert(vertices.end(), others.begin(), others.end());
  return vertices;
}

// The scores of one soup: W·Σ t_i rm_i for the lattice point `weights` (t_i = a_i/(K + 1)), summed
// in group order over the nonzero weights (written into `out`, resized only when m changes).
template <class S>
void rewarded_soup_scores(const Matrix<S>& rewards, const S& total_size,
                          const std::vector<long>& weights, long mixtures, Vector<S>& out) {
  out.setZero(rewards.rows());
  for (Eigen::Index i = 0; i < rewards.cols(); ++i)
    if (weights[static_cast<std::size_t>(i)] != 0)
      out +=
          (total_size * S(weights[static_cast<std::size_t>(i)]) / S(mixtures + 1)) * rewards.col(i);
}

// rewarded_soups for S = double (solver/batched_soups.cpp): the same score columns, solved together
// by BatchSwMaxSolver — each soup within 1e-13 relative of solve_sw_max's, columns the batch route
// cannot certify (and divergences it does not vectorize) solved by solve_sw_max itself.
std::vector<Vector<double>> rewarded_soups_batched(const SwMaxRule<double>& rule,
                                                   const Matrix<double>& rewards, double total_size,
                                                   const Vector<double>& initial, long mixtures);

// Θ′ by Rewarded Soups (Section 5; Ramé et al.): each group's single-reward optimum and the
// optima for the mixed rewards Σ t_i rm_i, t on the lattice above, all from the *reported*
// rewards (the columns of `rewards`): the set moves with the reports. Every mixed reward is
// scaled by the total reported size W = Σ w_i, i.e. each soup is the optimum for W·Σ t_i rm_i,
// so that the soups live at the objective's own scale and the soup at t = w/W is exactly the
// SW-Max optimum (unscaled, every soup is softer than the objective wants whenever W > 1 and the
// most extreme candidate always wins). For KL a mixed-reward optimum is what interpolating the
// single-reward models approximates (exactly: the normalized geometric mixture); the same
// definition is used for every divergence.
//
// In double the soups are solved as one batch (rewarded_soups_batched, issue #13); every other
// scalar solves them one by one (rewarded_soups_one_by_one, also the batch's reference in tests
// and benchmarks).
template <class S>
std::vector<Vector<S>> rewarded_soups_one_by_one(const SwMaxRule<S>& rule, const Matrix<S>& rewards,
                                                 const S& total_size, const Vector<S>& initial,
                                                 long mixtures) {
  std::vector<Vector<S>> candidates;
  Vector<S> scores;
  for (const std::vector<long>& weights : rewarded_soup_weights(rewards.cols(), mixtures)) {
    rewarded_soup_scores(rewards, total_size, weights, mixtures, scores);
    candidates.push_back(solve_sw_max(rule, scores, initial).policy);
  }
  return candidates;
}

template <class S>
std::vector<Vector<S>> rewarded_soups(const SwMaxRule<S>& rule, const Matrix<S>& rewards,
                                      const S& total_size, const Vector<S>& initial,
                                      long mixtures) {
  if constexpr (std::is_same_v<S, double>)
    return rewarded_soups_batched(rule, rewards, total_size, initial, mixtures);
  else
    return rewarded_soups_one_by_one(rule, rewards, total_size, initial, mixtures);
}

}  // namespace mechcheck

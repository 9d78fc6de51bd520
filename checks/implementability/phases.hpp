#pragma once
// The phases of implementability on an RLHF Game type set, as templates shared by the library
// (implementability.cpp) and its benchmark (bench/implementability_bench.cpp times these, not
// copies): every type's policy, the gain matrix, and Dijkstra with Johnson heights.
#include <algorithm>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "checks/implementability/gain_matrix.hpp"
#include "checks/parallel.hpp"
#include "solver/batch_sw_max.hpp"
#include "solver/instance_solver.hpp"

namespace mechcheck {

// policies_for in double through the batch solver (KL, χ²): the same exact score gaps, chunks of
// kPolicyChunk types solved as one batch each, the chunks on `threads` threads.
inline Matrix<double> batched_policies(const BatchSwMaxSolver& solver,
                                       const std::vector<Rational>& others, RuleType type,
                                       const std::vector<Group>& types, int threads) {
  constexpr std::size_t kPolicyChunk = 256;
  const Eigen::Index m = solver.initial().size();
  Matrix<double> policies(m, static_cast<Eigen::Index>(types.size()));
  const std::size_t chunks = (types.size() + kPolicyChunk - 1) / kPolicyChunk;
  parallel_for_each(threads, chunks, [&](std::size_t chunk) {
    const std::size_t first = chunk * kPolicyChunk;
    const std::size_t count = std::min(kPolicyChunk, types.size() - first);
    BatchArray gaps(m, static_cast<Eigen::Index>(count));
    for (std::size_t t = 0; t < count; ++t)
      gaps.col(static_cast<Eigen::Index>(t)) =
          from_rationals<double>(report_scores(others, types[first + t], type).gaps).array();
    BatchSwMaxSolution solution;
    BatchSwMaxWorkspace work;
    solver.solve(gaps, solution, work);
    policies.middleCols(static_cast<Eigen::Index>(first), static_cast<Eigen::Index>(count)) =
        solution.policy.matrix();
  });
  return policies;
}

// The rule's policy for every type of group i, the others' reports fixed: column t of P. SW-Max
// solves on the exact score gaps of the others' exact scores plus the type's (report_scores), as
// solve_instance and confirmation do: rounding the others' rewards first would erase gaps below
// the working precision (a near tie at 10⁻²⁵⁰ with λ = 10⁻³⁰⁰ became uniform, and the payment
// range of a type halved). The exact sums cost O(K·m) against the gain matrix's O(K²·m).
template <class S>
Matrix<S> policies_for(const Instance& instance, std::size_t group, const std::vector<Group>& types,
                       int threads) {
  const Mechanism<S> mechanism = mechanism_of<S>(instance);
  const Profile<S> profile = profile_of<S>(instance);
  const auto column = static_cast<Eigen::Index>(group);
  Matrix<S> policies(profile.rewards.rows(), static_cast<Eigen::Index>(types.size()));
  if (solved_on_score_gaps(instance.rule.type)) {
    const std::vector<Rational> others = others_scores(instance, group);
    if constexpr (std::is_same_v<S, double>) {
      const BatchSwMaxSolver batch(mechanism.rule, mechanism.initial);
      if (batch.vectorized())
        return batched_policies(batch, others, instance.rule.type, types, threads);
    }
    parallel_for_each(threads, types.size(), [&](std::size_t t) {
      const ExactScores scores = report_scores(others, types[t], instance.rule.type);
      policies.col(static_cast<Eigen::Index>(t)) =
          solve_sw_max(mechanism.rule, from_rationals<S>(scores.gaps), mechanism.initial).policy;
    });
    return policies;
  }
  parallel_for_each(threads, types.size(), [&](std::size_t t) {
    Profile<S> reports = profile;
    reports.rewards.col(column) = from_rationals<S>(types[t].reward);
    reports.sizes[column] = from_rational<S>(types[t].size);
    policies.col(static_cast<Eigen::Index>(t)) = solve_rule(mechanism, reports).solution.policy;
  });
  return policies;
}

// L(a, b) = w_b·rm_b·ψ(b) − w_b·rm_b·ψ(a): the family's values, value(a, b) = w_b·v(ψ(a); rm_b),
// as one K×m by m×K product computed row block by row block on `threads` threads (at 100 digits
// the product dominates large grids), then the gain routine every family shares.
template <class S>
Matrix<S> gain_matrix(const std::vector<Group>& types, const Matrix<S>& policies, int threads = 1) {
  const auto k = static_cast<Eigen::Index>(types.size());
  Matrix<S> weighted(k, policies.rows());
  for (Eigen::Index t = 0; t < k; ++t)
    weighted.row(t) = (from_rational<S>(types[static_cast<std::size_t>(t)].size) *
                       from_rationals<S>(types[static_cast<std::size_t>(t)].reward))
                          .transpose();
  Matrix<S> values(k, k);
  parallel_for_each(threads, static_cast<std::size_t>(k), [&](std::size_t row) {
    const auto a = static_cast<Eigen::Index>(row);
    values.row(a) = (weighted * policies.col(a)).transpose();
  });
  return gains_from_values(std::move(values), threads);
}

// Dense O(K²) Dijkstra on the edge weights w(a, b) = weights(a, b), or weights(b, a) when
// `reversed`, made non-negative by Johnson heights: w(a, b) + height[a] − height[b] ≥ 0 (up to
// the tolerance Howard's certificate allows). `start[v]` is v's initial distance (empty: not a
// source), so one call serves a single source and the virtual source joined to every node.
template <class S>
std::vector<S> shortest_paths(const Matrix<S>& weights, bool reversed,
                              const std::vector<std::optional<S>>& start,
                              const std::vector<S>& height) {
  const auto k = static_cast<std::size_t>(weights.rows());
  // Reduced labels: a path's reduced weight is its weight + height(first) − height(last).
  std::vector<std::optional<S>> label(k);
  for (std::size_t v = 0; v < k; ++v)
    if (start[v]) label[v] = *start[v] - height[v];
  std::vector<bool> done(k, false);
  for (std::size_t step = 0; step < k; ++step) {
    std::size_t a = k;
    for (std::size_t v = 0; v < k; ++v)
      if (!done[v] && label[v] && (a == k || *label[v] < *label[a])) a = v;
    if (a == k) break;
    done[a] = true;
    const auto ia = static_cast<Eigen::Index>(a);
    for (std::size_t b = 0; b < k; ++b) {
      if (done[b]) continue;
      const auto ib = static_cast<Eigen::Index>(b);
      const S candidate =
          *label[a] + (reversed ? weights(ib, ia) : weights(ia, ib)) + height[a] - height[b];
      if (!label[b] || candidate < *label[b]) label[b] = candidate;
    }
  }
  std::vector<S> distance(k);
  for (std::size_t v = 0; v < k; ++v) distance[v] = *label[v] + height[v];
  return distance;
}

}  // namespace mechcheck

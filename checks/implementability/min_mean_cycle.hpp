#pragma once
// The minimum-mean cycle of a dense complete directed graph (no self-loops): the witness of
// cycle monotonicity's failure with the most negative mean, and, when that mean is ≥ 0,
// potentials that make every reduced weight non-negative (Dijkstra instead of Bellman–Ford).
#include <optional>
#include <vector>

#include "solver/scalar.hpp"

namespace mechcheck {

template <class S>
struct MeanCycle {
  std::vector<Eigen::Index> cycle;  // v₀ → v₁ → … → v₀, v₀ the smallest index, not repeated
  S total;                          // Σ weights(v_j, v_{j+1}) around the cycle
  S mean;                           // total / cycle.size()
  // potential(a) − potential(b) ≤ weights(a, b) − mean (+ tolerance) on every edge a → b.
  std::vector<S> potential;
  int iterations = 0;  // policy-iteration rounds (for benchmarks)
};

// Howard's policy iteration (Cochet-Terrasson et al. 1998; Dasdan 2004) on the complete graph
// with weights(a, b) for a ≠ b (the diagonal is ignored); K = weights.rows() = weights.cols().
// Returns std::nullopt when K < 2 (no cycle). Exact for Rational with tolerance 0: `mean` is
// the minimum cycle mean. For floating S, a policy changes only on an improvement larger than
// `tolerance`, and the returned mean is within `tolerance` (plus rounding) of the minimum.
// Throws std::runtime_error if the iteration does not settle within 10·K + 1000 rounds (never
// seen; a guard against floating-point ties cycling).
template <class S>
std::optional<MeanCycle<S>> minimum_mean_cycle(const Matrix<S>& weights, const S& tolerance = S(0));

// Compiled for double, Float50, Float100, Float200 and Rational in min_mean_cycle.cpp.

}  // namespace mechcheck

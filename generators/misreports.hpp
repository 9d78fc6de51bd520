#pragma once
// Misreport constructions, each returning a valid report (non-negative, normalized) or nothing:
//  * Thm 4.2 polarization: +ε on the most preferred outcome and −ε on the least (sum), or −ε on
//    the least (max), with ε limited to what the reward allows;
//  * Section 5's strategies: α-scaling of the size, β-mixing with the others' reports;
//  * small random perturbations and uniformly random reports;
//  * bounded noise within ε in max-norm (approximate DSIC).
#include <algorithm>
#include <optional>
#include <vector>

#include "generators/rng.hpp"
#include "solver/scalar.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

// Rescales to the normalization; nothing when every entry is 0 (no valid report is meant).
template <class S>
std::optional<Vector<S>> renormalized(Vector<S> reward, Normalization normalization) {
  for (Eigen::Index x = 0; x < reward.size(); ++x)
    if (reward[x] < 0) reward[x] = 0;
  const S scale = normalization == Normalization::sum ? S(reward.sum()) : S(reward.maxCoeff());
  if (!(scale > 0)) return std::nullopt;
  return Vector<S>(reward / scale);
}

// In place: `out` becomes the polarized report (true) or stays a copy of `reward` (false, when
// polarize gives nothing). No allocation when `out` already has the size.
template <class S>
bool polarize_into(const Vector<S>& reward, const S& epsilon, Normalization normalization,
                   Vector<S>& out) {
  out = reward;
  Eigen::Index top = 0, bottom = 0;
  reward.maxCoeff(&top);
  reward.minCoeff(&bottom);
  if (top == bottom) return false;
  if (normalization == Normalization::sum) {
    const S step = std::min({epsilon, S(1 - reward[top]), reward[bottom]});
    if (!(step > 0)) return false;
    out[top] += step;
    out[bottom] -= step;
  } else {
    const S step = std::min(epsilon, reward[bottom]);
    if (!(step > 0)) return false;
    out[bottom] -= step;
  }
  return true;
}

template <class S>
std::optional<Vector<S>> polarize(const Vector<S>& reward, const S& epsilon,
                                  Normalization normalization) {
  Vector<S> out;
  if (!polarize_into(reward, epsilon, normalization, out)) return std::nullopt;
  return out;
}

// round(α·w) clipped to 1..w̄.
template <class S>
S scaled_size(const S& size, double alpha, long max_size) {
  const double scaled = std::round(alpha * static_cast<double>(size));
  return S(static_cast<long>(std::clamp(scaled, 1.0, static_cast<double>(max_size))));
}

// β·rm + (1 − β)·rm_others, β limited so the report stays non-negative, then normalized.
template <class S>
std::optional<Vector<S>> mix_with_others(const Vector<S>& reward, const Vector<S>& others,
                                         double beta, Normalization normalization) {
  S b = S(beta);
  if (b > 1) {  // β > 1 moves away from the others: stop where an entry reaches 0
    for (Eigen::Index x = 0; x < reward.size(); ++x)
      if (others[x] > reward[x]) b = std::min(b, S(others[x] / (others[x] - reward[x])));
  }
  if (b < 0) b = 0;
  return renormalized<S>(Vector<S>(b * reward + (1 - b) * others), normalization);
}

// Uniform noise in [−δ, δ] per entry, then clipped and normalized.
template <class S>
std::optional<Vector<S>> perturb(const Vector<S>& reward, double delta, Normalization normalization,
                                 Rng& rng) {
  Vector<S> out = reward;
  for (Eigen::Index x = 0; x < out.size(); ++x) out[x] += S(rng.uniform(-delta, delta));
  return renormalized<S>(out, normalization);
}

template <class S>
Vector<S> random_report(Eigen::Index m, Normalization normalization, Rng& rng) {
  Vector<S> out(m);
  for (Eigen::Index x = 0; x < m; ++x) out[x] = S(rng.uniform());
  if (normalization == Normalization::max)
    out[static_cast<Eigen::Index>(rng.integer(0, m - 1))] = 1;
  return *renormalized<S>(out, normalization);
}

// Noise within ε in max-norm: a random corner (±ε per entry) or a uniform point of the cube.
template <class S>
Vector<S> bounded_noise(Eigen::Index m, double epsilon, Rng& rng, bool corner) {
  Vector<S> out(m);
  for (Eigen::Index x = 0; x < m; ++x)
    out[x] = S(corner ? (rng.coin() ? epsilon : -epsilon) : rng.uniform(-epsilon, epsilon));
  return out;
}

}  // namespace mechcheck

#pragma once
// The Euclidean projection onto the probability simplex, θ = max(y − τ, 0) with τ chosen so that
// Σθ = 1 (Held, Wolfe and Crowder; Duchi et al. 2008): sort-based, exact in rationals. No
// packaged library offers it for Eigen vectors. Used by projected-gradient training and by the
// searches that keep sum-normalized reports valid.
#include <algorithm>
#include <functional>
#include <vector>

#include "solver/scalar.hpp"

namespace mechcheck {

template <class S>
Vector<S> project_to_simplex(const Vector<S>& v) {
  std::vector<S> sorted(v.data(), v.data() + v.size());
  std::sort(sorted.begin(), sorted.end(), std::greater<S>());
  S prefix = 0, threshold = 0;
  for (std::size_t k = 0; k < sorted.size(); ++k) {
    prefix += sorted[k];
    const S candidate = (prefix - 1) / S(static_cast<long>(k + 1));
    if (sorted[k] - candidate > 0) threshold = candidate;
  }
  Vector<S> out(v.size());
  for (Eigen::Index x = 0; x < v.size(); ++x) out[x] = std::max(S(v[x] - threshold), S(0));
  return out;
}

}  // namespace mechcheck

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

// Projects `values` (any Eigen vector expression that can be written, e.g. a point's head) onto
// the simplex in place; `sorted` is scratch, reused across calls (a search projects ~10⁵
// candidates).
template <class S, class Values>
void project_to_simplex_in_place(Values&& values, std::vector<S>& sorted) {
  sorted.assign(values.data(), values.data() + values.size());
  std::sort(sorted.begin(), sorted.end(), std::greater<S>());
  S prefix = 0, threshold = 0;
  for (std::size_t k = 0; k < sorted.size(); ++k) {
    prefix += sorted[k];
    const S candidate = (prefix - 1) / S(static_cast<long>(k + 1));
    if (sorted[k] - candidate > 0) threshold = candidate;
  }
  for (Eigen::Index x = 0; x < values.size(); ++x)
    values[x] = std::max(S(values[x] - threshold), S(0));
}

template <class S>
Vector<S> project_to_simplex(const Vector<S>& v) {
  Vector<S> out = v;
  std::vector<S> sorted;
  project_to_simplex_in_place(out, sorted);
  return out;
}

}  // namespace mechcheck

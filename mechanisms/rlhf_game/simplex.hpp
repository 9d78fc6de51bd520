#pragma once
// Keeping searched reports valid: Euclidean projection onto the probability simplex (sum
// normalization; Duchi et al. 2008 — no packaged library offers it for Eigen vectors) and the
// max-normalized set {r ∈ [0,1]^m : max r = 1}.
#include <algorithm>
#include <functional>
#include <vector>

#include "solver/scalar.hpp"
#include "spec/instance.hpp"

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

template <class S>
Vector<S> project_to_max_normalized(const Vector<S>& v) {
  Vector<S> out = v;
  Eigen::Index top = 0;
  out.maxCoeff(&top);
  for (Eigen::Index x = 0; x < out.size(); ++x) out[x] = std::clamp(out[x], S(0), S(1));
  out[top] = 1;
  return out;
}

template <class S>
Vector<S> project_report(const Vector<S>& v, Normalization normalization) {
  return normalization == Normalization::sum ? project_to_simplex(v) : project_to_max_normalized(v);
}

}  // namespace mechcheck

#pragma once
// Keeping searched reports valid: Euclidean projection onto the probability simplex (sum
// normalization; solver/simplex_projection.hpp) and the max-normalized set
// {r ∈ [0,1]^m : max r = 1}.
#include <algorithm>
#include <functional>
#include <vector>

#include "solver/scalar.hpp"
#include "solver/simplex_projection.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

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

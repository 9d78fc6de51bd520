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

template <class S, class Values>
void project_to_max_normalized_in_place(Values&& values) {
  Eigen::Index top = 0;
  values.maxCoeff(&top);
  for (Eigen::Index x = 0; x < values.size(); ++x) values[x] = std::clamp(values[x], S(0), S(1));
  values[top] = 1;
}

template <class S>
Vector<S> project_to_max_normalized(const Vector<S>& v) {
  Vector<S> out = v;
  project_to_max_normalized_in_place<S>(out);
  return out;
}

template <class S>
Vector<S> project_report(const Vector<S>& v, Normalization normalization) {
  return normalization == Normalization::sum ? project_to_simplex(v) : project_to_max_normalized(v);
}

// project_report in place (`values`: e.g. a point's reward head), the same numbers; `sorted` is
// scratch for the simplex projection.
template <class Values>
void project_report_in_place(Values&& values, Normalization normalization,
                             std::vector<double>& sorted) {
  if (normalization == Normalization::sum)
    project_to_simplex_in_place(values, sorted);
  else
    project_to_max_normalized_in_place<double>(values);
}

}  // namespace mechcheck

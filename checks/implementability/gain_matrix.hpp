#pragma once
// The gain routine every family shares: from value(a, b) — what an agent of true type b values
// the outcome of reporting a at (the family's outcome rule and valuation) — to
// l(a, b) = value(b, b) − value(a, b), what type b gains by reporting b rather than a.
#include "checks/parallel.hpp"
#include "solver/scalar.hpp"

namespace mechcheck {

template <class S>
Matrix<S> gains_from_values(const Matrix<S>& values, int threads = 1) {
  const Eigen::Index k = values.rows();
  Matrix<S> gains(k, k);
  parallel_for_each(threads, static_cast<std::size_t>(k), [&](std::size_t row) {
    const auto a = static_cast<Eigen::Index>(row);
    for (Eigen::Index b = 0; b < k; ++b) gains(a, b) = values(b, b) - values(a, b);
  });
  return gains;
}

}  // namespace mechcheck

#pragma once
// The gain routine every family shares: from value(a, b) — what an agent of true type b values
// the outcome of reporting a at (the family's outcome rule and valuation) — to
// l(a, b) = value(b, b) − value(a, b), what type b gains by reporting b rather than a.
#include "checks/parallel.hpp"
#include "solver/scalar.hpp"

namespace mechcheck {

// The gains are written over the values (taken by value: pass them with std::move), so that a
// large type set holds one K×K matrix, not two (K = 20,000 in double: 3.2 GB, not 6.4 GB).
template <class S>
Matrix<S> gains_from_values(Matrix<S> values, int threads = 1) {
  const Eigen::Index k = values.rows();
  const Vector<S> diagonal = values.diagonal();  // value(b, b), read before it is overwritten
  parallel_for_each(threads, static_cast<std::size_t>(k), [&](std::size_t row) {
    const auto a = static_cast<Eigen::Index>(row);
    for (Eigen::Index b = 0; b < k; ++b) values(a, b) = diagonal(b) - values(a, b);
  });
  return values;
}

}  // namespace mechcheck

#pragma once
// Comparing a computed scalar with an expected value at the scalar's own accuracy: exactly for
// rationals, within a small multiple of ScalarTraits<S>::tolerance() for floats.
#include <gtest/gtest.h>

#include <cmath>

#include "solver/scalar.hpp"

namespace mechcheck::testing {

using AllScalars = ::testing::Types<double, Float50, Float100, Rational>;
using FloatScalars = ::testing::Types<double, Float50, Float100>;

template <class S>
S abs_of(const S& value) {
  using std::abs;
  return abs(value);
}

template <class S>
::testing::AssertionResult near(const S& actual, const S& expected, int tolerance_multiple = 100) {
  const S scale = std::max(S(1), abs_of(expected));
  const S allowed = ScalarTraits<S>::tolerance() * tolerance_multiple * scale;
  if (abs_of(S(actual - expected)) <= allowed) return ::testing::AssertionSuccess();
  std::ostringstream os;
  os << "actual " << actual << " vs expected " << expected << " (allowed " << allowed << ")";
  return ::testing::AssertionFailure() << os.str();
}

template <class S>
::testing::AssertionResult near_rational(const S& actual, const Rational& expected,
                                         int tolerance_multiple = 100) {
  return near(actual, from_rational<S>(expected), tolerance_multiple);
}

template <class S>
Vector<S> vector_of(std::initializer_list<Rational> values) {
  return from_rationals<S>(std::vector<Rational>(values));
}

}  // namespace mechcheck::testing

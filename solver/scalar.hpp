#pragma once
// The scalar types every solver is instantiated for, and what each one promises.
#include <Eigen/Core>
#include <boost/multiprecision/eigen.hpp>
#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfr.hpp>
#include <limits>
#include <string_view>

#include "spec/rational.hpp"

namespace mechcheck {

// MPFR backends: exp/log at 50–100 digits are 3–10× faster than cpp_bin_float's, which
// decides KL (bench/README.md). Limbs live on the stack: one malloc per temporary cost ~40%
// of a 50-digit solve. Expression templates are off so that `auto` in generic code is safe.
using Float50 = boost::multiprecision::number<
    boost::multiprecision::mpfr_float_backend<50, boost::multiprecision::allocate_stack>,
    boost::multiprecision::et_off>;
using Float100 = boost::multiprecision::number<
    boost::multiprecision::mpfr_float_backend<100, boost::multiprecision::allocate_stack>,
    boost::multiprecision::et_off>;

// Internal only: guard digits for ill-conditioned instances (instance_solver.hpp).
using Float200 = boost::multiprecision::number<
    boost::multiprecision::mpfr_float_backend<200, boost::multiprecision::allocate_stack>,
    boost::multiprecision::et_off>;

template <class S>
using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;
template <class S>
using Matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;

// exact: arithmetic is exact (no rounding); tolerance: the relative accuracy a solver at this
// precision guarantees and that comparisons (ties, KKT, non-negativity) allow.
template <class S>
struct ScalarTraits;

template <>
struct ScalarTraits<double> {
  static constexpr bool exact = false;
  static constexpr int digits10 = 17;  // digits printed to round-trip
  static constexpr std::string_view name = "double";
  static double tolerance() { return 1e-12; }
};
template <>
struct ScalarTraits<Float50> {
  static constexpr bool exact = false;
  static constexpr int digits10 = 50;
  static constexpr std::string_view name = "50";
  static Float50 tolerance() { return Float50("1e-45"); }
};
template <>
struct ScalarTraits<Float100> {
  static constexpr bool exact = false;
  static constexpr int digits10 = 100;
  static constexpr std::string_view name = "100";
  static Float100 tolerance() { return Float100("1e-95"); }
};
template <>
struct ScalarTraits<Float200> {
  static constexpr bool exact = false;
  static constexpr int digits10 = 200;
  static constexpr std::string_view name = "200";
  static Float200 tolerance() { return Float200("1e-195"); }
};
template <>
struct ScalarTraits<Rational> {
  static constexpr bool exact = true;
  static constexpr int digits10 = 0;
  static constexpr std::string_view name = "exact";
  static Rational tolerance() { return Rational(0); }
};

// Correctly rounded conversion of an exact input to the working scalar.
template <class S>
S from_rational(const Rational& value) {
  if constexpr (std::is_same_v<S, Rational>) {
    return value;
  } else if constexpr (std::is_same_v<S, double>) {
    // mpq_get_d truncates; going through 100 digits rounds to nearest (the double rounding
    // cannot matter at 53 bits).
    return Float100(value).template convert_to<double>();
  } else {
    return S(value);  // mpfr_set_q: correctly rounded
  }
}

template <class S>
Vector<S> from_rationals(const std::vector<Rational>& values) {
  Vector<S> out(static_cast<Eigen::Index>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i)
    out[static_cast<Eigen::Index>(i)] = from_rational<S>(values[i]);
  return out;
}

}  // namespace mechcheck

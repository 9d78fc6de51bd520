#pragma once
// The exact scalar of the spec layer: every number read from input is kept as a GMP rational.
#include <boost/multiprecision/gmp.hpp>

namespace mechcheck {

// Expression templates off: generic code may use `auto` on arithmetic results safely.
using Rational = boost::multiprecision::number<boost::multiprecision::gmp_rational,
                                               boost::multiprecision::et_off>;

}  // namespace mechcheck

#pragma once
// How numbers leave mechcheck: doubles as JSON numbers, 50/100 digits as decimal strings with
// that many significant digits, exact rationals as "p/q" strings.
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "solver/scalar.hpp"
#include "spec/exact_number.hpp"

namespace mechcheck::cli {

template <class S>
bool is_finite_number(const S& value) {
  if constexpr (ScalarTraits<S>::exact) {
    return true;
  } else {
    using std::isfinite;
    return isfinite(value);
  }
}

template <class S>
nlohmann::json json_number(const S& value) {
  if constexpr (std::is_same_v<S, double>) {
    return value == 0 ? 0.0 : value;  // no "-0.0"
  } else if constexpr (ScalarTraits<S>::exact) {
    return to_exact_string(value);
  } else {
    return value == 0 ? std::string("0") : value.str(ScalarTraits<S>::digits10);
  }
}

// For tables: a readable number of digits, whatever the precision.
template <class S>
std::string short_number(const S& value, int digits = 10) {
  if constexpr (std::is_same_v<S, double>) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value == 0 ? 0.0 : value);
    return buffer;
  } else if constexpr (ScalarTraits<S>::exact) {
    return to_exact_string(value);
  } else {
    return value == 0 ? std::string("0") : value.str(digits);
  }
}

}  // namespace mechcheck::cli

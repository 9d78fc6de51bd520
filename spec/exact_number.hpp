#pragma once
// Reading numbers exactly: "3", "-0.25", "1e-7", "2.5E+3" and "1/3" all become exact rationals.
#include <optional>
#include <string>
#include <string_view>

#include "spec/rational.hpp"

namespace mechcheck {

struct ExactNumber {
  Rational value;
  // True when the text was a decimal fraction or had an exponent: such inputs may carry
  // rounding (0.333...) and are normalized within a tolerance rather than exactly.
  bool is_decimal = false;
};

// Parses a decimal (optional sign, digits, optional fraction, optional exponent) or a
// fraction "p/q" of two integers with q != 0. Returns nullopt for anything else.
std::optional<ExactNumber> parse_exact_number(std::string_view text);

// Canonical exact text: "p/q", or "p" for integers.
std::string to_exact_string(const Rational& value);

}  // namespace mechcheck

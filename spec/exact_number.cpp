#include "spec/exact_number.hpp"

#include <cctype>
#include <cstdint>

namespace mechcheck {
namespace {

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// Exponents beyond this would build integers of millions of digits: refuse them rather than
// hang (no reward, size or λ a user can mean needs more).
constexpr std::int64_t kMaxExponentMagnitude = 4000;

// Base 10 always: Boost's string constructor auto-detects the base, reading "08" as octal.
boost::multiprecision::mpz_int decimal_integer(std::string_view digits) {
  const auto first = digits.find_first_not_of('0');
  const std::string significant(first == std::string_view::npos ? "0" : digits.substr(first));
  return boost::multiprecision::mpz_int(significant);
}

std::optional<Rational> parse_integer(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (!all_digits(text)) return std::nullopt;
  Rational value{decimal_integer(text)};
  return negative ? Rational(-value) : value;
}

std::optional<Rational> parse_decimal(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  std::int64_t exponent = 0;
  if (auto e = text.find_first_of("eE"); e != std::string_view::npos) {
    std::string_view exp_text = text.substr(e + 1);
    text = text.substr(0, e);
    bool exp_negative = false;
    if (!exp_text.empty() && (exp_text[0] == '-' || exp_text[0] == '+')) {
      exp_negative = exp_text[0] == '-';
      exp_text.remove_prefix(1);
    }
    if (!all_digits(exp_text) || exp_text.size() > 6) return std::nullopt;
    exponent = std::stoll(std::string(exp_text));
    if (exp_negative) exponent = -exponent;
  }
  std::string digits;
  if (auto dot = text.find('.'); dot != std::string_view::npos) {
    std::string_view whole = text.substr(0, dot), fraction = text.substr(dot + 1);
    if (whole.empty() && fraction.empty()) return std::nullopt;
    if ((!whole.empty() && !all_digits(whole)) || (!fraction.empty() && !all_digits(fraction)))
      return std::nullopt;
    digits = std::string(whole) + std::string(fraction);
    exponent -= static_cast<std::int64_t>(fraction.size());
  } else {
    if (!all_digits(text)) return std::nullopt;
    digits = std::string(text);
  }
  if (exponent > kMaxExponentMagnitude || exponent < -kMaxExponentMagnitude) return std::nullopt;
  boost::multiprecision::mpz_int numerator = decimal_integer(digits);
  boost::multiprecision::mpz_int scale =
      boost::multiprecision::pow(boost::multiprecision::mpz_int(10),
                                 static_cast<unsigned>(exponent < 0 ? -exponent : exponent));
  Rational value = exponent < 0 ? Rational(numerator, scale) : Rational(numerator * scale);
  return negative ? Rational(-value) : value;
}

}  // namespace

std::optional<ExactNumber> parse_exact_number(std::string_view text) {
  if (text.empty() || text.size() > 10000) return std::nullopt;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    auto numerator = parse_integer(text.substr(0, slash));
    std::string_view denominator_text = text.substr(slash + 1);
    if (!denominator_text.empty() && denominator_text[0] == '+') denominator_text.remove_prefix(1);
    if (!numerator || !all_digits(denominator_text)) return std::nullopt;
    boost::multiprecision::mpz_int denominator = decimal_integer(denominator_text);
    if (denominator == 0) return std::nullopt;
    return ExactNumber{
        Rational(numerator->convert_to<boost::multiprecision::mpz_int>(), denominator), false};
  }
  bool decimal = text.find_first_of(".eE") != std::string_view::npos;
  auto value = decimal ? parse_decimal(text) : parse_integer(text);
  if (!value) return std::nullopt;
  return ExactNumber{*value, decimal};
}

std::string to_exact_string(const Rational& value) { return value.str(); }

}  // namespace mechcheck

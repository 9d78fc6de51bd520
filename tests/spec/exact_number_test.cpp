#include "spec/exact_number.hpp"

#include <gtest/gtest.h>

namespace mechcheck {
namespace {

Rational parsed(const char* text) {
  auto number = parse_exact_number(text);
  EXPECT_TRUE(number.has_value()) << text;
  return number ? number->value : Rational(-999);
}

TEST(ExactNumber, ReadsIntegersFractionsAndDecimalsExactly) {
  EXPECT_EQ(parsed("3"), Rational(3));
  EXPECT_EQ(parsed("-7"), Rational(-7));
  EXPECT_EQ(parsed("1/3"), Rational(1, 3));
  EXPECT_EQ(parsed("-2/6"), Rational(-1, 3));
  EXPECT_EQ(parsed("0.2"), Rational(1, 5));
  EXPECT_EQ(parsed(".5"), Rational(1, 2));
  EXPECT_EQ(parsed("5."), Rational(5));
  EXPECT_EQ(parsed("1e-7"), Rational(1, 10000000));
  EXPECT_EQ(parsed("2.5E+3"), Rational(2500));
  EXPECT_EQ(parsed("-1.25e-1"), Rational(-1, 8));
}

TEST(ExactNumber, LeadingZerosAreDecimalNotOctal) {
  EXPECT_EQ(parsed("08"), Rational(8));
  EXPECT_EQ(parsed("0.08"), Rational(2, 25));
  EXPECT_EQ(parsed("010/012"), Rational(10, 12));
  EXPECT_EQ(parsed("000"), Rational(0));
}

TEST(ExactNumber, MarksDecimalsSoNormalizationMayUseATolerance) {
  EXPECT_TRUE(parse_exact_number("0.25")->is_decimal);
  EXPECT_TRUE(parse_exact_number("1e3")->is_decimal);
  EXPECT_FALSE(parse_exact_number("1/4")->is_decimal);
  EXPECT_FALSE(parse_exact_number("4")->is_decimal);
}

TEST(ExactNumber, RejectsAnythingElse) {
  for (const char* bad : {"", "abc", "1/0", "1/-2", "0x10", "1.2.3", "1e", "e5", "1/2/3", "--1",
                          ".", "1 ", " 1", "inf", "nan", "1e9999999", "1/2.5", "+", "1,5"})
    EXPECT_FALSE(parse_exact_number(bad).has_value()) << '"' << bad << '"';
}

TEST(ExactNumber, PrintsCanonicalFractions) {
  EXPECT_EQ(to_exact_string(Rational(2, 6)), "1/3");
  EXPECT_EQ(to_exact_string(Rational(4, 2)), "2");
}

}  // namespace
}  // namespace mechcheck

// libFuzzer target: mechcheck::parse_exact_number on arbitrary strings.
//
// Expected behaviour: it never throws (nullopt is the only way to refuse), and every accepted
// value round-trips through its canonical text: parse(to_exact_string(v)) == v, read as exact
// (not decimal), and the canonical text is stable. As an independent oracle for decimals, the
// value rounded to double must equal glibc's correctly rounded strtod of the same text
// (check "strtod"; skip with MECHCHECK_FUZZ_SKIP=strtod).
#include <mpfr.h>

#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>

#include "fuzz_support.hpp"
#include "spec/exact_number.hpp"

namespace {

using namespace mechcheck;
using fuzz::check_enabled;
using fuzz::fail;
using fuzz::shorten;

std::optional<ExactNumber> parse_or_fail(std::string_view text, const char* what) {
  try {
    return parse_exact_number(text);
  } catch (const std::exception& e) {
    fail("exception", std::string("parse_exact_number(") + what + ") threw " + typeid(e).name() +
                          ": " + e.what() + "; text = \"" + shorten(std::string(text)) + "\"");
  } catch (...) {
    fail("exception", std::string("parse_exact_number(") + what +
                          ") threw a non-std exception; text = \"" + shorten(std::string(text)) +
                          "\"");
  }
}

// The rational rounded to nearest double by MPFR (53-bit precision, one correct rounding).
double to_double_nearest(const Rational& value) {
  mpfr_t x;
  mpfr_init2(x, 53);
  mpfr_set_q(x, value.backend().data(), MPFR_RNDN);
  const double d = mpfr_get_d(x, MPFR_RNDN);
  mpfr_clear(x);
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<ExactNumber> parsed = parse_or_fail(text, "input");
  if (!parsed) return 0;

  const std::string canonical = to_exact_string(parsed->value);
  const std::optional<ExactNumber> again = parse_or_fail(canonical, "canonical text");
  if (!again)
    fail("roundtrip", "canonical text \"" + shorten(canonical) + "\" of \"" +
                          shorten(std::string(text)) + "\" is refused");
  if (again->value != parsed->value)
    fail("roundtrip", "\"" + shorten(std::string(text)) + "\" -> \"" + shorten(canonical) +
                          "\" -> \"" + shorten(to_exact_string(again->value)) + "\"");
  if (again->is_decimal)
    fail("roundtrip", "canonical text \"" + shorten(canonical) + "\" reads as a decimal");
  if (to_exact_string(again->value) != canonical)
    fail("roundtrip", "canonical text is not stable: \"" + shorten(canonical) + "\"");

  // Independent oracle for decimals: glibc's strtod is correctly rounded.
  if (check_enabled("strtod") && text.find('/') == std::string_view::npos) {
    const std::string copy(text);
    errno = 0;
    char* end = nullptr;
    const double expected = std::strtod(copy.c_str(), &end);
    const bool range_error = errno == ERANGE;
    if (end != copy.c_str() + copy.size())
      fail("strtod", "accepted \"" + shorten(copy) + "\" but strtod stops at byte " +
                         std::to_string(end - copy.c_str()));
    const double actual = to_double_nearest(parsed->value);
    // Compare in the normal range only (subnormal rounding and overflow are strtod's business).
    if (!range_error && std::isfinite(expected) &&
        (expected == 0 || std::abs(expected) >= DBL_MIN) && actual != expected &&
        !(expected == 0 && actual == 0))
      fail("strtod", "\"" + shorten(copy) + "\" parsed as " + shorten(canonical) + " ~ " +
                         std::to_string(actual) + " but strtod gives " + std::to_string(expected));
  }
  return 0;
}

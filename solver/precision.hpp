#pragma once
// Run-time choice of the scalar: `--precision double|50|100|exact` → a call with that type.
#include <optional>
#include <string_view>

#include "solver/scalar.hpp"

namespace mechcheck {

enum class Precision { binary64, digits50, digits100, exact };

inline std::optional<Precision> parse_precision(std::string_view text) {
  if (text == "double") return Precision::binary64;
  if (text == "50") return Precision::digits50;
  if (text == "100") return Precision::digits100;
  if (text == "exact") return Precision::exact;
  return std::nullopt;
}

// Calls visitor.template operator()<S>() with the scalar type of `precision`.
template <class Visitor>
decltype(auto) with_scalar(Precision precision, Visitor&& visitor) {
  switch (precision) {
    case Precision::digits50:
      return visitor.template operator()<Float50>();
    case Precision::digits100:
      return visitor.template operator()<Float100>();
    case Precision::exact:
      return visitor.template operator()<Rational>();
    case Precision::binary64:
    default:
      return visitor.template operator()<double>();
  }
}

}  // namespace mechcheck

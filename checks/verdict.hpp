#pragma once
// Three-valued verdicts: a check that cannot say "violated" is not a check, and "unknown"
// is never a pass.
#include <string_view>

#include "spec/enum_names.hpp"

namespace mechcheck {

enum class Verdict { holds, violated, inconclusive };

inline constexpr EnumName<Verdict> kVerdictNames[] = {{Verdict::holds, "holds"},
                                                      {Verdict::violated, "violated"},
                                                      {Verdict::inconclusive, "inconclusive"}};

constexpr std::string_view verdict_name(Verdict verdict) { return name_of(kVerdictNames, verdict); }

// Combining verdicts of parts: any violation wins, then any inconclusive part.
constexpr Verdict combine(Verdict a, Verdict b) {
  if (a == Verdict::violated || b == Verdict::violated) return Verdict::violated;
  if (a == Verdict::inconclusive || b == Verdict::inconclusive) return Verdict::inconclusive;
  return Verdict::holds;
}

}  // namespace mechcheck

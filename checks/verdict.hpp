#pragma once
// Three-valued verdicts: a check that cannot say "violated" is not a check, and "unknown"
// is never a pass.
#include <string_view>

namespace mechcheck {

enum class Verdict { holds, violated, inconclusive };

constexpr std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::holds:
      return "holds";
    case Verdict::violated:
      return "violated";
    default:
      return "inconclusive";
  }
}

// Combining verdicts of parts: any violation wins, then any inconclusive part.
constexpr Verdict combine(Verdict a, Verdict b) {
  if (a == Verdict::violated || b == Verdict::violated) return Verdict::violated;
  if (a == Verdict::inconclusive || b == Verdict::inconclusive) return Verdict::inconclusive;
  return Verdict::holds;
}

}  // namespace mechcheck

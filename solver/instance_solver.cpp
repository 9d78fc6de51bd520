#include "solver/instance_solver.hpp"

#include <cmath>

namespace mechcheck {

void require_precision_supported(const Instance& instance, Precision precision) {
  if (precision == Precision::exact && !has_rational_optimum(instance.rule.divergence))
    throw SpecError("rule.divergence",
                    "is \"" + std::string(divergence_name(instance.rule.divergence)) +
                        "\", whose optimum is irrational: --precision exact supports chi2 and tv; "
                        "use --precision 100");
}

int conditioning_digits(const Instance& instance) {
  Rational largest = 0;
  for (std::size_t x = 0; x < instance.outcome_count(); ++x) {
    Rational score = 0;
    for (const Group& group : instance.groups) score += group.size * group.reward[x];
    largest = std::max(largest, score);
  }
  const Rational ratio = largest / instance.rule.lambda;
  if (ratio <= 1) return 0;
  const double digits = log10(Float50(ratio)).convert_to<double>();  // finite for any λ > 0
  return static_cast<int>(std::ceil(std::min(digits, 1e6)));
}

}  // namespace mechcheck

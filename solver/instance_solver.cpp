#include "solver/instance_solver.hpp"

#include <cmath>
#include <limits>

namespace mechcheck {

void require_precision_supported(const Instance& instance, Precision precision) {
  if (precision == Precision::exact && is_welfare_rule(instance.rule.type))
    throw SpecError("rule.type", "is \"" + std::string(rule_type_name(instance.rule.type)) +
                                     "\", whose optimum is irrational: --precision exact "
                                     "supports sw-max rules with chi2 and tv; use --precision 100");
  if (precision == Precision::exact && !has_rational_optimum(instance.rule.divergence))
    throw SpecError("rule.divergence",
                    "is \"" + std::string(divergence_name(instance.rule.divergence)) +
                        "\", whose optimum is irrational: --precision exact supports chi2 and tv; "
                        "use --precision 100");
}

bool fits_double(const Instance& instance) {
  const Rational smallest(std::numeric_limits<double>::min());
  for (const Rational& p : instance.initial)
    if (p < smallest) return false;
  return instance.rule.lambda >= smallest && instance.rule.lambda <= Rational(1e300) &&
         instance.max_group_size <= Rational(1e300);
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

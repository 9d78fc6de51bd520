#include "solver/instance_solver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mechcheck {

void require_precision_supported(const Instance& instance, Precision precision) {
  if (precision == Precision::exact && is_welfare_rule(instance.rule.type))
    throw SpecError("rule.type", "is \"" + std::string(rule_type_name(instance.rule.type)) +
                                     "\", whose optimum is irrational: exact arithmetic "
                                     "supports sw-max rules with chi2 and tv; use 100 digits");
  if (precision == Precision::exact && !has_rational_optimum(instance.rule.divergence))
    throw SpecError("rule.divergence",
                    "is \"" + std::string(divergence_name(instance.rule.divergence)) +
                        "\", whose optimum is irrational: exact arithmetic supports chi2 and tv; "
                        "use 100 digits");
  if (precision == Precision::exact && !exact_arithmetic_applies(instance))
    throw SpecError(instance.rule.type == RuleType::trained &&
                            instance.rule.trainer.steps > kMaxExactTrainingSteps
                        ? "rule.trainer.steps"
                        : "payment.trainer.steps",
                    "is over " + std::to_string(kMaxExactTrainingSteps) +
                        ": exact projected-gradient iterates grow with every step; use 100 digits");
}

bool fits_double(const Instance& instance) {
  const Rational smallest(std::numeric_limits<double>::min());
  for (const Rational& p : instance.initial)
    if (p < smallest) return false;
  return instance.rule.lambda >= smallest && instance.rule.lambda <= Rational(1e300) &&
         instance.max_group_size <= Rational(1e300);
}

namespace {

// ⌈log10(ratio)⌉ for an exact ratio > 1 (finite for any ratio a Float50 exponent holds).
int ceil_log10(const Rational& ratio) {
  const double digits = log10(Float50(ratio)).convert_to<double>();
  return static_cast<int>(std::ceil(std::min(digits, 1e6)));
}

// log10(max|v| / smallest nonzero |v(x) − v(y)|), or 0 when v takes one value.
int resolution_digits_of(std::vector<Rational> values) {
  std::sort(values.begin(), values.end());
  Rational smallest_gap = -1, largest = 0;
  for (std::size_t k = 0; k < values.size(); ++k) {
    largest = std::max(largest, Rational(abs(values[k])));
    if (k == 0 || values[k] == values[k - 1]) continue;
    const Rational gap = values[k] - values[k - 1];
    if (smallest_gap < 0 || gap < smallest_gap) smallest_gap = gap;
  }
  if (smallest_gap <= 0 || largest <= smallest_gap) return 0;
  return ceil_log10(largest / smallest_gap);
}

}  // namespace

std::vector<ExactScores> exact_scores(const Instance& instance, bool leave_one_out) {
  const std::size_t m = instance.outcome_count(), n = instance.group_count();
  const Rational sign = instance.rule.type == RuleType::anti_sw_max ? -1 : 1;
  // contribution[i][x] = ±w_i rm_i(x); each frame's score is a sum of them.
  std::vector<std::vector<Rational>> contribution(n, std::vector<Rational>(m));
  std::vector<Rational> total(m, Rational(0));
  for (std::size_t i = 0; i < n; ++i) {
    const Group& group = instance.groups[i];
    const Rational weight = sign * group.size;
    for (std::size_t x = 0; x < m; ++x) {
      contribution[i][x] = weight * group.reward[x];
      total[x] += contribution[i][x];
    }
  }
  std::vector<ExactScores> frames;
  frames.reserve(leave_one_out ? n + 1 : 1);
  frames.push_back(score_gaps(total));
  if (leave_one_out) {
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<Rational> others(m);
      for (std::size_t x = 0; x < m; ++x) others[x] = total[x] - contribution[i][x];
      frames.push_back(score_gaps(std::move(others)));
    }
  }
  return frames;
}

ExactScores score_gaps(std::vector<Rational> scores) {
  ExactScores out;
  out.top = scores.empty() ? Rational(0) : *std::max_element(scores.begin(), scores.end());
  for (Rational& score : scores) score -= out.top;
  out.gaps = std::move(scores);
  return out;
}

std::vector<Rational> others_scores(const Instance& instance, std::size_t group) {
  ExactScores frame = exact_scores(instance, true).at(group + 1);
  for (Rational& score : frame.gaps) score += frame.top;
  return std::move(frame.gaps);
}

ExactScores report_scores(std::vector<Rational> others, const Group& report, RuleType type) {
  const Rational weight = (type == RuleType::anti_sw_max ? -1 : 1) * report.size;
  for (std::size_t x = 0; x < others.size() && x < report.reward.size(); ++x)
    others[x] += weight * report.reward[x];
  return score_gaps(std::move(others));
}

int resolution_digits(const Instance& instance) {
  int digits = 0;
  std::vector<Rational> scores(instance.outcome_count(), Rational(0));
  for (const Group& group : instance.groups) {
    digits = std::max(digits, resolution_digits_of(group.reward));
    for (std::size_t x = 0; x < scores.size(); ++x) scores[x] += group.size * group.reward[x];
  }
  return std::max(digits, resolution_digits_of(std::move(scores)));
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
  return ceil_log10(ratio);  // finite for any λ > 0
}

}  // namespace mechcheck

#include "spec/instance.hpp"

#include <algorithm>

#include "spec/enum_names.hpp"
#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {

namespace {
constexpr EnumName<Normalization> kNormalizationNames[] = {{Normalization::sum, "sum"},
                                                           {Normalization::max, "max"}};
constexpr EnumName<RuleType> kRuleTypeNames[] = {{RuleType::sw_max, "sw-max"},
                                                 {RuleType::anti_sw_max, "anti-sw-max"},
                                                 {RuleType::maxmin, "maxmin"},
                                                 {RuleType::nash, "nash"},
                                                 {RuleType::power_mean, "power-mean"}};
constexpr EnumName<PaymentType> kPaymentTypeNames[] = {
    {PaymentType::zero, "zero"}, {PaymentType::affine_maximizer, "affine-maximizer"}};
}  // namespace

std::string_view normalization_name(Normalization normalization) {
  return name_of(kNormalizationNames, normalization);
}

std::string_view rule_type_name(RuleType type) { return name_of(kRuleTypeNames, type); }

bool is_welfare_rule(RuleType type) {
  return type == RuleType::maxmin || type == RuleType::nash || type == RuleType::power_mean;
}

bool rule_has_rational_optimum(const TrainingRule& rule) {
  return !is_welfare_rule(rule.type) && has_rational_optimum(rule.divergence);
}

std::string_view payment_type_name(PaymentType type) { return name_of(kPaymentTypeNames, type); }

namespace {

void validate_distribution(const std::vector<Rational>& values, std::size_t expected_size,
                           const std::string& field, bool strictly_positive) {
  if (values.size() != expected_size)
    throw SpecError(field, "has " + std::to_string(values.size()) + " entries, expected " +
                               std::to_string(expected_size));
  Rational total = 0;
  for (std::size_t x = 0; x < values.size(); ++x) {
    if (strictly_positive ? values[x] <= 0 : values[x] < 0)
      throw SpecError(field + "[" + std::to_string(x) + "]",
                      "is " + to_exact_string(values[x]) +
                          (strictly_positive ? ", expected > 0" : ", expected >= 0"));
    total += values[x];
  }
  if (total != 1) throw SpecError(field, "sums to " + to_exact_string(total) + ", expected 1");
}

}  // namespace

void validate(const Instance& instance) {
  const std::size_t m = instance.initial.size();
  if (m == 0) throw SpecError("initial", "must hold at least one outcome");
  if (instance.outcomes.size() != 0 && instance.outcomes.size() != m)
    throw SpecError("initial", "has " + std::to_string(m) + " entries but the outcome space has " +
                                   std::to_string(instance.outcomes.size()));
  validate_distribution(instance.initial, m, "initial", true);
  const Rational& cap = instance.max_group_size;
  if (cap < 1 || denominator(cap) != 1)
    throw SpecError("max_group_size", "is " + to_exact_string(cap) + ", expected an integer >= 1");
  if (instance.rule.lambda <= 0)
    throw SpecError("rule.lambda",
                    "is " + to_exact_string(instance.rule.lambda) + ", expected > 0");
  if (is_welfare_rule(instance.rule.type) && instance.rule.divergence == DivergenceKind::tv)
    throw SpecError("rule.divergence",
                    "is \"tv\", which the " + std::string(rule_type_name(instance.rule.type)) +
                        " rule does not support (its optimum is not differentiable in the "
                        "group weights); use kl, chi2, reverse-kl or hellinger");
  if (instance.rule.type == RuleType::power_mean && instance.rule.alpha < 0)
    throw SpecError("rule.alpha", "is " + to_exact_string(instance.rule.alpha) +
                                      ", expected >= 0 (the welfare must be concave)");
  if (instance.groups.empty()) throw SpecError("groups", "must hold at least one group");
  for (std::size_t i = 0; i < instance.groups.size(); ++i) {
    const Group& group = instance.groups[i];
    const std::string field = "groups[" + std::to_string(i) + "]";
    if (instance.normalization == Normalization::sum) {
      validate_distribution(group.reward, m, field + ".reward", false);
    } else {
      if (group.reward.size() != m)
        throw SpecError(field + ".reward", "has " + std::to_string(group.reward.size()) +
                                               " entries, expected " + std::to_string(m));
      for (std::size_t x = 0; x < m; ++x)
        if (group.reward[x] < 0)
          throw SpecError(field + ".reward[" + std::to_string(x) + "]",
                          "is " + to_exact_string(group.reward[x]) + ", expected >= 0");
      Rational top = *std::max_element(group.reward.begin(), group.reward.end());
      if (top != 1)
        throw SpecError(field + ".reward", "has maximum " + to_exact_string(top) + ", expected 1");
    }
    if (group.size < 1 || denominator(group.size) != 1 || group.size > cap)
      throw SpecError(field + ".size", "is " + to_exact_string(group.size) +
                                           ", expected an integer in 1.." + to_exact_string(cap));
  }
}

std::vector<Rational> uniform_reward(Normalization normalization, std::size_t outcome_count) {
  const Rational value =
      normalization == Normalization::sum ? Rational(1, static_cast<long>(outcome_count)) : 1;
  return std::vector<Rational>(outcome_count, value);
}

}  // namespace mechcheck

#include "spec/instance.hpp"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>

#include "spec/enum_names.hpp"
#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {

namespace {
constexpr EnumName<Normalization> kNormalizationNames[] = {{Normalization::sum, "sum"},
                                                           {Normalization::max, "max"}};
constexpr EnumName<RuleType> kRuleTypeNames[] = {
    {RuleType::sw_max, "sw-max"},         {RuleType::anti_sw_max, "anti-sw-max"},
    {RuleType::maxmin, "maxmin"},         {RuleType::nash, "nash"},
    {RuleType::power_mean, "power-mean"}, {RuleType::candidates, "candidates"},
    {RuleType::trained, "trained"}};
constexpr EnumName<PaymentType> kPaymentTypeNames[] = {
    {PaymentType::zero, "zero"},
    {PaymentType::affine_maximizer, "affine-maximizer"},
    {PaymentType::heuristic_1, "heuristic-1"},
    {PaymentType::heuristic_2, "heuristic-2"}};
constexpr EnumName<TrainerMethod> kTrainerMethodNames[] = {
    {TrainerMethod::mirror_descent, "mirror-descent"},
    {TrainerMethod::projected_gradient, "projected-gradient"}};
}  // namespace

std::string_view normalization_name(Normalization normalization) {
  return name_of(kNormalizationNames, normalization);
}

std::string_view rule_type_name(RuleType type) { return name_of(kRuleTypeNames, type); }

bool is_welfare_rule(RuleType type) {
  return type == RuleType::maxmin || type == RuleType::nash || type == RuleType::power_mean;
}

bool solved_on_score_gaps(RuleType type) {
  return type == RuleType::sw_max || type == RuleType::anti_sw_max;
}

bool rule_has_rational_optimum(const TrainingRule& rule) {
  return !is_welfare_rule(rule.type) && has_rational_optimum(rule.divergence);
}

bool exact_arithmetic_applies(const Instance& instance) {
  if (!rule_has_rational_optimum(instance.rule)) return false;
  if (instance.rule.type == RuleType::trained &&
      instance.rule.trainer.steps > kMaxExactTrainingSteps)
    return false;
  return !instance.payment.trainer || instance.payment.trainer->steps <= kMaxExactTrainingSteps;
}

std::string_view trainer_method_name(TrainerMethod method) {
  return name_of(kTrainerMethodNames, method);
}

bool trainer_fits_divergence(TrainerMethod method, DivergenceKind divergence) {
  return method == TrainerMethod::mirror_descent
             ? divergence == DivergenceKind::kl
             : divergence == DivergenceKind::chi2 || divergence == DivergenceKind::tv;
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

void validate_trainer(const Trainer& trainer, const TrainingRule& rule, const std::string& field) {
  if (!trainer_fits_divergence(trainer.method, rule.divergence))
    throw SpecError(field + ".method",
                    "is \"" + std::string(trainer_method_name(trainer.method)) +
                        "\", which does not train the " +
                        std::string(divergence_name(rule.divergence)) +
                        " objective (mirror-descent trains kl; projected-gradient chi2 and tv)");
  if (trainer.steps > kMaxTrainerSteps)
    throw SpecError(field + ".steps", "is " + std::to_string(trainer.steps) +
                                          ", expected an integer in 0.." +
                                          std::to_string(kMaxTrainerSteps));
  if (trainer.step_size <= 0)
    throw SpecError(field + ".step_size",
                    "is " + to_exact_string(trainer.step_size) + ", expected > 0");
  if (trainer.method == TrainerMethod::mirror_descent && trainer.step_size * rule.lambda > 1)
    throw SpecError(field + ".step_size", "is " + to_exact_string(trainer.step_size) +
                                              ", expected step_size * lambda <= 1 (here " +
                                              to_exact_string(trainer.step_size * rule.lambda) +
                                              ")");
}

void validate_finite_rule(const Instance& instance) {
  const TrainingRule& rule = instance.rule;
  if (rule.type == RuleType::candidates) {
    if (rule.rewarded_soups.has_value() == !rule.policies.empty())
      throw SpecError("rule.policies",
                      "give either the candidate policies or {\"rewarded-soups\"}");
    if (rule.rewarded_soups) {
      if (*rule.rewarded_soups > kMaxRewardedSoups)
        throw SpecError("rule.policies.rewarded-soups.count",
                        "is " + std::to_string(*rule.rewarded_soups) +
                            ", expected an integer in 0.." + std::to_string(kMaxRewardedSoups));
      const std::uint64_t count = rewarded_soup_count(instance.groups.size(), *rule.rewarded_soups);
      if (count > kMaxCandidates)
        throw SpecError("rule.policies.rewarded-soups.count",
                        "gives more than " + std::to_string(kMaxCandidates) + " candidates with " +
                            std::to_string(instance.groups.size()) + " groups");
    }
    if (rule.policies.size() > kMaxCandidates)
      throw SpecError("rule.policies",
                      "has more than " + std::to_string(kMaxCandidates) + " candidate policies");
    for (std::size_t k = 0; k < rule.policies.size(); ++k)
      validate_distribution(rule.policies[k], instance.initial.size(),
                            "rule.policies[" + std::to_string(k) + "]", false);
  } else if (!rule.policies.empty() || rule.rewarded_soups) {
    throw SpecError("rule.policies", "applies to the candidates rule only");
  }
  if (rule.type == RuleType::trained) validate_trainer(rule.trainer, rule, "rule.trainer");

  const PaymentRule& payment = instance.payment;
  const bool heuristic =
      payment.type == PaymentType::heuristic_1 || payment.type == PaymentType::heuristic_2;
  if (!heuristic) {
    if (payment.trainer) throw SpecError("payment.trainer", "applies to heuristic payments only");
    return;
  }
  if (rule.type != RuleType::sw_max && rule.type != RuleType::trained &&
      rule.type != RuleType::candidates)
    throw SpecError("payment.type",
                    "is \"" + std::string(payment_type_name(payment.type)) +
                        "\", which applies to the sw-max, trained and candidates rules only");
  if (payment.type == PaymentType::heuristic_1 && rule.type != RuleType::sw_max) {
    if (payment.trainer)
      throw SpecError("payment.trainer",
                      rule.type == RuleType::trained
                          ? "is not used: heuristic-1 takes the trained rule's own iterates"
                          : "is not used: heuristic-1 takes the candidate set itself");
    return;
  }
  if (!payment.trainer)
    throw SpecError("payment.trainer",
                    payment.type == PaymentType::heuristic_2
                        ? "is missing (the early-stopped trainer for the others' model)"
                        : "is missing (under an exact rule, the trainer whose iterates form "
                          "heuristic-1's candidate set)");
  validate_trainer(*payment.trainer, rule, "payment.trainer");
}

}  // namespace

std::uint64_t rewarded_soup_count(std::size_t groups, std::uint64_t mixtures) {
  // Points of the simplex lattice with denominator K + 1 in n coordinates: C(K + n, n − 1),
  // saturating at kMaxCandidates + 1.
  const std::uint64_t n = groups, resolution = mixtures + 1;
  if (n <= 1) return 1;
  boost::multiprecision::cpp_int count = 1;
  for (std::uint64_t k = 1; k < n; ++k) count = count * (resolution + k) / k;
  return count > kMaxCandidates ? kMaxCandidates + 1 : count.convert_to<std::uint64_t>();
}

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
  validate_finite_rule(instance);
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

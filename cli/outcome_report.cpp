#include "cli/outcome_report.hpp"

#include <fmt/format.h>

#include <optional>

#include "cli/number_format.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck::cli {
namespace {

template <class S>
nlohmann::json json_array(const Vector<S>& values) {
  nlohmann::json array = nlohmann::json::array();
  for (Eigen::Index i = 0; i < values.size(); ++i) array.push_back(json_number(values[i]));
  return array;
}

}  // namespace

template <class S>
bool outcome_is_finite(const MechanismOutcome<S>& outcome) {
  auto all_finite = [](const Vector<S>& values) {
    for (Eigen::Index i = 0; i < values.size(); ++i)
      if (!is_finite_number(values[i])) return false;
    return true;
  };
  return all_finite(outcome.solution.policy) && all_finite(outcome.valuations) &&
         all_finite(outcome.payments) && all_finite(outcome.utilities) &&
         is_finite_number(outcome.welfare) && is_finite_number(outcome.solution.divergence) &&
         is_finite_number(outcome.solution.objective);
}

namespace {

std::uint64_t candidate_count(const Instance& instance) {
  return instance.rule.rewarded_soups
             ? rewarded_soup_count(instance.group_count(), *instance.rule.rewarded_soups)
             : instance.rule.policies.size();
}

// Mirror descent's T-th iterate is the KL optimum at λ_T = λ/(1 − (1 − ηλ)^T)
// (solver/finite_training.hpp), shown to 17 digits.
std::optional<std::string> kl_temperature(const TrainingRule& rule) {
  if (rule.trainer.method != TrainerMethod::mirror_descent || rule.trainer.steps == 0)
    return std::nullopt;
  const Float50 temperature = mirror_descent_temperature(
      from_rational<Float50>(rule.lambda), from_rational<Float50>(rule.trainer.step_size),
      static_cast<long>(rule.trainer.steps));
  return temperature.str(17);
}

}  // namespace

template <class S>
nlohmann::json outcome_json(const Instance& instance, const MechanismOutcome<S>& outcome) {
  nlohmann::json report = {{"precision", ScalarTraits<S>::name},
                           {"outcomes", instance.outcomes.labels},
                           {"policy", json_array(outcome.solution.policy)},
                           {"payments", json_array(outcome.payments)},
                           {"valuations", json_array(outcome.valuations)},
                           {"utilities", json_array(outcome.utilities)},
                           {"welfare", json_number(outcome.welfare)},
                           {"divergence", json_number(outcome.solution.divergence)},
                           {"objective", json_number(outcome.solution.objective)}};
  // The welfare rules' certificate: ψ is SW-Max for the weights β, optimal within the gap.
  if (is_welfare_rule(instance.rule.type))
    report["certificate"] = {{"duality_gap", json_number(outcome.duality_gap)},
                             {"sw_max_weights", json_array(outcome.rule_weights)}};
  if (instance.rule.type == RuleType::candidates)
    report["candidate"] = {{"index", outcome.choice}, {"of", candidate_count(instance)}};
  if (instance.rule.type == RuleType::trained) {
    report["iterate"] = outcome.choice;
    if (auto temperature = kl_temperature(instance.rule)) report["kl_temperature"] = *temperature;
  }
  return report;
}

template <class S>
std::string outcome_table(const Instance& instance, const MechanismOutcome<S>& outcome) {
  std::string out =
      fmt::format("rule: {}, {} divergence, lambda = {}; payment: {}; precision: {}\n",
                  rule_type_name(instance.rule.type), divergence_name(instance.rule.divergence),
                  to_exact_string(instance.rule.lambda), payment_type_name(instance.payment.type),
                  ScalarTraits<S>::name);
  out += fmt::format("\n{:<24} {:>22} {:>22}\n", "outcome", "initial", "policy");
  const std::size_t shown = std::min<std::size_t>(instance.outcome_count(), 50);
  for (std::size_t x = 0; x < shown; ++x)
    out += fmt::format("{:<24} {:>22} {:>22}\n", instance.outcomes.labels[x],
                       short_number(from_rational<double>(instance.initial[x])),
                       short_number(outcome.solution.policy[static_cast<Eigen::Index>(x)]));
  if (shown < instance.outcome_count())
    out += fmt::format("... {} more outcomes (use --format json for all)\n",
                       instance.outcome_count() - shown);
  out += fmt::format("\n{:<8} {:>6} {:>22} {:>22} {:>22}\n", "group", "size", "valuation",
                     "payment", "utility");
  for (std::size_t i = 0; i < instance.group_count(); ++i) {
    const auto g = static_cast<Eigen::Index>(i);
    out +=
        fmt::format("{:<8} {:>6} {:>22} {:>22} {:>22}\n", i,
                    to_exact_string(instance.groups[i].size), short_number(outcome.valuations[g]),
                    short_number(outcome.payments[g]), short_number(outcome.utilities[g]));
  }
  out += fmt::format("\nwelfare    {}\ndivergence {}\nobjective  {}\n",
                     short_number(outcome.welfare), short_number(outcome.solution.divergence),
                     short_number(outcome.solution.objective));
  if (is_welfare_rule(instance.rule.type))
    out += fmt::format("duality gap {}\n", short_number(outcome.duality_gap));
  if (instance.rule.type == RuleType::candidates)
    out +=
        fmt::format("candidate  {} of {} (0-based)\n", outcome.choice, candidate_count(instance));
  if (instance.rule.type == RuleType::trained) {
    out += fmt::format("iterate    {} ({})\n", outcome.choice,
                       trainer_method_name(instance.rule.trainer.method));
    if (auto temperature = kl_temperature(instance.rule))
      out += fmt::format("KL temperature {} (the iterate is the KL optimum at this lambda)\n",
                         *temperature);
  }
  return out;
}

#define MECHCHECK_REPORT_TEMPLATES(S)                                                   \
  template bool outcome_is_finite<S>(const MechanismOutcome<S>&);                       \
  template nlohmann::json outcome_json<S>(const Instance&, const MechanismOutcome<S>&); \
  template std::string outcome_table<S>(const Instance&, const MechanismOutcome<S>&);
MECHCHECK_REPORT_TEMPLATES(double)
MECHCHECK_REPORT_TEMPLATES(Float50)
MECHCHECK_REPORT_TEMPLATES(Float100)
MECHCHECK_REPORT_TEMPLATES(Rational)

}  // namespace mechcheck::cli

#include "mechanisms/rlhf_game/rlhf_external.hpp"

#include <fmt/format.h>

#include "mechanisms/rlhf_game/rlhf_deviations.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

// What group `agent` of its true type gets from an answer: w_i · Σ θ(x) rm_i(x) − p_i.
Rational utility(const Instance& instance, std::size_t agent, const RlhfAnswer& answer) {
  const Group& truth = instance.groups[agent];
  Rational value = 0;
  for (std::size_t x = 0; x < answer.policy.size(); ++x)
    value += answer.policy[x] * truth.reward[x];
  return truth.size * value - answer.payments[agent];
}

std::vector<RlhfAnswer> ask(const Instance& instance, const ExternalSetup& setup,
                            std::vector<json> profiles) {
  const std::size_t m = instance.outcome_count(), n = instance.group_count();
  return ask_mechanism<RlhfAnswer>(setup, std::move(profiles), [&](const json& result) {
    return decode_rlhf_answer(result, m, n);
  });
}

RlhfAnswer decode_outcome(const json& result, std::size_t outcomes, std::size_t groups,
                          const std::string& prefix) {
  if (!result.is_object())
    throw SpecError(prefix, "expected an object {\"policy\": [...], \"payments\": [...]}");
  for (const char* key : {"policy", "payments"})
    if (!result.contains(key)) throw SpecError(prefix + key, "is missing");
  RlhfAnswer answer;
  answer.policy = read_answer_array(result["policy"], prefix + "policy", outcomes);
  answer.payments = read_answer_array(result["payments"], prefix + "payments", groups);
  Rational total = 0;
  for (std::size_t x = 0; x < outcomes; ++x) {
    if (answer.policy[x] < 0)
      throw SpecError(prefix + "policy[" + std::to_string(x) + "]",
                      "is " + to_exact_string(answer.policy[x]) + ", expected >= 0");
    total += answer.policy[x];
  }
  if (abs(total - 1) > Rational(1, 1000000000))
    throw SpecError(prefix + "policy", fmt::format("sums to {}, expected 1 (within 1e-9)",
                                                   total.convert_to<double>()));
  return answer;
}

Measurement measure_answers(const Instance& instance, const Finding& finding,
                            const std::vector<RlhfAnswer>& answers, const Rational& tolerance) {
  const std::size_t i = finding.agent;
  switch (finding.property) {
    case Property::dsic:
      return measured_by_mechanism(
          utility(instance, i, answers[1]) - utility(instance, i, answers[0]), tolerance);
    case Property::ir:
      return measured_by_mechanism(utility(instance, i, answers[0]), tolerance);
    case Property::nonneg:
      return measured_by_mechanism(answers[0].payments[i], tolerance);
    default:
      throw SpecError("property", "is not a property of the rlhf-game family");
  }
}

class ExternalRlhfDeviations final : public RlhfReportSpace {
 public:
  ExternalRlhfDeviations(const Instance& instance, std::size_t agent,
                         std::shared_ptr<const ExternalSetup> setup)
      : RlhfReportSpace(instance, agent),
        instance_(instance),
        agent_(agent),
        setup_(std::move(setup)) {
    truthful_ =
        utility(instance_, agent_, ask(instance_, *setup_, {rlhf_profile_json(instance_)})[0]);
  }

  double gain(const Point& report) override {
    return gains(std::span<const Point>(&report, 1)).front();
  }
  std::vector<double> gains(std::span<const Point> reports) override {
    std::vector<json> profiles;
    profiles.reserve(reports.size());
    for (const Point& report : reports) {
      const Group group = report_group(exact(report));  // a legal exact report, as sent
      profiles.push_back(rlhf_profile_json(instance_, agent_, &group));
    }
    const std::vector<RlhfAnswer> answers = ask(instance_, *setup_, std::move(profiles));
    evaluations_ += static_cast<long>(answers.size());
    std::vector<double> out;
    out.reserve(answers.size());
    for (const RlhfAnswer& answer : answers)
      out.push_back(Rational(utility(instance_, agent_, answer) - truthful_).convert_to<double>());
    return out;
  }
  bool prefers_batches() const override { return true; }
  long evaluations() const override { return evaluations_; }

 private:
  Instance instance_;
  std::size_t agent_;
  std::shared_ptr<const ExternalSetup> setup_;
  Rational truthful_;
  long evaluations_ = 0;
};

std::vector<json> finding_profiles(const Instance& instance, const Finding& finding) {
  std::vector<json> profiles{rlhf_profile_json(instance)};
  if (finding.property == Property::dsic) {
    const Group deviation = report_group(*finding.deviation);
    profiles.push_back(rlhf_profile_json(instance, finding.agent, &deviation));
  }
  return profiles;
}

}  // namespace

json rlhf_profile_json(const Instance& instance, std::size_t agent, const Group* report) {
  json groups = json::array();
  for (std::size_t j = 0; j < instance.group_count(); ++j) {
    const Group& group = report && j == agent ? *report : instance.groups[j];
    groups.push_back(
        {{"reward", exact_array(group.reward)}, {"size", group.size.convert_to<long long>()}});
  }
  return {{"initial", exact_array(instance.initial)}, {"groups", groups}};
}

RlhfAnswer decode_rlhf_answer(const json& result, std::size_t outcomes, std::size_t groups) {
  const Lottery lottery = read_lottery(result, "\"policy\", \"payments\"");
  if (lottery.outcomes.size() == 1 && lottery.fields[0].empty())
    return decode_outcome(result, outcomes, groups, "");
  RlhfAnswer mixture{std::vector<Rational>(outcomes, Rational(0)),
                     std::vector<Rational>(groups, Rational(0))};
  for (std::size_t b = 0; b < lottery.outcomes.size(); ++b) {
    const RlhfAnswer drawn =
        decode_outcome(lottery.outcomes[b], outcomes, groups, lottery.fields[b]);
    const Rational& weight = lottery.probabilities[b];
    for (std::size_t x = 0; x < outcomes; ++x) mixture.policy[x] += weight * drawn.policy[x];
    for (std::size_t j = 0; j < groups; ++j) mixture.payments[j] += weight * drawn.payments[j];
  }
  return mixture;
}

std::unique_ptr<DeviationSpace> external_rlhf_deviations(
    const Instance& instance, std::size_t agent, std::shared_ptr<const ExternalSetup> setup) {
  return std::make_unique<ExternalRlhfDeviations>(instance, agent, std::move(setup));
}

Measurement measure_rlhf_externally(const Instance& instance, const Finding& finding,
                                    const ExternalSetup& setup) {
  if (finding.property == Property::approx_dsic)
    throw SpecError("property",
                    "approx-dsic needs the built-in solver's noise model; external mechanisms are "
                    "checked for dsic, ir and nonneg");
  const std::size_t m = instance.outcome_count(), n = instance.group_count();
  const AskedTwice<RlhfAnswer> asked =
      ask_twice<RlhfAnswer>(setup, finding_profiles(instance, finding),
                            [&](const json& result) { return decode_rlhf_answer(result, m, n); });
  Measurement out = measure_answers(instance, finding, asked.answers, setup.tolerance);
  json answers = {{"truthful", asked.raw[0]}};
  if (asked.raw.size() > 1) answers["deviation"] = asked.raw[1];
  out.answers = answers.dump();
  return out;
}

Measurement measure_rlhf_answers(const Instance& instance, const Finding& finding,
                                 const json& answers, const Rational& tolerance) {
  const std::size_t m = instance.outcome_count(), n = instance.group_count();
  std::vector<RlhfAnswer> decoded{decode_rlhf_answer(answers.at("truthful"), m, n)};
  if (finding.property == Property::dsic)
    decoded.push_back(decode_rlhf_answer(answers.at("deviation"), m, n));
  return measure_answers(instance, finding, decoded, tolerance);
}

}  // namespace mechcheck

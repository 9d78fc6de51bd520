#include "mechanisms/auction/auction_external.hpp"

#include <fmt/format.h>

#include "mechanisms/auction/auction_deviations.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

std::vector<Rational> with_bid(std::vector<Rational> bids, std::size_t agent, const Rational& bid) {
  bids[agent] = bid;
  return bids;
}

AuctionOutcome<Rational> decode_outcome(const json& result, const AuctionParameters& parameters,
                                        std::size_t agents, const std::string& prefix) {
  if (!result.is_object())
    throw SpecError(prefix, "expected an object {\"selected\": [...], \"payments\": [...]}");
  for (const char* key : {"selected", "payments"})
    if (!result.contains(key)) throw SpecError(prefix + key, "is missing");
  AuctionOutcome<Rational> outcome;
  const json& selected = result["selected"];
  if (!selected.is_array())
    throw SpecError(prefix + "selected", "expected an array of agent indices");
  std::vector<bool> seen(agents, false);
  for (std::size_t k = 0; k < selected.size(); ++k) {
    const std::string field = prefix + "selected[" + std::to_string(k) + "]";
    if (!selected[k].is_number_unsigned() || selected[k].get<std::size_t>() >= agents)
      throw SpecError(field, "is " + selected[k].dump() + ", expected an agent index below " +
                                 std::to_string(agents));
    const auto agent = selected[k].get<std::size_t>();
    if (seen[agent]) throw SpecError(field, "repeats agent " + std::to_string(agent));
    seen[agent] = true;
    outcome.selected.push_back(agent);
  }
  if (!parameters.unlimited_supply && outcome.selected.size() > parameters.units)
    throw SpecError(
        prefix + "selected",
        fmt::format("selects {} agents, but the auction has {} unit{} (an infeasible "
                    "outcome; declare \"unlimited_supply\": true in the parameters "
                    "if supply is unlimited)",
                    outcome.selected.size(), parameters.units, parameters.units == 1 ? "" : "s"));
  outcome.payments = read_answer_array(result["payments"], prefix + "payments", agents);
  return outcome;
}

std::vector<AuctionAnswer> ask(const AuctionParameters& parameters, const ExternalSetup& setup,
                               std::vector<json> profiles, std::size_t agents) {
  return ask_mechanism<AuctionAnswer>(setup, std::move(profiles), [&](const json& result) {
    return decode_auction_answer(result, parameters, agents);
  });
}

class ExternalAuctionDeviations final : public AuctionBidSpace {
 public:
  ExternalAuctionDeviations(const AuctionParameters& parameters, const std::vector<Rational>& types,
                            std::size_t agent, std::shared_ptr<const ExternalSetup> setup)
      : AuctionBidSpace(types, agent),
        parameters_(parameters),
        types_(types),
        setup_(std::move(setup)) {
    truthful_ = expected_utility(
        parameters_, ask(parameters_, *setup_, {auction_profile_json(types_)}, types_.size())[0],
        agent_, types_[agent_]);
  }

  double gain(const Point& report) override {
    return gains(std::span<const Point>(&report, 1)).front();
  }
  std::vector<double> gains(std::span<const Point> reports) override {
    std::vector<json> profiles;
    profiles.reserve(reports.size());
    for (const Point& report : reports)
      profiles.push_back(auction_profile_json(with_bid(types_, agent_, exact(report).front())));
    const auto answers = ask(parameters_, *setup_, std::move(profiles), types_.size());
    evaluations_ += static_cast<long>(answers.size());
    std::vector<double> out;
    out.reserve(answers.size());
    for (const AuctionAnswer& answer : answers)
      out.push_back(
          Rational(expected_utility(parameters_, answer, agent_, types_[agent_]) - truthful_)
              .convert_to<double>());
    return out;
  }
  bool prefers_batches() const override { return true; }
  long evaluations() const override { return evaluations_; }

 private:
  AuctionParameters parameters_;
  std::vector<Rational> types_;
  std::shared_ptr<const ExternalSetup> setup_;
  Rational truthful_;
  long evaluations_ = 0;
};

std::vector<json> finding_profiles(const std::vector<Rational>& types, const Finding& finding) {
  std::vector<json> profiles{auction_profile_json(types)};
  if (finding.property == Property::dsic)
    profiles.push_back(
        auction_profile_json(with_bid(types, finding.agent, finding.deviation->front())));
  return profiles;
}

Measurement measure_answers(const AuctionParameters& parameters, const std::vector<Rational>& types,
                            const Finding& finding, const std::vector<AuctionAnswer>& answers,
                            const Rational& tolerance) {
  const std::size_t i = finding.agent;
  switch (finding.property) {
    case Property::dsic:
      return measured_by_mechanism(expected_utility(parameters, answers[1], i, types[i]) -
                                       expected_utility(parameters, answers[0], i, types[i]),
                                   tolerance);
    case Property::ir:
      return measured_by_mechanism(expected_utility(parameters, answers[0], i, types[i]),
                                   tolerance);
    case Property::nonneg:
      return measured_by_mechanism(expected_payments(answers[0], types.size())[i], tolerance);
    case Property::budget: {
      Rational slack = 0;
      for (const Rational& t : types) slack += t;
      for (const Rational& p : expected_payments(answers[0], types.size())) slack -= p;
      return measured_by_mechanism(slack, tolerance);
    }
    case Property::revenue: {
      Rational revenue = 0;
      for (const Rational& p : expected_payments(answers[0], types.size())) revenue += p;
      return measured_by_mechanism(revenue, tolerance);
    }
    default:
      throw SpecError("property", "is not a property of the multi-unit-auction family");
  }
}

}  // namespace

Rational expected_utility(const AuctionParameters& parameters, const AuctionAnswer& answer,
                          std::size_t agent, const Rational& type) {
  Rational total = 0;
  for (std::size_t b = 0; b < answer.outcomes.size(); ++b)
    total += answer.probabilities[b] * auction_utility(parameters, answer.outcomes[b], agent, type);
  return total;
}

std::vector<Rational> expected_payments(const AuctionAnswer& answer, std::size_t agents) {
  std::vector<Rational> out(agents, Rational(0));
  for (std::size_t b = 0; b < answer.outcomes.size(); ++b)
    for (std::size_t i = 0; i < agents; ++i)
      out[i] += answer.probabilities[b] * answer.outcomes[b].payments[i];
  return out;
}

json auction_profile_json(const std::vector<Rational>& bids) {
  return {{"bids", exact_array(bids)}};
}

AuctionAnswer decode_auction_answer(const json& result, const AuctionParameters& parameters,
                                    std::size_t agents) {
  Lottery lottery = read_lottery(result, "\"selected\", \"payments\"");
  AuctionAnswer answer;
  answer.probabilities = std::move(lottery.probabilities);
  for (std::size_t b = 0; b < lottery.outcomes.size(); ++b)
    answer.outcomes.push_back(
        decode_outcome(lottery.outcomes[b], parameters, agents, lottery.fields[b]));
  return answer;
}

std::unique_ptr<DeviationSpace> external_auction_deviations(
    const AuctionParameters& parameters, const std::vector<Rational>& types, std::size_t agent,
    std::shared_ptr<const ExternalSetup> setup) {
  return std::make_unique<ExternalAuctionDeviations>(parameters, types, agent, std::move(setup));
}

Measurement measure_auction_externally(const AuctionParameters& parameters,
                                       const std::vector<Rational>& types, const Finding& finding,
                                       const ExternalSetup& setup) {
  const AskedTwice<AuctionAnswer> asked = ask_twice<AuctionAnswer>(
      setup, finding_profiles(types, finding),
      [&](const json& result) { return decode_auction_answer(result, parameters, types.size()); });
  Measurement out = measure_answers(parameters, types, finding, asked.answers, setup.tolerance);
  json answers = {{"truthful", asked.raw[0]}};
  if (asked.raw.size() > 1) answers["deviation"] = asked.raw[1];
  out.answers = answers.dump();
  return out;
}

Measurement measure_auction_answers(const AuctionParameters& parameters,
                                    const std::vector<Rational>& types, const Finding& finding,
                                    const json& answers, const Rational& tolerance) {
  std::vector<AuctionAnswer> decoded{
      decode_auction_answer(answers.at("truthful"), parameters, types.size())};
  if (finding.property == Property::dsic)
    decoded.push_back(decode_auction_answer(answers.at("deviation"), parameters, types.size()));
  return measure_answers(parameters, types, finding, decoded, tolerance);
}

}  // namespace mechcheck

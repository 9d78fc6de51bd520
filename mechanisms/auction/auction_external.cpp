#include "mechanisms/auction/auction_external.hpp"

#include "mechanisms/auction/auction_deviations.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

std::vector<AuctionOutcome<Rational>> ask(const ExternalSetup& setup,
                                          const std::vector<json>& profiles, std::size_t agents) {
  return run_and_decode<AuctionOutcome<Rational>>(
      *setup.mechanism, profiles,
      [&](const json& result) { return decode_auction_answer(result, agents); });
}

std::vector<Rational> with_bid(std::vector<Rational> bids, std::size_t agent, const Rational& bid) {
  bids[agent] = bid;
  return bids;
}

class ExternalAuctionDeviations final : public AuctionBidSpace {
 public:
  ExternalAuctionDeviations(const AuctionParameters& parameters, const std::vector<Rational>& types,
                            std::size_t agent, std::shared_ptr<const ExternalSetup> setup)
      : AuctionBidSpace(types, agent),
        parameters_(parameters),
        types_(types),
        setup_(std::move(setup)) {
    truthful_ =
        auction_utility(parameters_, ask(*setup_, {auction_profile_json(types_)}, types_.size())[0],
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
    const auto answers = ask(*setup_, profiles, types_.size());
    evaluations_ += static_cast<long>(answers.size());
    std::vector<double> out;
    out.reserve(answers.size());
    for (const AuctionOutcome<Rational>& answer : answers)
      out.push_back(
          Rational(auction_utility(parameters_, answer, agent_, types_[agent_]) - truthful_)
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

}  // namespace

json auction_profile_json(const std::vector<Rational>& bids) {
  return {{"bids", exact_array(bids)}};
}

AuctionOutcome<Rational> decode_auction_answer(const json& result, std::size_t agents) {
  if (!result.is_object())
    throw SpecError("", "expected an object {\"selected\": [...], \"payments\": [...]}");
  for (const char* key : {"selected", "payments"})
    if (!result.contains(key)) throw SpecError(key, "is missing");
  AuctionOutcome<Rational> outcome;
  const json& selected = result["selected"];
  if (!selected.is_array()) throw SpecError("selected", "expected an array of agent indices");
  std::vector<bool> seen(agents, false);
  for (std::size_t k = 0; k < selected.size(); ++k) {
    const std::string field = "selected[" + std::to_string(k) + "]";
    if (!selected[k].is_number_unsigned() || selected[k].get<std::size_t>() >= agents)
      throw SpecError(field, "is " + selected[k].dump() + ", expected an agent index below " +
                                 std::to_string(agents));
    const auto agent = selected[k].get<std::size_t>();
    if (seen[agent]) throw SpecError(field, "repeats agent " + std::to_string(agent));
    seen[agent] = true;
    outcome.selected.push_back(agent);
  }
  outcome.payments = read_answer_array(result["payments"], "payments", agents);
  return outcome;
}

std::unique_ptr<DeviationSpace> external_auction_deviations(
    const AuctionParameters& parameters, const std::vector<Rational>& types, std::size_t agent,
    std::shared_ptr<const ExternalSetup> setup) {
  return std::make_unique<ExternalAuctionDeviations>(parameters, types, agent, std::move(setup));
}

Measurement measure_auction_externally(const AuctionParameters& parameters,
                                       const std::vector<Rational>& types, const Finding& finding,
                                       const ExternalSetup& setup) {
  const auto answers = ask(setup, finding_profiles(types, finding), types.size());
  const std::size_t i = finding.agent;
  switch (finding.property) {
    case Property::dsic:
      return measured_by_mechanism(auction_utility(parameters, answers[1], i, types[i]) -
                                       auction_utility(parameters, answers[0], i, types[i]),
                                   setup.tolerance);
    case Property::ir:
      return measured_by_mechanism(auction_utility(parameters, answers[0], i, types[i]),
                                   setup.tolerance);
    case Property::nonneg:
      return measured_by_mechanism(answers[0].payments[i], setup.tolerance);
    case Property::budget: {
      Rational slack = 0;
      for (const Rational& t : types) slack += t;
      for (const Rational& p : answers[0].payments) slack -= p;
      return measured_by_mechanism(slack, setup.tolerance);
    }
    case Property::revenue: {
      Rational revenue = 0;
      for (const Rational& p : answers[0].payments) revenue += p;
      return measured_by_mechanism(revenue, setup.tolerance);
    }
    default:
      throw SpecError("property", "is not a property of the multi-unit-auction family");
  }
}

json auction_external_answers(const std::vector<Rational>& types, const Finding& finding,
                              const ExternalSetup& setup) {
  const ExternalMechanism::Reply reply = setup.mechanism->run(finding_profiles(types, finding));
  json out = {{"truthful", reply.results[0]}};
  if (reply.results.size() > 1) out["deviation"] = reply.results[1];
  return out;
}

}  // namespace mechcheck

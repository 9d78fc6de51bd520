#include "mechanisms/auction/auction_game.hpp"

#include <cmath>

#include "mechanisms/auction/auction_deviations.hpp"
#include "mechanisms/auction/auction_external.hpp"
#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

// The built-in auction's valuation: run_auction in double.
class AuctionDeviations final : public AuctionBidSpace {
 public:
  AuctionDeviations(const AuctionParameters& parameters, const std::vector<Rational>& types,
                    std::size_t agent)
      : AuctionBidSpace(types, agent), parameters_(parameters) {
    truthful_utility_ = utility(bids_[agent]);
  }
  double gain(const Point& report) override { return utility(report[0]) - truthful_utility_; }
  long evaluations() const override { return evaluations_; }

 private:
  AuctionParameters parameters_;
  double truthful_utility_ = 0;
  long evaluations_ = 0;

  double utility(double own_bid) {
    ++evaluations_;
    std::vector<double> bids = bids_;
    bids[agent_] = own_bid;
    return auction_utility(parameters_, run_auction(parameters_, bids), agent_, bids_[agent_]);
  }
};

Rational round_to(const Rational& value, long denominator) {
  const Rational scaled = value * denominator;
  const boost::multiprecision::mpz_int whole =
      numerator(scaled) / boost::multiprecision::denominator(scaled);
  const Rational below(whole, denominator), above(whole + 1, denominator);
  return abs(value - below) <= abs(above - value) ? below : above;
}

}  // namespace

void require_property_applies(Property property, Money money, const std::string& field) {
  if (property == Property::budget && money != Money::mechanism_pays)
    throw SpecError(field, "budget applies to mechanism-pays auctions only");
  if (property == Property::revenue && money != Money::agents_pay)
    throw SpecError(field,
                    "revenue applies to agents-pay auctions only (budget to mechanism-pays)");
}

void validate_auction(const AuctionParameters& parameters, const std::vector<Rational>& types,
                      const std::string& field) {
  if (types.size() < minimum_agents(parameters) || types.size() > 12)
    throw SpecError(field, "has " + std::to_string(types.size()) + " agents, expected " +
                               std::to_string(minimum_agents(parameters)) +
                               "..12 (units + 1 at least)");
  for (std::size_t i = 0; i < types.size(); ++i)
    if (types[i] < 0)
      throw SpecError(field + "[" + std::to_string(i) + "]",
                      "is " + to_exact_string(types[i]) + ", expected >= 0");
}

AuctionGame::AuctionGame(AuctionParameters parameters, std::vector<Rational> types,
                         std::shared_ptr<const ExternalSetup> external)
    : parameters_(parameters), types_(std::move(types)), external_(std::move(external)) {
  validate_auction(parameters_, types_);
}

double AuctionGame::search_tolerance() const {
  if (external_) return external_->tolerance.convert_to<double>();
  double scale = 1;
  for (const Rational& t : types_) scale = std::max(scale, t.convert_to<double>());
  // Utilities are α_k·type − payment: rounding grows with the largest slot weight.
  if (!parameters_.slot_weights.empty())
    scale *= std::max(1.0, parameters_.slot_weights.front().convert_to<double>());
  return 1e-9 * scale;
}

bool AuctionGame::is_truthful(const Finding& finding) const {
  return finding.deviation && finding.deviation->size() == 1 && finding.agent < types_.size() &&
         finding.deviation->front() == types_[finding.agent];
}

std::unique_ptr<DeviationSpace> AuctionGame::deviations(std::size_t agent) const {
  if (external_) return external_auction_deviations(parameters_, types_, agent, external_);
  return std::make_unique<AuctionDeviations>(parameters_, types_, agent);
}

Measurement AuctionGame::measure(const Finding& finding) const {
  if (external_) return measure_auction_externally(parameters_, types_, finding, *external_);
  const AuctionOutcome<Rational> truthful = run_auction(parameters_, types_);
  const std::size_t i = finding.agent;
  switch (finding.property) {
    case Property::dsic: {
      std::vector<Rational> bids = types_;
      bids[i] = finding.deviation->front();
      return exact_measurement(
          auction_utility(parameters_, run_auction(parameters_, bids), i, types_[i]) -
          auction_utility(parameters_, truthful, i, types_[i]));
    }
    case Property::ir:
      return exact_measurement(auction_utility(parameters_, truthful, i, types_[i]));
    case Property::nonneg:
      return exact_measurement(truthful.payments[i]);
    case Property::budget: {
      Rational slack = 0;
      for (const Rational& t : types_) slack += t;
      for (const Rational& p : truthful.payments) slack -= p;
      return exact_measurement(slack);
    }
    case Property::revenue: {
      Rational revenue = 0;
      for (const Rational& p : truthful.payments) revenue += p;
      return exact_measurement(revenue);
    }
    default:
      throw SpecError("property", "is \"" + std::string(property_name(finding.property)) +
                                      "\", which the multi-unit-auction family does not declare");
  }
}

void AuctionGame::validate(const Finding& finding) const {
  if (finding.property == Property::approx_dsic)
    throw SpecError("property", "is \"" + std::string(property_name(finding.property)) + "\", " +
                                    kAuctionPropertiesExpected);
  require_property_applies(finding.property, parameters_.money, "property");
  if (finding.agent >= types_.size())
    throw SpecError("agent", "is " + std::to_string(finding.agent) +
                                 ", expected an agent index below " +
                                 std::to_string(types_.size()));
  if (finding.property != Property::dsic) return;
  if (!finding.deviation || finding.deviation->size() != 1)
    throw SpecError("deviation.bid", "is missing");
  if (finding.deviation->front() < 0)
    throw SpecError("deviation.bid",
                    "is " + to_exact_string(finding.deviation->front()) + ", expected >= 0");
}

std::vector<Game::Shrunk> AuctionGame::shrink_candidates(const Finding& finding) const {
  std::vector<Shrunk> out;
  if (types_.size() > minimum_agents(parameters_)) {
    for (std::size_t j = 0; j < types_.size(); ++j) {
      if (j == finding.agent && !whole_profile(finding.property)) continue;
      std::vector<Rational> fewer = types_;
      fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(j));
      Finding candidate = finding;
      if (candidate.agent > j || (candidate.agent == j && j > 0)) --candidate.agent;
      out.push_back(
          {std::make_shared<AuctionGame>(parameters_, std::move(fewer), external_), candidate});
    }
  }
  for (long denominator : {1L, 2L, 4L, 10L, 100L}) {
    std::vector<Rational> simpler;
    for (const Rational& t : types_) simpler.push_back(round_to(t, denominator));
    Finding candidate = finding;
    if (candidate.deviation)
      candidate.deviation = ExactPoint{round_to(candidate.deviation->front(), denominator)};
    out.push_back({std::make_shared<AuctionGame>(parameters_, std::move(simpler), external_),
                   candidate, true});
  }
  return out;
}

// resolution + 1 evenly spaced points of the range (default: 0 to twice the largest type).
std::vector<ExactPoint> AuctionGame::type_grid(
    std::size_t, int resolution, const std::optional<std::pair<Rational, Rational>>& range) const {
  Rational low = 0, high = 0;
  if (range) {
    std::tie(low, high) = *range;
  } else {
    for (const Rational& t : types_) high = std::max(high, 2 * t);
    if (high == 0) high = 1;
  }
  std::vector<ExactPoint> grid;
  for (int j = 0; j <= resolution; ++j)
    grid.push_back({low + (high - low) * Rational(j, resolution)});
  return grid;
}

std::optional<std::vector<std::vector<Rational>>> AuctionGame::exact_type_values(
    std::size_t agent, const std::vector<ExactPoint>& types) const {
  if (external_) return std::nullopt;  // implementability of external mechanisms: not yet
  std::vector<std::vector<Rational>> values;
  for (const ExactPoint& report : types) {
    std::vector<Rational> bids = types_;
    bids[agent] = report.front();
    const AuctionOutcome<Rational> outcome = run_auction(parameters_, bids);
    std::vector<Rational> row;
    for (const ExactPoint& truth : types)
      row.push_back(auction_valuation(parameters_, outcome, agent, truth.front()));
    values.push_back(std::move(row));
  }
  return values;
}

std::size_t AuctionGame::size_in_digits(const Finding& finding) const {
  std::size_t digits = 0;
  for (const Rational& t : types_) digits += to_exact_string(t).size();
  if (finding.deviation) digits += to_exact_string(finding.deviation->front()).size();
  return digits;
}

}  // namespace mechcheck

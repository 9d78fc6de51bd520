#include "mechanisms/auction/auction_game.hpp"

#include <cmath>

#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

std::vector<double> as_doubles(const std::vector<Rational>& values) {
  std::vector<double> out;
  for (const Rational& v : values) out.push_back(v.convert_to<double>());
  return out;
}

// A bid from the search as an exact rational: 12 decimals when that is within 1e-12 of it
// (the bids the search builds are short decimals), its exact binary value otherwise.
Rational exact_bid(double bid) {
  if (!(bid > 0)) return Rational(0);
  const Rational rounded(static_cast<long long>(std::llround(bid * 1e12)), 1000000000000LL);
  if (bid < 1e6 && std::abs(rounded.convert_to<double>() - bid) <= 1e-12 * std::max(1.0, bid))
    return rounded;
  return Rational(bid);
}

class AuctionDeviations final : public DeviationSpace {
 public:
  AuctionDeviations(const AuctionParameters& parameters, const std::vector<Rational>& types,
                    std::size_t agent)
      : parameters_(parameters), bids_(as_doubles(types)), agent_(agent) {
    truth_ = Point::Constant(1, bids_[agent]);
    scale_ = 1;
    for (double bid : bids_) scale_ = std::max(scale_, bid);
    truthful_utility_ = utility(bids_[agent]);
  }

  const Point& truth() const override { return truth_; }
  double gain(const Point& report) override { return utility(report[0]) - truthful_utility_; }
  long evaluations() const override { return evaluations_; }

  // Bidding 0, the top of the range, every other agent's bid and just either side of it (where
  // selection and prices change), and scalings of the truth.
  std::vector<Move> structured(const SearchEffort&) override {
    std::vector<Move> moves{{bid(0), "zero-bid"}, {bid(2 * scale_), "top-bid"}};
    const double nudge = 1e-6 * scale_;
    for (std::size_t j = 0; j < bids_.size(); ++j) {
      if (j == agent_) continue;
      moves.push_back({bid(bids_[j]), "match-other"});
      moves.push_back({bid(bids_[j] + nudge), "beat-other"});
      if (bids_[j] > nudge) moves.push_back({bid(bids_[j] - nudge), "beat-other"});
    }
    for (double factor : {0.5, 0.9, 1.1, 2.0})
      moves.push_back({bid(factor * truth_[0]), "scaling"});
    return moves;
  }

  Point random_report(Rng& rng) override { return bid(rng.uniform(0, 2 * scale_)); }

  std::optional<Point> perturb(const Point& report, Rng& rng) override {
    return bid(std::max(0.0, report[0] + rng.uniform(-0.05, 0.05) * scale_));
  }

  void start_moves(const Point& current, double, double step) override {
    from_ = current[0], step_ = step * scale_, next_ = 0;
  }
  std::optional<Point> next_move(Rng&) override {
    switch (next_++) {
      case 0:
        return bid(from_ + step_);
      case 1:
        if (from_ - step_ >= 0) return bid(from_ - step_);
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  ExactPoint exact(const Point& report) const override { return {exact_bid(report[0])}; }

 private:
  AuctionParameters parameters_;
  std::vector<double> bids_;  // the others' truthful bids; the agent's entry is replaced
  std::size_t agent_;
  Point truth_;
  double scale_ = 1;
  double truthful_utility_ = 0;
  long evaluations_ = 0;
  double from_ = 0, step_ = 0;  // the local move in progress
  int next_ = 0;

  static Point bid(double value) { return Point::Constant(1, value); }

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

Measurement exactly(const Rational& value) {
  Measurement out;
  out.sign = value > 0 ? 1 : (value < 0 ? -1 : 0);
  out.text = to_exact_string(value);
  out.approx = value.convert_to<double>();
  out.precision = "exact";
  return out;
}

}  // namespace

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

AuctionGame::AuctionGame(AuctionParameters parameters, std::vector<Rational> types)
    : parameters_(parameters), types_(std::move(types)) {
  validate_auction(parameters_, types_);
}

double AuctionGame::search_tolerance() const {
  double scale = 1;
  for (const Rational& t : types_) scale = std::max(scale, t.convert_to<double>());
  return 1e-9 * scale;
}

std::unique_ptr<DeviationSpace> AuctionGame::deviations(std::size_t agent) const {
  return std::make_unique<AuctionDeviations>(parameters_, types_, agent);
}

Measurement AuctionGame::measure(const Finding& finding) const {
  const AuctionOutcome<Rational> truthful = run_auction(parameters_, types_);
  const std::size_t i = finding.agent;
  switch (finding.property) {
    case Property::dsic: {
      std::vector<Rational> bids = types_;
      bids[i] = finding.deviation->front();
      return exactly(auction_utility(parameters_, run_auction(parameters_, bids), i, types_[i]) -
                     auction_utility(parameters_, truthful, i, types_[i]));
    }
    case Property::ir:
      return exactly(auction_utility(parameters_, truthful, i, types_[i]));
    case Property::budget: {
      Rational slack = 0;
      for (const Rational& t : types_) slack += t;
      for (const Rational& p : truthful.payments) slack -= p;
      return exactly(slack);
    }
    default:
      throw SpecError("property", "is \"" + std::string(property_name(finding.property)) +
                                      "\", which the multi-unit-auction family does not declare");
  }
}

void AuctionGame::validate(const Finding& finding) const {
  if (finding.property != Property::dsic && finding.property != Property::ir &&
      finding.property != Property::budget)
    throw SpecError("property", "is \"" + std::string(property_name(finding.property)) +
                                    "\", expected dsic, ir or budget");
  if (finding.property == Property::budget && parameters_.money != Money::mechanism_pays)
    throw SpecError("property", "budget applies to mechanism-pays auctions only");
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
      if (j == finding.agent && finding.property != Property::budget) continue;
      std::vector<Rational> fewer = types_;
      fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(j));
      Finding candidate = finding;
      if (candidate.agent > j || (candidate.agent == j && j > 0)) --candidate.agent;
      out.push_back({std::make_shared<AuctionGame>(parameters_, std::move(fewer)), candidate});
    }
  }
  for (long denominator : {1L, 2L, 4L, 10L, 100L}) {
    std::vector<Rational> simpler;
    for (const Rational& t : types_) simpler.push_back(round_to(t, denominator));
    Finding candidate = finding;
    if (candidate.deviation)
      candidate.deviation = ExactPoint{round_to(candidate.deviation->front(), denominator)};
    out.push_back(
        {std::make_shared<AuctionGame>(parameters_, std::move(simpler)), candidate, true});
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

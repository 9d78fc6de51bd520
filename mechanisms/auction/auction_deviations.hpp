#pragma once
// An auction's deviation space without its valuation: which bids the search tries and the exact
// bid a point stands for. The built-in auction (auction_game.cpp) and an external mechanism
// (auction_external.cpp) each add gain().
#include <algorithm>
#include <cmath>

#include "mechanisms/game.hpp"

namespace mechcheck {

inline std::vector<double> as_doubles(const std::vector<Rational>& values) {
  std::vector<double> out;
  for (const Rational& v : values) out.push_back(v.convert_to<double>());
  return out;
}

// A bid from the search as an exact rational: 12 decimals when that is within 1e-12 of it
// (the bids the search builds are short decimals), its exact binary value otherwise.
inline Rational exact_bid(double bid) {
  if (!(bid > 0)) return Rational(0);
  const Rational rounded(static_cast<long long>(std::llround(bid * 1e12)), 1000000000000LL);
  if (bid < 1e6 && std::abs(rounded.convert_to<double>() - bid) <= 1e-12 * std::max(1.0, bid))
    return rounded;
  return Rational(bid);
}

// Agent i's bids as one-coordinate points: the search geometry of an auction, whatever computes
// the mechanism (the built-in run_auction or an external program supplies gain()).
class AuctionBidSpace : public DeviationSpace {
 public:
  AuctionBidSpace(const std::vector<Rational>& types, std::size_t agent)
      : bids_(as_doubles(types)), agent_(agent) {
    truth_ = Point::Constant(1, bids_[agent]);
    scale_ = 1;
    for (double bid : bids_) scale_ = std::max(scale_, bid);
  }

  const Point& truth() const override { return truth_; }

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

  void start_moves(Ascent& ascent, const double*) override { ascent.next = 0; }
  bool next_move(Ascent& ascent, Rng&, Point& out) override {
    const double from = ascent.from[0], step = ascent.step * scale_;
    switch (ascent.next++) {
      case 0:
        out = bid(from + step);
        return true;
      case 1:
        if (from - step < 0) return false;
        out = bid(from - step);
        return true;
      default:
        return false;
    }
  }

  ExactPoint exact(const Point& report) const override { return {exact_bid(report[0])}; }

 protected:
  std::vector<double> bids_;  // the others' truthful bids; the agent's entry is replaced
  std::size_t agent_;
  Point truth_;
  double scale_ = 1;

  static Point bid(double value) { return Point::Constant(1, value); }
};

}  // namespace mechcheck

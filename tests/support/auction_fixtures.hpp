#pragma once
// Small helpers the auction tests share: exact numbers, parameter sets, utilities and gains of
// the built-in rules worked by hand.
#include <initializer_list>
#include <vector>

#include "mechanisms/auction/auction.hpp"

namespace mechcheck::auction_fixtures {

using Values = std::vector<Rational>;

inline Rational r(long p, long q = 1) { return Rational(p, q); }

inline Values rationals(std::initializer_list<long> values) {
  Values out;
  for (long v : values) out.push_back(Rational(v));
  return out;
}

inline AuctionParameters auction(std::size_t units, Direction direction, Money money,
                                 AuctionPayment payment) {
  AuctionParameters parameters;
  parameters.units = units;
  parameters.direction = direction;
  parameters.money = money;
  parameters.payment = payment;
  return parameters;
}

// Every agent's utility when each bids its type.
inline Values truthful_utilities(const AuctionParameters& parameters, const Values& types) {
  const AuctionOutcome<Rational> outcome = run_auction(parameters, types);
  Values out;
  for (std::size_t i = 0; i < types.size(); ++i)
    out.push_back(auction_utility(parameters, outcome, i, types[i]));
  return out;
}

// u_i(bid) − u_i(truth), the others truthful.
inline Rational gain(const AuctionParameters& parameters, const Values& types, std::size_t agent,
                     const Rational& bid) {
  Values bids = types;
  bids[agent] = bid;
  return auction_utility(parameters, run_auction(parameters, bids), agent, types[agent]) -
         auction_utility(parameters, run_auction(parameters, types), agent, types[agent]);
}

}  // namespace mechcheck::auction_fixtures

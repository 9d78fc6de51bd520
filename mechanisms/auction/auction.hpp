#pragma once
// Single-parameter multi-unit auctions: k agents each hold one private scalar type (a value, or
// a cost in procurement) and bid; the mechanism selects `units` agents by bid and sets prices.
//  direction  highest-wins (sell K units / buy the K best responses) or lowest-wins (procure
//             from the K cheapest)
//  money      agents-pay: utility = value − price if selected, − price otherwise;
//             mechanism-pays: utility = price − cost if selected, + price otherwise
//             (every agent's payment counts: an all-pay auction charges its losers)
//  payment    kth-price (every selected agent's price is the K-th best bid), k-plus-1th-price
//             (the best losing bid), pay-as-bid (its own bid), vickrey-feedback
//             (VickreyFeedback's Algorithm 1: the second-best bid)
// Ties are broken toward the lowest agent index. Payments are money the agent pays
// (agents-pay) or receives (mechanism-pays); the built-in rules charge agents not selected 0.
#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "mechanisms/game.hpp"
#include "spec/enum_names.hpp"

namespace mechcheck {

enum class Direction { highest_wins, lowest_wins };
enum class AuctionPayment { kth_price, k_plus_1th_price, pay_as_bid, vickrey_feedback };

inline constexpr EnumName<Direction> kDirectionNames[] = {{Direction::highest_wins, "highest-wins"},
                                                          {Direction::lowest_wins, "lowest-wins"}};
inline constexpr EnumName<Money> kMoneyNames[] = {{Money::agents_pay, "agents-pay"},
                                                  {Money::mechanism_pays, "mechanism-pays"}};
inline constexpr EnumName<AuctionPayment> kAuctionPaymentNames[] = {
    {AuctionPayment::kth_price, "kth-price"},
    {AuctionPayment::k_plus_1th_price, "k-plus-1th-price"},
    {AuctionPayment::pay_as_bid, "pay-as-bid"},
    {AuctionPayment::vickrey_feedback, "vickrey-feedback"}};

struct AuctionParameters {
  std::size_t units = 1;
  Direction direction = Direction::highest_wins;
  Money money = Money::agents_pay;
  AuctionPayment payment = AuctionPayment::k_plus_1th_price;
  // An external mechanism may select more agents than `units` only when this is declared.
  bool unlimited_supply = false;
};

// Agents an auction needs: one more than the units, so every price rule has its bid.
inline std::size_t minimum_agents(const AuctionParameters& parameters) {
  return parameters.units + 1;
}

template <class S>
struct AuctionOutcome {
  std::vector<std::size_t> selected;  // agent indices, best bid first
  std::vector<S> payments;            // per agent; 0 when not selected
  bool operator==(const AuctionOutcome&) const = default;
};

// Agents ranked best bid first (highest or lowest), ties toward the lower index.
template <class S>
std::vector<std::size_t> ranking(const AuctionParameters& parameters, const std::vector<S>& bids) {
  std::vector<std::size_t> order(bids.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return parameters.direction == Direction::highest_wins ? bids[a] > bids[b] : bids[a] < bids[b];
  });
  return order;
}

template <class S>
AuctionOutcome<S> run_auction(const AuctionParameters& parameters, const std::vector<S>& bids) {
  const std::vector<std::size_t> order = ranking(parameters, bids);
  AuctionOutcome<S> out;
  out.payments.assign(bids.size(), S(0));
  const std::size_t units = std::min(parameters.units, bids.size());
  out.selected.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(units));
  for (std::size_t agent : out.selected) {
    switch (parameters.payment) {
      case AuctionPayment::kth_price:
        out.payments[agent] = bids[order[units - 1]];
        break;
      case AuctionPayment::k_plus_1th_price:
        out.payments[agent] = bids[order[units]];
        break;
      case AuctionPayment::pay_as_bid:
        out.payments[agent] = bids[agent];
        break;
      case AuctionPayment::vickrey_feedback:
        out.payments[agent] = bids[order[std::min<std::size_t>(1, bids.size() - 1)]];
        break;
    }
  }
  return out;
}

// The value of the outcome of `outcome` for a true type (no money): the implementability view.
template <class S>
S auction_valuation(const AuctionParameters& parameters, const AuctionOutcome<S>& outcome,
                    std::size_t agent, const S& type) {
  const bool selected =
      std::find(outcome.selected.begin(), outcome.selected.end(), agent) != outcome.selected.end();
  if (!selected) return S(0);
  return parameters.money == Money::agents_pay ? type : S(-type);
}

// What `agent` of true type `type` gets from the outcome: ± type if selected, plus money —
// whether selected or not (a loser who pays is worse off, whatever the protocol promised).
template <class S>
S auction_utility(const AuctionParameters& parameters, const AuctionOutcome<S>& outcome,
                  std::size_t agent, const S& type) {
  const S& price = outcome.payments[agent];
  const S value = auction_valuation(parameters, outcome, agent, type);
  return parameters.money == Money::agents_pay ? S(value - price) : S(value + price);
}

}  // namespace mechcheck

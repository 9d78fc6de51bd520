#pragma once
// Single-parameter multi-unit auctions: k agents each hold one private scalar type (a value, or
// a cost in procurement) and bid; the mechanism selects `units` agents by bid and sets prices.
//  direction     highest-wins (sell K units / buy the K best responses) or lowest-wins (procure
//                from the K cheapest)
//  slot_weights  position auctions: K slots of weights α_1 ≥ … ≥ α_K > 0 (click-through rates);
//                the k-th best bid gets slot k and α_k units of the good. Absent: every weight
//                is 1 (K identical units)
//  reserve       r: bids below r (highest-wins) or above r (lowest-wins) are not eligible, and
//                every price reads max(r, bid) (min for lowest-wins) in place of a bid, so a
//                bid missing for want of eligible agents counts as r
//  money         agents-pay: utility = α_k·value − payment if selected, − payment otherwise;
//                mechanism-pays: utility = payment − α_k·cost if selected, + payment otherwise
//                (every agent's payment counts: an all-pay auction charges its losers)
//  payment       the total for slot k is α_k × a price per unit of α:
//                kth-price (the K-th best bid), k-plus-1th-price (the best losing bid),
//                pay-as-bid (its own bid), vickrey-feedback (VickreyFeedback's Algorithm 1: the
//                second-best bid), gsp (the next bid, b_(k+1)); vcg charges
//                Σ_{j≥k} (α_j − α_{j+1})·b_(j+1) (α_{K+1} = 0), the welfare the others lose
// b_(j) is the j-th best bid with the reserve applied. With all weights 1, gsp is the
// (k+1)-th bid and vcg the (K+1)-th price. Ties are broken toward the lowest agent index.
// Payments are money the agent pays (agents-pay) or receives (mechanism-pays); the built-in rules
// charge agents not selected 0.
#include <algorithm>
#include <numeric>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "mechanisms/game.hpp"
#include "spec/enum_names.hpp"

namespace mechcheck {

enum class Direction { highest_wins, lowest_wins };
enum class AuctionPayment { kth_price, k_plus_1th_price, pay_as_bid, vickrey_feedback, gsp, vcg };

inline constexpr EnumName<Direction> kDirectionNames[] = {{Direction::highest_wins, "highest-wins"},
                                                          {Direction::lowest_wins, "lowest-wins"}};
inline constexpr EnumName<Money> kMoneyNames[] = {{Money::agents_pay, "agents-pay"},
                                                  {Money::mechanism_pays, "mechanism-pays"}};
inline constexpr EnumName<AuctionPayment> kAuctionPaymentNames[] = {
    {AuctionPayment::kth_price, "kth-price"},
    {AuctionPayment::k_plus_1th_price, "k-plus-1th-price"},
    {AuctionPayment::pay_as_bid, "pay-as-bid"},
    {AuctionPayment::vickrey_feedback, "vickrey-feedback"},
    {AuctionPayment::gsp, "gsp"},
    {AuctionPayment::vcg, "vcg"}};

struct AuctionParameters {
  std::size_t units = 1;
  Direction direction = Direction::highest_wins;
  Money money = Money::agents_pay;
  AuctionPayment payment = AuctionPayment::k_plus_1th_price;
  std::vector<Rational> slot_weights;  // α_1 ≥ … ≥ α_K > 0, K = units; empty: every weight 1
  std::optional<Rational> reserve;
  // An external mechanism may select more agents than `units` only when this is declared.
  bool unlimited_supply = false;
};

// Agents an auction needs: one more than the units, so every price rule has its bid.
inline std::size_t minimum_agents(const AuctionParameters& parameters) {
  return parameters.units + 1;
}

template <class S>
S scalar_of(const Rational& value) {
  if constexpr (std::is_same_v<S, Rational>)
    return value;
  else
    return value.template convert_to<S>();
}

// α_k of slot k (0 = the best): 1 without slot weights. An agent listed beyond the last slot (only
// an external answer can do that) holds no slot and gets nothing of the good.
template <class S>
S slot_weight(const AuctionParameters& parameters, std::size_t slot) {
  if (parameters.slot_weights.empty()) return S(1);
  if (slot >= parameters.slot_weights.size()) return S(0);
  return scalar_of<S>(parameters.slot_weights[slot]);
}

template <class S>
struct AuctionOutcome {
  std::vector<std::size_t> selected;  // agent indices, best bid first: selected[k] has slot k
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
  const bool highest = parameters.direction == Direction::highest_wins;
  const std::optional<S> reserve =
      parameters.reserve ? std::optional<S>(scalar_of<S>(*parameters.reserve)) : std::nullopt;
  // The j-th best bid (0 = the best) as prices read it: the reserve stands in for any bid worse
  // than it, so a price is never below the reserve (above it, procuring).
  auto priced = [&](std::size_t j) -> S {
    const S& bid = bids[order[j]];
    if (!reserve) return bid;
    return highest ? std::max(bid, *reserve) : std::min(bid, *reserve);
  };
  auto eligible = [&](const S& bid) {
    return !reserve || (highest ? !(bid < *reserve) : !(bid > *reserve));
  };
  AuctionOutcome<S> out;
  out.payments.assign(bids.size(), S(0));
  const std::size_t units = std::min(parameters.units, bids.size());
  for (std::size_t k = 0; k < units && eligible(bids[order[k]]); ++k)
    out.selected.push_back(order[k]);
  // α_1..α_K and α_{K+1} = 0, converted once (the search runs this in double many times).
  std::vector<S> weights;
  weights.reserve(units + 1);
  for (std::size_t k = 0; k < units; ++k) weights.push_back(slot_weight<S>(parameters, k));
  weights.push_back(S(0));
  for (std::size_t k = 0; k < out.selected.size(); ++k) {
    const std::size_t agent = out.selected[k];
    const S& weight = weights[k];
    switch (parameters.payment) {
      case AuctionPayment::kth_price:
        out.payments[agent] = weight * priced(units - 1);
        break;
      case AuctionPayment::k_plus_1th_price:
        out.payments[agent] = weight * priced(units);
        break;
      case AuctionPayment::pay_as_bid:
        out.payments[agent] = weight * bids[agent];
        break;
      case AuctionPayment::vickrey_feedback:
        out.payments[agent] = weight * priced(std::min<std::size_t>(1, bids.size() - 1));
        break;
      case AuctionPayment::gsp:
        out.payments[agent] = weight * priced(k + 1);
        break;
      case AuctionPayment::vcg: {
        // Slot j's weight gained over slot j + 1, priced at the bid that would move up into it.
        S total(0);
        for (std::size_t j = k; j < units; ++j)
          total += (weights[j] - weights[j + 1]) * priced(j + 1);
        out.payments[agent] = total;
        break;
      }
    }
  }
  return out;
}

// The value of the outcome of `outcome` for a true type (no money): the implementability view.
// The agent listed k-th in `selected` holds slot k and gets α_k units.
template <class S>
S auction_valuation(const AuctionParameters& parameters, const AuctionOutcome<S>& outcome,
                    std::size_t agent, const S& type) {
  const auto at = std::find(outcome.selected.begin(), outcome.selected.end(), agent);
  if (at == outcome.selected.end()) return S(0);
  const S units = slot_weight<S>(
      parameters, static_cast<std::size_t>(std::distance(outcome.selected.begin(), at)));
  return parameters.money == Money::agents_pay ? S(units * type) : S(-(units * type));
}

// What `agent` of true type `type` gets from the outcome: ± α_k·type if selected, plus money —
// whether selected or not (a loser who pays is worse off, whatever the protocol promised).
template <class S>
S auction_utility(const AuctionParameters& parameters, const AuctionOutcome<S>& outcome,
                  std::size_t agent, const S& type) {
  const S& price = outcome.payments[agent];
  const S value = auction_valuation(parameters, outcome, agent, type);
  return parameters.money == Money::agents_pay ? S(value - price) : S(value + price);
}

}  // namespace mechcheck

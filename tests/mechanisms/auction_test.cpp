// Multi-unit auctions by hand: selections, prices and utilities for every payment rule, both
// directions and both money conventions (ties toward the lowest index); VickreyFeedback's
// Algorithm 1 and its profitable deviations; exhaustive exact DSIC of the (K+1)-th price
// auctions; budget slack; parameter errors naming the field.
#include "mechanisms/auction/auction.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "checks/confirm.hpp"
#include "checks/property_checks.hpp"
#include "mechanisms/auction/auction_family.hpp"
#include "mechanisms/auction/auction_game.hpp"
#include "mechanisms/family.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"
#include "tests/support/auction_fixtures.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;
using Selected = std::vector<std::size_t>;
using namespace auction_fixtures;

struct HandCase {
  const char* name;
  AuctionParameters parameters;
  Selected selected;
  Values payments;
  Values utilities;  // truthful, types = bids
};

// Bids (5, 9, 3, 8, 1), two units. Highest-wins ranks 1 (9), 3 (8), 0 (5), 2 (3), 4 (1);
// lowest-wins ranks 4 (1), 2 (3), 0 (5), 3 (8), 1 (9).
const Values kBids = rationals({5, 9, 3, 8, 1});

TEST(Auction, HandDerivedOutcomesForEveryPaymentDirectionAndMoney) {
  using D = Direction;
  using M = Money;
  using P = AuctionPayment;
  const HandCase cases[] = {
      // Highest-wins: selected {1, 3}; K-th best 8, best loser 5, second best 8.
      {"high kth agents-pay",
       auction(2, D::highest_wins, M::agents_pay, P::kth_price),
       {1, 3},
       rationals({0, 8, 0, 8, 0}),
       rationals({0, 1, 0, 0, 0})},
      {"high kth mechanism-pays",
       auction(2, D::highest_wins, M::mechanism_pays, P::kth_price),
       {1, 3},
       rationals({0, 8, 0, 8, 0}),
       rationals({0, -1, 0, 0, 0})},
      {"high k+1 agents-pay",
       auction(2, D::highest_wins, M::agents_pay, P::k_plus_1th_price),
       {1, 3},
       rationals({0, 5, 0, 5, 0}),
       rationals({0, 4, 0, 3, 0})},
      {"high k+1 mechanism-pays",
       auction(2, D::highest_wins, M::mechanism_pays, P::k_plus_1th_price),
       {1, 3},
       rationals({0, 5, 0, 5, 0}),
       rationals({0, -4, 0, -3, 0})},
      {"high pay-as-bid agents-pay",
       auction(2, D::highest_wins, M::agents_pay, P::pay_as_bid),
       {1, 3},
       rationals({0, 9, 0, 8, 0}),
       rationals({0, 0, 0, 0, 0})},
      {"high pay-as-bid mechanism-pays",
       auction(2, D::highest_wins, M::mechanism_pays, P::pay_as_bid),
       {1, 3},
       rationals({0, 9, 0, 8, 0}),
       rationals({0, 0, 0, 0, 0})},
      {"high vickrey-feedback agents-pay",
       auction(2, D::highest_wins, M::agents_pay, P::vickrey_feedback),
       {1, 3},
       rationals({0, 8, 0, 8, 0}),
       rationals({0, 1, 0, 0, 0})},
      {"high vickrey-feedback mechanism-pays",
       auction(2, D::highest_wins, M::mechanism_pays, P::vickrey_feedback),
       {1, 3},
       rationals({0, 8, 0, 8, 0}),
       rationals({0, -1, 0, 0, 0})},
      // Lowest-wins: selected {4, 2}; K-th best 3, best loser 5, second best 3.
      {"low kth agents-pay",
       auction(2, D::lowest_wins, M::agents_pay, P::kth_price),
       {4, 2},
       rationals({0, 0, 3, 0, 3}),
       rationals({0, 0, 0, 0, -2})},
      {"low kth mechanism-pays",
       auction(2, D::lowest_wins, M::mechanism_pays, P::kth_price),
       {4, 2},
       rationals({0, 0, 3, 0, 3}),
       rationals({0, 0, 0, 0, 2})},
      {"low k+1 agents-pay",
       auction(2, D::lowest_wins, M::agents_pay, P::k_plus_1th_price),
       {4, 2},
       rationals({0, 0, 5, 0, 5}),
       rationals({0, 0, -2, 0, -4})},
      {"low k+1 mechanism-pays",
       auction(2, D::lowest_wins, M::mechanism_pays, P::k_plus_1th_price),
       {4, 2},
       rationals({0, 0, 5, 0, 5}),
       rationals({0, 0, 2, 0, 4})},
      {"low pay-as-bid agents-pay",
       auction(2, D::lowest_wins, M::agents_pay, P::pay_as_bid),
       {4, 2},
       rationals({0, 0, 3, 0, 1}),
       rationals({0, 0, 0, 0, 0})},
      {"low pay-as-bid mechanism-pays",
       auction(2, D::lowest_wins, M::mechanism_pays, P::pay_as_bid),
       {4, 2},
       rationals({0, 0, 3, 0, 1}),
       rationals({0, 0, 0, 0, 0})},
      {"low vickrey-feedback agents-pay",
       auction(2, D::lowest_wins, M::agents_pay, P::vickrey_feedback),
       {4, 2},
       rationals({0, 0, 3, 0, 3}),
       rationals({0, 0, 0, 0, -2})},
      {"low vickrey-feedback mechanism-pays",
       auction(2, D::lowest_wins, M::mechanism_pays, P::vickrey_feedback),
       {4, 2},
       rationals({0, 0, 3, 0, 3}),
       rationals({0, 0, 0, 0, 2})},
  };
  for (const HandCase& c : cases) {
    SCOPED_TRACE(c.name);
    const AuctionOutcome<Rational> outcome = run_auction(c.parameters, kBids);
    EXPECT_EQ(outcome.selected, c.selected);
    EXPECT_EQ(outcome.payments, c.payments);
    EXPECT_EQ(truthful_utilities(c.parameters, kBids), c.utilities);
    // The same in double.
    std::vector<double> bids;
    for (const Rational& b : kBids) bids.push_back(b.convert_to<double>());
    const AuctionOutcome<double> approx = run_auction(c.parameters, bids);
    EXPECT_EQ(approx.selected, c.selected);
    for (std::size_t i = 0; i < bids.size(); ++i) {
      EXPECT_EQ(approx.payments[i], c.payments[i].convert_to<double>());
      EXPECT_EQ(auction_utility(c.parameters, approx, i, bids[i]),
                c.utilities[i].convert_to<double>());
    }
  }
}

TEST(Auction, UtilityUsesTheTrueTypeNotTheBid) {
  // Agent 0 of value 6 bids 10 in a 1-unit second-price sale against 7 and 2: wins, pays 7.
  const AuctionParameters sale =
      auction(1, Direction::highest_wins, Money::agents_pay, AuctionPayment::k_plus_1th_price);
  const AuctionOutcome<Rational> outcome = run_auction(sale, rationals({10, 7, 2}));
  EXPECT_EQ(outcome.selected, Selected({0}));
  EXPECT_EQ(outcome.payments, rationals({7, 0, 0}));
  EXPECT_EQ(auction_utility(sale, outcome, 0, r(6)), r(-1));
  EXPECT_EQ(auction_utility(sale, outcome, 1, r(7)), r(0));
  // Procurement: agent 2 of cost 5 bids 1 against 3 and 4; selected, paid 3.
  const AuctionParameters procure =
      auction(1, Direction::lowest_wins, Money::mechanism_pays, AuctionPayment::k_plus_1th_price);
  const AuctionOutcome<Rational> bought = run_auction(procure, rationals({3, 4, 1}));
  EXPECT_EQ(bought.selected, Selected({2}));
  EXPECT_EQ(bought.payments, rationals({0, 0, 3}));
  EXPECT_EQ(auction_utility(procure, bought, 2, r(5)), r(-2));
}

TEST(Auction, TiesAreBrokenTowardTheLowestIndex) {
  using P = AuctionPayment;
  // Highest-wins, (4, 6, 6, 6), two units: agents 1 and 2 win; the best loser (agent 3) bid 6.
  const Values high = rationals({4, 6, 6, 6});
  for (Money money : {Money::agents_pay, Money::mechanism_pays}) {
    const AuctionParameters kplus1 =
        auction(2, Direction::highest_wins, money, P::k_plus_1th_price);
    const AuctionOutcome<Rational> outcome = run_auction(kplus1, high);
    EXPECT_EQ(outcome.selected, Selected({1, 2}));
    EXPECT_EQ(outcome.payments, rationals({0, 6, 6, 0}));
    EXPECT_EQ(truthful_utilities(kplus1, high), rationals({0, 0, 0, 0}));
    EXPECT_EQ(ranking(kplus1, high), Selected({1, 2, 3, 0}));
  }
  // Lowest-wins, (2, 1, 1, 1), one unit: agent 1 wins over agents 2 and 3.
  const Values low = rationals({2, 1, 1, 1});
  const AuctionParameters kth =
      auction(1, Direction::lowest_wins, Money::mechanism_pays, P::kth_price);
  EXPECT_EQ(run_auction(kth, low).selected, Selected({1}));
  EXPECT_EQ(run_auction(kth, low).payments, rationals({0, 1, 0, 0}));
  EXPECT_EQ(ranking(kth, low), Selected({1, 2, 3, 0}));
  // All equal: the first K agents.
  const AuctionParameters pab =
      auction(3, Direction::highest_wins, Money::agents_pay, P::pay_as_bid);
  EXPECT_EQ(run_auction(pab, rationals({5, 5, 5, 5, 5})).selected, Selected({0, 1, 2}));
  const AuctionParameters pab_low =
      auction(3, Direction::lowest_wins, Money::agents_pay, P::pay_as_bid);
  EXPECT_EQ(run_auction(pab_low, rationals({5, 5, 5, 5, 5})).selected, Selected({0, 1, 2}));
}

AuctionParameters vickrey_feedback() {
  return read_auction_parameters(json{{"preset", "vickrey-feedback"}}, "parameters");
}

TEST(Auction, VickreyFeedbackPresetIsAlgorithmOne) {
  const AuctionParameters p = vickrey_feedback();
  EXPECT_EQ(p.units, 2u);
  EXPECT_EQ(p.direction, Direction::highest_wins);
  EXPECT_EQ(p.money, Money::mechanism_pays);
  EXPECT_EQ(p.payment, AuctionPayment::vickrey_feedback);
  // Explicit fields override the preset.
  const AuctionParameters one =
      read_auction_parameters(json{{"preset", "vickrey-feedback"}, {"units", 1}}, "parameters");
  EXPECT_EQ(one.units, 1u);
  EXPECT_EQ(one.payment, AuctionPayment::vickrey_feedback);
}

TEST(Auction, VickreyFeedbackOnTypesSevenHalvesThreeOne) {
  const AuctionParameters p = vickrey_feedback();
  const Values types = {r(7, 2), r(3), r(1)};
  const AuctionOutcome<Rational> outcome = run_auction(p, types);
  EXPECT_EQ(outcome.selected, Selected({0, 1}));
  EXPECT_EQ(outcome.payments, Values({r(3), r(3), r(0)}));
  EXPECT_EQ(truthful_utilities(p, types), Values({r(-1, 2), r(0), r(0)}));
  // Agent 0 bids 0: agents 1 and 2 are selected; agent 0 escapes its loss of 1/2.
  EXPECT_EQ(gain(p, types, 0, r(0)), r(1, 2));
  const AuctionOutcome<Rational> without_0 = run_auction(p, Values({r(0), r(3), r(1)}));
  EXPECT_EQ(without_0.selected, Selected({1, 2}));
  // Agent 2 bids 4: agents 2 and 0 selected at the second-best bid 7/2; 7/2 − 1 = 5/2.
  const AuctionOutcome<Rational> up_2 = run_auction(p, Values({r(7, 2), r(3), r(4)}));
  EXPECT_EQ(up_2.selected, Selected({2, 0}));
  EXPECT_EQ(up_2.payments, Values({r(7, 2), r(0), r(7, 2)}));
  EXPECT_EQ(gain(p, types, 2, r(4)), r(5, 2));

  // The same through the game: exact measurements, and IR violated for agent 0.
  const AuctionGame game(p, types);
  Finding zero_bid;
  zero_bid.property = Property::dsic;
  zero_bid.agent = 0;
  zero_bid.deviation = ExactPoint{r(0)};
  EXPECT_EQ(game.measure(zero_bid).text, "1/2");
  EXPECT_EQ(game.measure(zero_bid).precision, "exact");
  Finding four;
  four.property = Property::dsic;
  four.agent = 2;
  four.deviation = ExactPoint{r(4)};
  EXPECT_EQ(game.measure(four).text, "5/2");
  EXPECT_EQ(game.measure(four).sign, 1);
  Finding ir;
  ir.property = Property::ir;
  ir.agent = 0;
  EXPECT_EQ(game.measure(ir).text, "-1/2");
  EXPECT_TRUE(finding_stands(ir, game.measure(ir)));

  // `solve`'s exact outcome.
  const json outcome_json = auction_outcome_json(game);
  EXPECT_EQ(outcome_json["selected"], json({0, 1}));
  EXPECT_EQ(outcome_json["payments"], json({"3", "3", "0"}));
  EXPECT_EQ(outcome_json["utilities"], json({"-1/2", "0", "0"}));
}

TEST(Auction, VickreyFeedbackCheckFindsAConfirmedDsicViolation) {
  const auto game =
      std::make_shared<const AuctionGame>(vickrey_feedback(), Values({r(7, 2), r(3), r(1)}));
  CheckOptions options;
  options.effort = effort_preset(Effort::quick);
  options.seed = 3;
  const CheckResult result = check_property(Property::dsic, game, options);
  ASSERT_EQ(result.verdict, Verdict::violated);
  ASSERT_TRUE(result.witness);
  const Measurement value = result.witness->game->measure(result.witness->finding);
  EXPECT_EQ(value.sign, 1);
  EXPECT_EQ(value.text, result.witness->recorded_value);
}

// Types and bids on a grid; every misreport of every agent in every profile: no positive gain,
// and the truth is on the grid, so the best gain is exactly 0.
void expect_exhaustively_dsic(const AuctionParameters& parameters, std::size_t agents,
                              const Values& type_grid, const Values& bid_grid) {
  std::vector<std::size_t> index(agents, 0);
  long profiles = 0;
  while (true) {
    Values types;
    for (std::size_t a = 0; a < agents; ++a) types.push_back(type_grid[index[a]]);
    const AuctionOutcome<Rational> truthful = run_auction(parameters, types);
    for (std::size_t i = 0; i < agents; ++i) {
      const Rational honest = auction_utility(parameters, truthful, i, types[i]);
      Rational best = -1;
      for (const Rational& bid : bid_grid) {
        Values bids = types;
        bids[i] = bid;
        const Rational g =
            auction_utility(parameters, run_auction(parameters, bids), i, types[i]) - honest;
        best = std::max(best, g);
        if (g > 0) {
          std::string profile;
          for (const Rational& t : types) profile += to_exact_string(t) + " ";
          ADD_FAILURE() << "types " << profile << "agent " << i << " bids " << to_exact_string(bid)
                        << ": gain " << to_exact_string(g);
          return;
        }
      }
      EXPECT_EQ(best, 0);
    }
    ++profiles;
    std::size_t a = 0;
    while (a < agents && ++index[a] == type_grid.size()) index[a++] = 0;
    if (a == agents) break;
  }
  EXPECT_EQ(profiles, static_cast<long>(std::pow(type_grid.size(), agents)));
}

Values grid(long top, long denominator) {
  Values out;
  for (long j = 0; j <= top * denominator; ++j) out.push_back(r(j, denominator));
  return out;
}

TEST(Auction, KPlusOnethPriceControlsHaveNoProfitableBidOnAFineGrid) {
  const Values types = {r(0), r(1, 2), r(1), r(3, 2), r(2)};
  const Values bids = grid(3, 8);  // 0, 1/8, ..., 3: every type, between them and beyond
  for (std::size_t units : {1u, 2u}) {
    SCOPED_TRACE("units " + std::to_string(units));
    expect_exhaustively_dsic(auction(units, Direction::highest_wins, Money::agents_pay,
                                     AuctionPayment::k_plus_1th_price),
                             3, types, bids);
    expect_exhaustively_dsic(auction(units, Direction::lowest_wins, Money::mechanism_pays,
                                     AuctionPayment::k_plus_1th_price),
                             3, types, bids);
  }
  const Values coarse = {r(0), r(1), r(2)};
  const Values quarter = grid(3, 4);
  for (std::size_t units : {1u, 2u, 3u}) {
    SCOPED_TRACE("4 agents, units " + std::to_string(units));
    expect_exhaustively_dsic(auction(units, Direction::highest_wins, Money::agents_pay,
                                     AuctionPayment::k_plus_1th_price),
                             4, coarse, quarter);
    expect_exhaustively_dsic(auction(units, Direction::lowest_wins, Money::mechanism_pays,
                                     AuctionPayment::k_plus_1th_price),
                             4, coarse, quarter);
  }
}

TEST(Auction, OtherPaymentRulesHaveProfitableBidsOnTheSameGrid) {
  // Sanity of the exhaustive search: pay-as-bid (shade the bid) and vickrey-feedback are not
  // DSIC.
  const Values types = {r(2), r(1), r(0)};
  const AuctionParameters pab =
      auction(1, Direction::highest_wins, Money::agents_pay, AuctionPayment::pay_as_bid);
  EXPECT_EQ(gain(pab, types, 0, r(3, 2)), r(1, 2));  // wins still, pays 3/2 instead of 2
  const AuctionParameters kth =
      auction(1, Direction::lowest_wins, Money::mechanism_pays, AuctionPayment::kth_price);
  EXPECT_EQ(gain(kth, Values({r(1), r(2), r(3)}), 0, r(3, 2)), r(1, 2));
}

TEST(Auction, BudgetSlackIsCostsMinusPayments) {
  // VickreyFeedback on (7/2, 3, 1): costs 15/2, paid 3 + 3: slack 3/2.
  const auto vf =
      std::make_shared<const AuctionGame>(vickrey_feedback(), Values({r(7, 2), r(3), r(1)}));
  Finding budget;
  budget.property = Property::budget;
  EXPECT_EQ(vf->measure(budget).text, "3/2");
  EXPECT_FALSE(finding_stands(budget, vf->measure(budget)));
  // Procuring 2 of (1, 1, 10) at the best losing bid: paid 10 + 10 > 12.
  const auto over = std::make_shared<const AuctionGame>(
      auction(2, Direction::lowest_wins, Money::mechanism_pays, AuctionPayment::k_plus_1th_price),
      rationals({1, 1, 10}));
  EXPECT_EQ(over->measure(budget).text, "-8");
  EXPECT_EQ(over->measure(budget).sign, -1);
  const CheckResult result = check_property(Property::budget, over, CheckOptions{});
  EXPECT_EQ(result.verdict, Verdict::violated);
  ASSERT_TRUE(result.witness);
  EXPECT_TRUE(finding_stands(result.witness->finding,
                             result.witness->game->measure(result.witness->finding)));
  // Pay-as-bid never overspends: slack = costs of the agents not selected.
  const auto pab = std::make_shared<const AuctionGame>(
      auction(2, Direction::lowest_wins, Money::mechanism_pays, AuctionPayment::pay_as_bid),
      rationals({1, 1, 10}));
  EXPECT_EQ(pab->measure(budget).text, "10");
  // Budget is a procurement property.
  const auto sale = std::make_shared<const AuctionGame>(
      auction(1, Direction::highest_wins, Money::agents_pay, AuctionPayment::k_plus_1th_price),
      rationals({1, 2}));
  EXPECT_THROW(sale->validate(budget), SpecError);
}

std::string field_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const SpecError& error) {
    return error.field();
  }
  return "(no error)";
}

TEST(Auction, ParameterAndTypeErrorsNameTheField) {
  const AuctionFamily family;
  EXPECT_EQ(field_of([] {
              read_auction_parameters(json{{"payment", "first-price"}}, "parameters");
            }),
            "parameters.payment");
  EXPECT_EQ(field_of([] {
              read_auction_parameters(json{{"units", 0}}, "parameters");
            }),
            "parameters.units");
  EXPECT_EQ(field_of([] {
              read_auction_parameters(json{{"units", 12}}, "parameters");
            }),
            "parameters.units");
  EXPECT_EQ(field_of([] {
              read_auction_parameters(json{{"direction", "up"}}, "parameters");
            }),
            "parameters.direction");
  EXPECT_EQ(field_of([] {
              read_auction_parameters(json{{"money", "free"}}, "parameters");
            }),
            "parameters.money");
  EXPECT_EQ(field_of([] {
              read_auction_parameters(json{{"preset", "gsp"}}, "parameters");
            }),
            "parameters.preset");
  EXPECT_EQ(field_of([&] {
              family.read_game(parse_exact_json(
                  R"({"family": "multi-unit-auction", "types": ["1", "-2", "3"]})"));
            }),
            "types[1]");
  // Two units need three agents.
  EXPECT_EQ(field_of([&] {
              family.read_game(parse_exact_json(
                  R"({"family": "multi-unit-auction", "parameters": {"units": 2},
                      "types": ["1", "2"]})"));
            }),
            "types");
  EXPECT_EQ(
      field_of([&] { family.read_game(parse_exact_json(R"({"family": "multi-unit-auction"})")); }),
      "types");
  EXPECT_EQ(field_of([&] {
              family.read_game(parse_exact_json(
                  R"({"family": "multi-unit-auction", "parameters": {"payment": "first"},
                      "types": ["1", "2"]})"));
            }),
            "parameters.payment");
  EXPECT_EQ(field_of([] { validate_auction(AuctionParameters{}, rationals({3})); }), "types");
  // A check config names its instance.
  EXPECT_EQ(field_of([&] {
              family.read_check_config(parse_exact_json(
                  R"({"family": "multi-unit-auction", "instances": [{"types": ["1", "2"]},
                      {"types": ["1", "-1"]}], "properties": ["dsic"]})"));
            }),
            "instances[1].types[1]");
  EXPECT_EQ(field_of([&] {
              family.read_check_config(parse_exact_json(
                  R"({"family": "multi-unit-auction", "parameters": {"money": "agents-pay"},
                      "generator": {}, "properties": ["budget"]})"));
            }),
            "properties[0]");
}

}  // namespace
}  // namespace mechcheck

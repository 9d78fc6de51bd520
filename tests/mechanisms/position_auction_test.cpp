// Position auctions (slot weights) and reserve prices by hand: VCG and GSP payments on a worked
// example, reserve edge cases (no eligible bid, a bid exactly at the reserve), slot weights in
// implementability's values and in witnesses, errors naming the field, and exhaustive grids:
// position VCG and the reserve (K+1)-th price auction have no profitable bid, GSP has one.
// Mechanism programs' answers: auction_external_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "checks/confirm.hpp"
#include "checks/property_checks.hpp"
#include "mechanisms/auction/auction.hpp"
#include "mechanisms/auction/auction_family.hpp"
#include "mechanisms/auction/auction_game.hpp"
#include "mechanisms/family.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"
#include "tests/support/auction_fixtures.hpp"

// A namespace of its own: the test programs are unity builds, and auction_test.cpp has helpers of
// the same names.
namespace mechcheck::position_auction_test {
namespace {

using json = nlohmann::json;
using Selected = std::vector<std::size_t>;
using namespace auction_fixtures;
using ::testing::HasSubstr;

AuctionParameters position(Values weights, AuctionPayment payment,
                           std::optional<Rational> reserve = std::nullopt) {
  AuctionParameters parameters;
  parameters.units = weights.size();
  parameters.payment = payment;
  parameters.slot_weights = std::move(weights);
  parameters.reserve = std::move(reserve);
  return parameters;
}

AuctionParameters with_reserve(std::size_t units, Direction direction, Money money,
                               AuctionPayment payment, Rational reserve) {
  AuctionParameters parameters = auction(units, direction, money, payment);
  parameters.reserve = reserve;
  return parameters;
}

std::string text(const Values& values) {
  std::string out;
  for (const Rational& v : values) out += to_exact_string(v) + " ";
  return out;
}

// Three slots of click-through rates 3, 2, 1; values (10, 4, 8, 6, 2). Ranked: agent 0 (10),
// 2 (8), 3 (6), then 1 (4) and 4 (2) lose; b_(4) = 4 is the best losing bid.
const Values kWeights = rationals({3, 2, 1});
const Values kValues = rationals({10, 4, 8, 6, 2});

TEST(PositionAuction, GspPaysEachSlotItsWeightTimesTheNextBid) {
  const AuctionParameters gsp = position(kWeights, AuctionPayment::gsp);
  const AuctionOutcome<Rational> outcome = run_auction(gsp, kValues);
  EXPECT_EQ(outcome.selected, Selected({0, 2, 3}));
  // Slot 1: 3·8; slot 2: 2·6; slot 3: 1·4.
  EXPECT_EQ(outcome.payments, rationals({24, 0, 12, 4, 0}));
  // 3·10 − 24, 2·8 − 12, 1·6 − 4.
  EXPECT_EQ(truthful_utilities(gsp, kValues), rationals({6, 0, 4, 2, 0}));
}

TEST(PositionAuction, VcgPaysTheWelfareTheSlotsBelowLose) {
  const AuctionParameters vcg = position(kWeights, AuctionPayment::vcg);
  const AuctionOutcome<Rational> outcome = run_auction(vcg, kValues);
  EXPECT_EQ(outcome.selected, Selected({0, 2, 3}));
  // Slot 3: (1 − 0)·4 = 4. Slot 2: (2 − 1)·6 + 4 = 10. Slot 1: (3 − 2)·8 + 10 = 18.
  EXPECT_EQ(outcome.payments, rationals({18, 0, 10, 4, 0}));
  EXPECT_EQ(truthful_utilities(vcg, kValues), rationals({12, 0, 6, 2, 0}));
  // Slot 1's VCG price is what the others lose by it: with agent 0 gone, 8 and 6 move up a slot
  // and 4 takes slot 3 (3·8 + 2·6 + 1·4 = 40); with it, they get 2·8 + 1·6 = 22. 40 − 22 = 18.
  EXPECT_EQ(r(3 * 8 + 2 * 6 + 1 * 4) - r(2 * 8 + 1 * 6), outcome.payments[0]);
}

TEST(PositionAuction, GspRewardsShadingIntoALowerSlotAndVcgDoesNot) {
  // Agent 0 (value 10) bids 7: slot 2 at 2·6 = 12, utility 2·10 − 12 = 8 against 6 truthfully.
  EXPECT_EQ(gain(position(kWeights, AuctionPayment::gsp), kValues, 0, r(7)), r(2));
  // Under VCG slot 2 costs (2 − 1)·6 + 1·4 = 10: utility 20 − 10 = 10 against 12.
  EXPECT_EQ(gain(position(kWeights, AuctionPayment::vcg), kValues, 0, r(7)), r(-2));
}

TEST(PositionAuction, WithoutSlotWeightsEveryRuleIsTheMultiUnitAuction) {
  // Equal weights: vcg is the (K+1)-th price, gsp each slot's next bid; absent weights act as 1s.
  const Values bids = rationals({5, 9, 3, 8, 1});
  AuctionParameters vcg =
      auction(2, Direction::highest_wins, Money::agents_pay, AuctionPayment::vcg);
  AuctionParameters kplus1 =
      auction(2, Direction::highest_wins, Money::agents_pay, AuctionPayment::k_plus_1th_price);
  EXPECT_EQ(run_auction(vcg, bids).payments, run_auction(kplus1, bids).payments);
  EXPECT_EQ(run_auction(vcg, bids).payments, rationals({0, 5, 0, 5, 0}));
  AuctionParameters gsp =
      auction(2, Direction::highest_wins, Money::agents_pay, AuctionPayment::gsp);
  EXPECT_EQ(run_auction(gsp, bids).payments, rationals({0, 8, 0, 5, 0}));
  const AuctionParameters ones = position(rationals({1, 1}), AuctionPayment::gsp);
  EXPECT_EQ(run_auction(ones, bids).payments, run_auction(gsp, bids).payments);
  // Weights scale value and price alike: slot weights 2, 2 double every utility.
  const AuctionParameters twos = position(rationals({2, 2}), AuctionPayment::k_plus_1th_price);
  EXPECT_EQ(truthful_utilities(twos, bids), rationals({0, 8, 0, 6, 0}));
  EXPECT_EQ(truthful_utilities(kplus1, bids), rationals({0, 4, 0, 3, 0}));
}

TEST(PositionAuction, OtherPaymentRulesPayTheSlotWeightTimesTheirPrice) {
  // kth-price: the 3rd best bid 6 per unit; k-plus-1th: 4; pay-as-bid: the own bid.
  EXPECT_EQ(run_auction(position(kWeights, AuctionPayment::kth_price), kValues).payments,
            rationals({18, 0, 12, 6, 0}));
  EXPECT_EQ(run_auction(position(kWeights, AuctionPayment::k_plus_1th_price), kValues).payments,
            rationals({12, 0, 8, 4, 0}));
  EXPECT_EQ(run_auction(position(kWeights, AuctionPayment::pay_as_bid), kValues).payments,
            rationals({30, 0, 16, 6, 0}));
}

TEST(PositionAuction, ProcurementSlotsCostTheirWeightTimesTheCost) {
  // Lowest-wins, mechanism-pays, weights 2, 1; costs (4, 1, 3, 6): slot 1 agent 1, slot 2 agent 2.
  AuctionParameters procure = position(rationals({2, 1}), AuctionPayment::vcg);
  procure.direction = Direction::lowest_wins;
  procure.money = Money::mechanism_pays;
  const Values costs = rationals({4, 1, 3, 6});
  const AuctionOutcome<Rational> outcome = run_auction(procure, costs);
  EXPECT_EQ(outcome.selected, Selected({1, 2}));
  // Slot 2 receives 1·4; slot 1 (2 − 1)·3 + 1·4 = 7.
  EXPECT_EQ(outcome.payments, rationals({0, 7, 4, 0}));
  // 7 − 2·1 and 4 − 1·3.
  EXPECT_EQ(truthful_utilities(procure, costs), rationals({0, 5, 1, 0}));
}

TEST(ReservePrice, NoEligibleBidSelectsNobodyAndChargesNothing) {
  for (AuctionPayment payment : {AuctionPayment::k_plus_1th_price, AuctionPayment::kth_price,
                                 AuctionPayment::gsp, AuctionPayment::vcg}) {
    const AuctionParameters sale =
        with_reserve(1, Direction::highest_wins, Money::agents_pay, payment, r(5));
    const AuctionOutcome<Rational> outcome = run_auction(sale, rationals({1, 2, 3}));
    EXPECT_TRUE(outcome.selected.empty());
    EXPECT_EQ(outcome.payments, rationals({0, 0, 0}));
  }
  // Procuring with a maximum price 1: every cost is above it.
  const AuctionParameters procure = with_reserve(1, Direction::lowest_wins, Money::mechanism_pays,
                                                 AuctionPayment::k_plus_1th_price, r(1));
  EXPECT_TRUE(run_auction(procure, rationals({2, 3, 4})).selected.empty());
}

TEST(ReservePrice, ABidExactlyAtTheReserveIsEligibleAndPaysTheReserve) {
  const AuctionParameters sale = with_reserve(1, Direction::highest_wins, Money::agents_pay,
                                              AuctionPayment::k_plus_1th_price, r(5));
  const AuctionOutcome<Rational> outcome = run_auction(sale, rationals({5, 2, 3}));
  EXPECT_EQ(outcome.selected, Selected({0}));
  EXPECT_EQ(outcome.payments, rationals({5, 0, 0}));
  EXPECT_EQ(truthful_utilities(sale, rationals({5, 2, 3})), rationals({0, 0, 0}));
  // Just below: nobody.
  EXPECT_TRUE(run_auction(sale, Values({r(49, 10), r(2), r(3)})).selected.empty());
  // Procurement at a cost exactly the reserve: eligible, receives the reserve.
  const AuctionParameters procure = with_reserve(1, Direction::lowest_wins, Money::mechanism_pays,
                                                 AuctionPayment::k_plus_1th_price, r(5));
  EXPECT_EQ(run_auction(procure, rationals({7, 5, 9})).payments, rationals({0, 5, 0}));
}

TEST(ReservePrice, PricesReadTheReserveInPlaceOfWorseBids) {
  const auto sale = [](AuctionPayment payment, std::size_t units) {
    return with_reserve(units, Direction::highest_wins, Money::agents_pay, payment, r(5));
  };
  // One unit: the second bid 3 is below the reserve, so the winner pays 5; above it, the bid.
  EXPECT_EQ(run_auction(sale(AuctionPayment::k_plus_1th_price, 1), rationals({9, 2, 3})).payments,
            rationals({5, 0, 0}));
  EXPECT_EQ(run_auction(sale(AuctionPayment::k_plus_1th_price, 1), rationals({9, 7, 3})).payments,
            rationals({7, 0, 0}));
  // Two units, one eligible bid (9): only agent 0 is selected; the missing bids count as 5.
  const Values bids = rationals({9, 2, 3});
  for (AuctionPayment payment :
       {AuctionPayment::k_plus_1th_price, AuctionPayment::kth_price, AuctionPayment::gsp,
        AuctionPayment::vcg, AuctionPayment::vickrey_feedback}) {
    SCOPED_TRACE(std::string(name_of(kAuctionPaymentNames, payment)));
    const AuctionOutcome<Rational> outcome = run_auction(sale(payment, 2), bids);
    EXPECT_EQ(outcome.selected, Selected({0}));
    EXPECT_EQ(outcome.payments, rationals({5, 0, 0}));
  }
  // Pay-as-bid: the reserve only decides who is eligible.
  EXPECT_EQ(run_auction(sale(AuctionPayment::pay_as_bid, 2), bids).payments, rationals({9, 0, 0}));
  // Position auction, weights 2, 1, reserve 5, bids (9, 6, 3, 1): slots to agents 0 and 1.
  const AuctionParameters gsp = position(rationals({2, 1}), AuctionPayment::gsp, r(5));
  const AuctionParameters vcg = position(rationals({2, 1}), AuctionPayment::vcg, r(5));
  const Values four = rationals({9, 6, 3, 1});
  EXPECT_EQ(run_auction(gsp, four).payments, rationals({12, 5, 0, 0}));  // 2·6, 1·max(5, 3)
  EXPECT_EQ(run_auction(vcg, four).payments, rationals({11, 5, 0, 0}));  // (2−1)·6 + 1·5, 1·5
  // Procurement (lowest-wins): the reserve is a maximum price; costs (1, 7, 3) and (1, 7, 6).
  const AuctionParameters procure = with_reserve(1, Direction::lowest_wins, Money::mechanism_pays,
                                                 AuctionPayment::k_plus_1th_price, r(5));
  EXPECT_EQ(run_auction(procure, rationals({1, 7, 3})).payments, rationals({3, 0, 0}));
  EXPECT_EQ(run_auction(procure, rationals({1, 7, 6})).payments, rationals({5, 0, 0}));
}

TEST(PositionAuction, ImplementabilityValuesCountTheSlotWeight) {
  // Weights 3, 1; the others bid 4 and 2; agent 0 reports 0 (no slot), 3 (slot 2), 5 (slot 1).
  const AuctionGame game(position(rationals({3, 1}), AuctionPayment::vcg), rationals({0, 4, 2}));
  const auto values = game.exact_type_values(0, {{r(0)}, {r(3)}, {r(5)}});
  ASSERT_TRUE(values);
  EXPECT_EQ((*values)[0], rationals({0, 0, 0}));
  EXPECT_EQ((*values)[1], rationals({0, 3, 5}));
  EXPECT_EQ((*values)[2], rationals({0, 9, 15}));
}

TEST(PositionAuction, GspWitnessConfirmsShrinksAndRoundTrips) {
  const AuctionFamily family;
  const auto game = family.read_game(parse_exact_json(
      R"({"family": "multi-unit-auction", "parameters": {"slot_weights": [3, 2, 1],
          "payment": "gsp"}, "types": ["10", "4", "8", "6", "2"]})"));
  CheckOptions options;
  options.effort = effort_preset(Effort::quick);
  const CheckResult result = check_property(Property::dsic, game, options);
  ASSERT_EQ(result.verdict, Verdict::violated);
  ASSERT_TRUE(result.witness);
  const json printed = family.witness_to_json(*result.witness);
  EXPECT_EQ(printed["parameters"]["slot_weights"], json({"3", "2", "1"})) << printed.dump();
  EXPECT_EQ(printed["parameters"]["units"], 3);
  const GameWitness reread = family.read_witness(parse_exact_json(printed.dump()));
  const Confirmed replayed = confirm_finding(reread.game, reread.finding);
  ASSERT_TRUE(replayed.witness) << printed.dump();
  EXPECT_EQ(replayed.value.text, result.witness->recorded_value);
  EXPECT_GT(Rational(result.witness->recorded_value), 0);
}

TEST(PositionAuction, ParametersWithoutTheNewFieldsPrintAsBefore) {
  const json plain = auction_parameters_to_json(AuctionParameters{});
  EXPECT_EQ(plain, json::parse(R"({"units": 1, "direction": "highest-wins",
                                   "money": "agents-pay", "payment": "k-plus-1th-price"})"));
  const AuctionParameters read = read_auction_parameters(
      parse_exact_json(R"({"slot_weights": ["3/2", 1], "reserve": "1/4", "payment": "vcg"})"),
      "parameters");
  EXPECT_EQ(read.units, 2u);
  EXPECT_EQ(read.slot_weights, Values({r(3, 2), r(1)}));
  EXPECT_EQ(read.reserve, r(1, 4));
  const json printed = auction_parameters_to_json(read);
  EXPECT_EQ(printed["slot_weights"], json({"3/2", "1"}));
  EXPECT_EQ(printed["reserve"], "1/4");
  const AuctionParameters again = read_auction_parameters(printed, "parameters");
  EXPECT_EQ(auction_parameters_to_json(again), printed);
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const SpecError& error) {
    return error.what();
  }
  return "(no error)";
}

std::string read_error(const char* parameters) {
  return error_of([&] { read_auction_parameters(parse_exact_json(parameters), "parameters"); });
}

TEST(PositionAuction, BadSlotWeightsAndReservesNameTheField) {
  EXPECT_EQ(read_error(R"({"slot_weights": [3, 2, 3]})"),
            "parameters.slot_weights[2]: is 3, expected <= 2 (weights decrease)");
  EXPECT_EQ(read_error(R"({"slot_weights": [3, 0]})"),
            "parameters.slot_weights[1]: is 0, expected > 0");
  EXPECT_THAT(read_error(R"({"slot_weights": []})"), HasSubstr("parameters.slot_weights:"));
  EXPECT_THAT(read_error(R"({"slot_weights": "3,2"})"), HasSubstr("parameters.slot_weights:"));
  EXPECT_THAT(read_error(R"({"slot_weights": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]})"),
              HasSubstr("parameters.slot_weights:"));
  EXPECT_THAT(read_error(R"({"slot_weights": [2, "x"]})"), HasSubstr("parameters.slot_weights[1]"));
  EXPECT_EQ(read_error(R"({"units": 3, "slot_weights": [2, 1]})"),
            "parameters.units: is 3, but parameters.slot_weights has 2 slots");
  EXPECT_EQ(read_error(R"({"units": 2, "slot_weights": [2, 1]})"), "(no error)");
  EXPECT_EQ(read_error(R"({"reserve": "-1/2"})"), "parameters.reserve: is -1/2, expected >= 0");
  EXPECT_THAT(read_error(R"({"payment": "gsp2"})"), HasSubstr("vickrey-feedback, gsp or vcg"));
  // Slots need one more agent than there are slots; properties must fit the money.
  const AuctionFamily family;
  EXPECT_THAT(error_of([&] {
                family.read_game(parse_exact_json(
                    R"({"family": "multi-unit-auction", "parameters": {"slot_weights": [2, 1]},
                        "types": ["1", "2"]})"));
              }),
              HasSubstr("types: has 2 agents, expected 3..12"));
  EXPECT_EQ(error_of([&] {
              family.read_check_config(parse_exact_json(
                  R"({"family": "multi-unit-auction", "parameters": {"money": "mechanism-pays"},
                      "generator": {}, "properties": ["dsic", "revenue"]})"));
            }),
            "properties[1]: revenue applies to agents-pay auctions only (budget to "
            "mechanism-pays)");
  EXPECT_THAT(error_of([&] {
                family.read_check_config(parse_exact_json(
                    R"({"family": "multi-unit-auction", "generator": {},
                        "properties": ["approx-dsic"]})"));
              }),
              HasSubstr("properties[0]: expected \"dsic\", \"ir\", \"nonneg\""));
}

// Every agent, every bid on `bids`, the others truthful: the largest gain.
Rational best_gain(const AuctionParameters& parameters, const Values& types, const Values& bids) {
  const AuctionOutcome<Rational> truthful = run_auction(parameters, types);
  Rational best = 0;
  for (std::size_t i = 0; i < types.size(); ++i) {
    const Rational honest = auction_utility(parameters, truthful, i, types[i]);
    for (const Rational& bid : bids) {
      Values profile = types;
      profile[i] = bid;
      best = std::max(
          best,
          auction_utility(parameters, run_auction(parameters, profile), i, types[i]) - honest);
    }
  }
  return best;
}

Values bid_grid() {  // 0, 1/2, ..., 8: every type of the generator, between them and beyond
  Values out;
  for (long j = 0; j <= 16; ++j) out.push_back(r(j, 2));
  return out;
}

// Decreasing positive integer weights for 1..3 slots.
rc::Gen<Values> slot_weights_gen(std::size_t min_slots) {
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(min_slots, 4), [](std::size_t slots) {
    return rc::gen::map(rc::gen::container<std::vector<long>>(slots, rc::gen::inRange(1L, 6L)),
                        [](std::vector<long> w) {
                          std::sort(w.rbegin(), w.rend());
                          Values out;
                          for (long v : w) out.push_back(r(v));
                          return out;
                        });
  });
}

RC_GTEST_PROP(PositionAuctionProperty, VcgHasNoProfitableBidOnTheGrid, ()) {
  const Values weights = *slot_weights_gen(1);
  const auto agents = *rc::gen::inRange<std::size_t>(weights.size() + 1, weights.size() + 3);
  const auto type_values = *rc::gen::container<std::vector<long>>(agents, rc::gen::inRange(0L, 7L));
  Values types;
  for (long t : type_values) types.push_back(r(t));
  const auto reserve = *rc::gen::maybe(rc::gen::inRange(0L, 7L));
  AuctionParameters vcg = position(weights, AuctionPayment::vcg);
  if (reserve) vcg.reserve = r(*reserve);
  const Rational best = best_gain(vcg, types, bid_grid());
  RC_ASSERT(best == 0);
  // IR as well: a slot never costs more than the value it brings.
  for (const Rational& u : truthful_utilities(vcg, types)) RC_ASSERT(u >= 0);
}

RC_GTEST_PROP(PositionAuctionProperty, GspWithDistinctWeightsHasAProfitableBidOnSomeProfile, ()) {
  // Two or more slots, the first two weights distinct; some profile of 0..6 on K + 1 agents gains.
  Values weights = *slot_weights_gen(2);
  RC_PRE(weights[0] != weights[1]);
  const AuctionParameters gsp = position(weights, AuctionPayment::gsp);
  const std::size_t agents = weights.size() + 1;
  std::vector<long> index(agents, 0);
  Rational found = 0;
  Values witness;
  while (found == 0) {
    Values types;
    for (long t : index) types.push_back(r(t));
    found = best_gain(gsp, types, bid_grid());
    if (found > 0) witness = types;
    std::size_t a = 0;
    while (a < agents && ++index[a] == 7) index[a++] = 0;
    if (a == agents) break;
  }
  RC_LOG() << "weights " << text(weights) << "types " << text(witness) << "gain "
           << to_exact_string(found) << "\n";
  RC_ASSERT(found > 0);
}

TEST(PositionAuction, OneSlotGspIsTheSecondPriceAuctionAndHasNoProfitableBid) {
  // The control for the property above: with one slot nothing is to be gained on the same grid.
  const AuctionParameters gsp = position(rationals({3}), AuctionPayment::gsp);
  for (long a = 0; a <= 6; a += 2)
    for (long b = 0; b <= 6; ++b)
      for (long c = 0; c <= 6; c += 3)
        EXPECT_EQ(best_gain(gsp, rationals({a, b, c}), bid_grid()), 0) << a << " " << b << " " << c;
}

TEST(ReservePrice, KPlusOnethPriceWithAReserveHasNoProfitableBidOnAGrid) {
  // Both directions, 1 and 2 units, reserves 0, 3/2 and 4: types 0..4 on three agents.
  for (std::size_t units : {1u, 2u})
    for (const Rational& reserve : {r(0), r(3, 2), r(4)})
      for (const auto& [direction, money] :
           {std::pair{Direction::highest_wins, Money::agents_pay},
            std::pair{Direction::lowest_wins, Money::mechanism_pays}}) {
        const AuctionParameters auction =
            with_reserve(units, direction, money, AuctionPayment::k_plus_1th_price, reserve);
        for (long a = 0; a <= 4; ++a)
          for (long b = 0; b <= 4; ++b)
            for (long c = 0; c <= 4; ++c) {
              const Values types = rationals({a, b, c});
              ASSERT_EQ(best_gain(auction, types, bid_grid()), 0)
                  << "units " << units << " reserve " << to_exact_string(reserve) << " types "
                  << text(types);
              for (const Rational& u : truthful_utilities(auction, types)) ASSERT_GE(u, 0);
            }
      }
}

}  // namespace
}  // namespace mechcheck::position_auction_test

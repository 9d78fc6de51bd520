// Auctions answered by a mechanism program, through an in-process stand-in for it: nonneg and
// revenue catch a mechanism that subsidizes its losers, and an answer's `selected[k]` is valued
// at slot k's weight exactly as the built-in position auction values its own.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "checks/confirm.hpp"
#include "checks/property_checks.hpp"
#include "mechanisms/auction/auction.hpp"
#include "mechanisms/auction/auction_game.hpp"
#include "mechanisms/external/external_mechanism.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"
#include "tests/support/auction_fixtures.hpp"

// A namespace of its own: the test programs are unity builds.
namespace mechcheck::auction_external_test {
namespace {

using json = nlohmann::json;
using namespace auction_fixtures;

// Three slots of click-through rates 3, 2, 1; values (10, 4, 8, 6, 2): slots to agents 0, 2, 3
// (tests/mechanisms/position_auction_test.cpp works the example by hand).
const Values kWeights = rationals({3, 2, 1});
const Values kValues = rationals({10, 4, 8, 6, 2});

AuctionParameters position_vcg() {
  AuctionParameters parameters =
      auction(3, Direction::highest_wins, Money::agents_pay, AuctionPayment::vcg);
  parameters.slot_weights = kWeights;
  return parameters;
}

// An in-process stand-in for a mechanism program: the (K+1)-th price auction, except that it
// pays every agent it does not select `subsidy` (a negative payment), or answers its own
// function of the bids.
class InProcessAuction final : public ExternalMechanism {
 public:
  using Rule = std::function<AuctionOutcome<Rational>(const Values&)>;
  explicit InProcessAuction(Rule rule) : rule_(std::move(rule)) {}
  Reply run(const std::vector<json>& profiles) const override {
    Reply reply;
    for (const json& profile : profiles) {
      Values bids;
      for (const json& bid : profile["bids"]) bids.push_back(read_number(bid, "bid").value);
      const AuctionOutcome<Rational> outcome = rule_(bids);
      reply.results.push_back(
          {{"selected", outcome.selected}, {"payments", exact_array(outcome.payments)}});
    }
    return reply;
  }
  json record() const override { return {{"in_process", "test"}}; }

 private:
  Rule rule_;
};

std::shared_ptr<const AuctionGame> external_game(const AuctionParameters& parameters,
                                                 const Values& types, InProcessAuction::Rule rule) {
  auto setup = std::make_shared<ExternalSetup>();
  setup->mechanism = std::make_shared<InProcessAuction>(std::move(rule));
  return std::make_shared<const AuctionGame>(parameters, types, setup);
}

Finding finding_of(Property property, std::size_t agent = 0) {
  Finding finding;
  finding.property = property;
  finding.agent = agent;
  return finding;
}

TEST(AgentsPayProperties, NonnegAndRevenueCatchAMechanismThatSubsidizesItsLosers) {
  const AuctionParameters second_price =
      auction(1, Direction::highest_wins, Money::agents_pay, AuctionPayment::k_plus_1th_price);
  const Values types = rationals({4, 3, 1});
  // The winner pays 3; each of the two losers receives 2: revenue 3 − 4 = −1.
  const auto subsidizing = external_game(second_price, types, [&](const Values& bids) {
    AuctionOutcome<Rational> outcome = run_auction(second_price, bids);
    for (std::size_t i = 0; i < bids.size(); ++i)
      if (outcome.payments[i] == 0) outcome.payments[i] = -2;
    return outcome;
  });
  EXPECT_EQ(subsidizing->measure(finding_of(Property::nonneg, 0)).text, "3");
  EXPECT_EQ(subsidizing->measure(finding_of(Property::nonneg, 1)).text, "-2");
  EXPECT_EQ(subsidizing->measure(finding_of(Property::revenue)).text, "-1");
  const CheckResult nonneg = check_property(Property::nonneg, subsidizing, CheckOptions{});
  EXPECT_EQ(nonneg.verdict, Verdict::violated);
  ASSERT_TRUE(nonneg.witness);
  EXPECT_EQ(nonneg.witness->recorded_value, "-2");
  const CheckResult revenue = check_property(Property::revenue, subsidizing, CheckOptions{});
  EXPECT_EQ(revenue.verdict, Verdict::violated);
  ASSERT_TRUE(revenue.witness);
  EXPECT_TRUE(finding_stands(revenue.witness->finding,
                             revenue.witness->game->measure(revenue.witness->finding)));
  // The losers' subsidy also makes losing attractive: utilities 1 for the winner, 2 for losers.
  EXPECT_EQ(subsidizing->measure(finding_of(Property::ir, 1)).text, "2");

  // The same auction without the subsidy: both hold, built in and external alike.
  const auto honest = std::make_shared<const AuctionGame>(second_price, types);
  const auto honest_external = external_game(
      second_price, types, [&](const Values& bids) { return run_auction(second_price, bids); });
  for (const auto& game :
       {std::shared_ptr<const Game>(honest), std::shared_ptr<const Game>(honest_external)}) {
    EXPECT_EQ(check_property(Property::nonneg, game, CheckOptions{}).verdict, Verdict::holds);
    EXPECT_EQ(check_property(Property::revenue, game, CheckOptions{}).verdict, Verdict::holds);
    EXPECT_EQ(game->measure(finding_of(Property::revenue)).text, "3");
  }
}

TEST(AgentsPayProperties, RevenueIsForAgentsPayAndBudgetForMechanismPays) {
  const auto sale = std::make_shared<const AuctionGame>(AuctionParameters{}, rationals({1, 2}));
  EXPECT_NO_THROW(sale->validate(finding_of(Property::revenue)));
  EXPECT_NO_THROW(sale->validate(finding_of(Property::nonneg)));
  EXPECT_THROW(sale->validate(finding_of(Property::budget)), SpecError);
  const auto procure = std::make_shared<const AuctionGame>(
      auction(1, Direction::lowest_wins, Money::mechanism_pays, AuctionPayment::k_plus_1th_price),
      rationals({1, 2}));
  EXPECT_THROW(procure->validate(finding_of(Property::revenue)), SpecError);
  EXPECT_NO_THROW(procure->validate(finding_of(Property::budget)));
}

TEST(PositionAuction, ExternalAnswersAreValuedSlotBySlotAsBuiltIn) {
  const AuctionParameters vcg = position_vcg();
  const auto built_in = std::make_shared<const AuctionGame>(vcg, kValues);
  const auto external =
      external_game(vcg, kValues, [&](const Values& bids) { return run_auction(vcg, bids); });
  Finding shade = finding_of(Property::dsic, 0);
  shade.deviation = ExactPoint{r(7)};
  EXPECT_EQ(external->measure(shade).text, built_in->measure(shade).text);
  EXPECT_EQ(built_in->measure(shade).text, "-2");
  for (std::size_t i = 0; i < kValues.size(); ++i)
    EXPECT_EQ(external->measure(finding_of(Property::ir, i)).text,
              built_in->measure(finding_of(Property::ir, i)).text);
  // An answer listing agent 3 first gives agent 3 slot 1 (weight 3): 3·6 − 4 = 14.
  const auto reordered = external_game(vcg, kValues, [&](const Values& bids) {
    AuctionOutcome<Rational> outcome = run_auction(vcg, bids);
    std::reverse(outcome.selected.begin(), outcome.selected.end());
    return outcome;
  });
  EXPECT_EQ(reordered->measure(finding_of(Property::ir, 3)).text, "14");
  EXPECT_EQ(reordered->measure(finding_of(Property::ir, 0)).text, "-8");  // 1·10 − 18
}

}  // namespace
}  // namespace mechcheck::auction_external_test

// Ranking aggregation by hand: winners of every rule on small profiles (ties to the lowest
// index), Bradley–Terry's MM fixed point, Clarke payments, the manipulations of plurality, Borda
// and Copeland found and measured exactly, Borda + Clarke DSIC on every ranking, shrinking, and
// errors naming the field.
#include "mechanisms/ranking/ranking.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "checks/confirm.hpp"
#include "checks/property_checks.hpp"
#include "mechanisms/family.hpp"
#include "mechanisms/ranking/ranking_family.hpp"
#include "spec/exact_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

RankingParameters rule(RankingRule r, std::size_t m = 3,
                       RankingPayment payment = RankingPayment::none) {
  RankingParameters parameters;
  parameters.rule = r;
  parameters.responses = m;
  parameters.payment = payment;
  return parameters;
}

Finding dsic(std::size_t agent, const Ranking& report) {
  Finding finding;
  finding.agent = agent;
  finding.deviation = point_of(report);
  return finding;
}

std::string gain(RankingParameters parameters, RankingProfile profile, std::size_t agent,
                 const Ranking& report) {
  return RankingGame(parameters, std::move(profile)).measure(dsic(agent, report)).text;
}

TEST(Ranking, WinnersOfEveryRuleByHand) {
  // Firsts 1/1/1 and Borda 3/3/3: ties to response 0.
  const RankingProfile tie = {{0, 1, 2}, {2, 0, 1}, {1, 2, 0}};
  EXPECT_EQ(ranking_winner(rule(RankingRule::plurality), tie), 0u);
  EXPECT_EQ(ranking_winner(rule(RankingRule::borda), tie), 0u);
  // Borda 0: 2+2+1 = 5, 1: 1+0+2 = 3, 2: 0+1+0 = 1; plurality 0 (two firsts).
  const RankingProfile clear = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}};
  EXPECT_EQ(ranking_winner(rule(RankingRule::borda), clear), 0u);
  EXPECT_EQ(ranking_winner(rule(RankingRule::copeland), clear), 0u);
  EXPECT_EQ(ranking_winner(rule(RankingRule::bradley_terry), clear), 0u);
  // Plurality's ties and its disagreement with Borda.
  const RankingProfile split = {{2, 1, 0}, {2, 1, 0}, {1, 0, 2}, {0, 1, 2}, {1, 0, 2}};
  EXPECT_EQ(ranking_winner(rule(RankingRule::plurality), split), 1u);  // 2 firsts each: 1
  EXPECT_EQ(ranking_winner(rule(RankingRule::borda), split), 1u);      // 1: 1+1+2+1+2 = 7
  const RankingProfile plurality_two = {{2, 1, 0}, {2, 1, 0}, {1, 0, 2}, {0, 1, 2}};
  EXPECT_EQ(ranking_winner(rule(RankingRule::plurality), plurality_two), 2u);
  EXPECT_EQ(ranking_winner(rule(RankingRule::borda), plurality_two), 1u);  // 1: 5, 2: 4, 0: 3
  // The Condorcet cycle 0 > 1 > 2 > 0: Copeland scores 1/1/1, response 0.
  EXPECT_EQ(
      ranking_winner(rule(RankingRule::copeland), RankingProfile{{0, 1, 2}, {1, 2, 0}, {2, 0, 1}}),
      0u);
  // Copeland counts a pairwise tie 1/2: 0 ties 1 and 2 (1), 1 ties 0 and beats 2 (3/2).
  EXPECT_EQ(ranking_winner(rule(RankingRule::copeland), RankingProfile{{0, 1, 2}, {1, 2, 0}}), 1u);
  EXPECT_EQ(ranking_winner(rule(RankingRule::dictatorship), clear), 0u);
  EXPECT_EQ(ranking_winner(rule(RankingRule::dictatorship), RankingProfile{{2, 0, 1}, {0, 1, 2}}),
            2u);
  EXPECT_EQ(ranking_winner(rule(RankingRule::majority, 2), RankingProfile{{1, 0}, {0, 1}}), 0u);
  EXPECT_EQ(ranking_winner(rule(RankingRule::majority, 2), RankingProfile{{1, 0}, {1, 0}, {0, 1}}),
            1u);
}

TEST(Ranking, BradleyTerryIsTheMmFixedPoint) {
  // Two responses: p0/p1 = (2 + 1/10)/(1 + 1/10).
  const std::vector<double> two = bradley_terry_scores({{0, 1}, {0, 1}, {1, 0}}, 2, 0.1);
  EXPECT_NEAR(two[0] / two[1], 2.1 / 1.1, 1e-12);
  EXPECT_NEAR(two[0] + two[1], 2.0, 1e-12);
  // The likelihood equations W_a = Σ_b N_ab p_a/(p_a + p_b) hold at the scores.
  const RankingProfile profile = {{0, 1, 2, 3}, {3, 1, 0, 2}, {1, 3, 2, 0}};
  const std::vector<double> p = bradley_terry_scores(profile, 4, 0.1);
  for (std::size_t a = 0; a < 4; ++a) {
    double won = 0, expected = 0;
    for (std::size_t b = 0; b < 4; ++b) {
      if (a == b) continue;
      double ab = 0.1, ba = 0.1;
      for (const Ranking& r : profile) (borda_score(r, a) > borda_score(r, b) ? ab : ba) += 1;
      won += ab;
      expected += (ab + ba) * p[a] / (p[a] + p[b]);
    }
    EXPECT_NEAR(won, expected, 1e-10) << a;
  }
  // Complete rankings compare every pair equally often: the top BT score is the Borda winner
  // (ties included: equal Borda totals give equal scores, decided by the 1e-9 margin).
  Rng rng = Rng::stream(5, 0);
  for (int k = 0; k < 300; ++k) {
    const std::size_t m = static_cast<std::size_t>(rng.integer(2, 5));
    RankingProfile random(static_cast<std::size_t>(rng.integer(1, 6)), Ranking(m));
    for (Ranking& r : random) {
      std::iota(r.begin(), r.end(), std::size_t{0});
      for (std::size_t j = m; j > 1; --j)
        std::swap(r[j - 1], r[static_cast<std::size_t>(rng.integer(0, std::int64_t(j) - 1))]);
    }
    EXPECT_EQ(ranking_winner(rule(RankingRule::bradley_terry, m), random),
              ranking_winner(rule(RankingRule::borda, m), random))
        << k;
  }
}

TEST(Ranking, ClarkePaymentsByHand) {
  // Borda 0: 5, 1: 6, 2: 1, so w = 1. Without voter 3 (1 > 2 > 0): 0: 5, 1: 4, so voter 3 pays
  // 5 − 4 = 1; without voter 2: 0: 4, 1: 4, tie to 0, pays 4 − 4 = 0; voters 0, 1 are not pivotal.
  const RankingProfile profile = {{0, 1, 2}, {0, 1, 2}, {1, 0, 2}, {1, 2, 0}};
  const RankingOutcome outcome =
      run_ranking(rule(RankingRule::borda, 3, RankingPayment::clarke), profile);
  EXPECT_EQ(outcome.winner, 1u);
  EXPECT_EQ(outcome.payments, (std::vector<Rational>{0, 0, 0, 1}));
  EXPECT_EQ(ranking_utility(outcome, profile[3], 3), Rational(1));
  EXPECT_EQ(ranking_utility(outcome, profile[2], 2), Rational(2));
  // Without payment voter 3 keeps its 2.
  EXPECT_EQ(ranking_utility(run_ranking(rule(RankingRule::borda), profile), profile[3], 3),
            Rational(2));
}

TEST(Ranking, ManipulationsMeasuredExactly) {
  // Plurality: voter 0 (2 > 1 > 0) moves 1 up and 1 wins with two firsts: Borda 1 instead of 0.
  EXPECT_EQ(gain(rule(RankingRule::plurality), {{2, 1, 0}, {0, 1, 2}, {1, 0, 2}}, 0, {1, 2, 0}),
            "1");
  // Borda: voter 2 (1 > 2 > 0) buries 1 below 2: 2 wins 4 to 3.
  EXPECT_EQ(gain(rule(RankingRule::borda), {{0, 1, 2}, {2, 0, 1}, {1, 2, 0}}, 2, {2, 1, 0}), "1");
  EXPECT_EQ(gain(rule(RankingRule::bradley_terry), {{0, 1, 2}, {2, 0, 1}, {1, 2, 0}}, 2, {2, 1, 0}),
            "1");
  // Copeland: in the cycle, voter 1 (1 > 2 > 0) makes 2 the Condorcet winner.
  EXPECT_EQ(gain(rule(RankingRule::copeland), {{0, 1, 2}, {1, 2, 0}, {2, 0, 1}}, 1, {2, 1, 0}),
            "1");
  // Borda with Clarke: the same report now costs voter 2 more than it gains.
  const RankingParameters clarke = rule(RankingRule::borda, 3, RankingPayment::clarke);
  EXPECT_EQ(gain(clarke, {{0, 1, 2}, {2, 0, 1}, {1, 2, 0}}, 2, {2, 1, 0}), "0");
  EXPECT_EQ(gain(clarke, {{0, 1, 2}, {0, 1, 2}, {1, 0, 2}, {1, 2, 0}}, 3, {0, 1, 2}), "-1");
  // The search finds Borda's manipulation and confirms it exactly.
  const auto game = std::make_shared<RankingGame>(rule(RankingRule::borda),
                                                  RankingProfile{{0, 1, 2}, {2, 0, 1}, {1, 2, 0}});
  const CheckResult result = check_property(Property::dsic, game, CheckOptions{});
  ASSERT_EQ(result.verdict, Verdict::violated);
  ASSERT_TRUE(result.witness);
  EXPECT_EQ(result.witness->recorded_value, "1");
  EXPECT_EQ(result.witness->precision, "exact");
}

// Every ranking of every voter, exactly: Borda + Clarke never gains; Borda alone sometimes does.
TEST(Ranking, BordaClarkeIsDsicOnEveryRanking) {
  Rng rng = Rng::stream(9, 0);
  int borda_manipulable = 0;
  for (int k = 0; k < 60; ++k) {
    const std::size_t m = static_cast<std::size_t>(rng.integer(3, 4));
    RankingProfile profile(static_cast<std::size_t>(rng.integer(1, 4)), Ranking(m));
    for (Ranking& r : profile) {
      std::iota(r.begin(), r.end(), std::size_t{0});
      for (std::size_t j = m; j > 1; --j)
        std::swap(r[j - 1], r[static_cast<std::size_t>(rng.integer(0, std::int64_t(j) - 1))]);
    }
    const RankingGame with(rule(RankingRule::borda, m, RankingPayment::clarke), profile);
    const RankingGame without(rule(RankingRule::borda, m), profile);
    bool manipulable = false;
    for (std::size_t i = 0; i < profile.size(); ++i) {
      Ranking report(m);
      std::iota(report.begin(), report.end(), std::size_t{0});
      do {
        EXPECT_LE(with.measure(dsic(i, report)).sign, 0) << k;
        manipulable |= without.measure(dsic(i, report)).sign > 0;
      } while (std::next_permutation(report.begin(), report.end()));
      Finding nonneg;
      nonneg.property = Property::nonneg;
      nonneg.agent = i;
      EXPECT_GE(with.measure(nonneg).sign, 0);
    }
    borda_manipulable += manipulable;
  }
  EXPECT_GT(borda_manipulable, 0);
}

TEST(Ranking, ShrinkingDropsVotersAndResponses) {
  const RankingGame game(rule(RankingRule::borda), {{0, 1, 2}, {2, 0, 1}, {1, 2, 0}});
  const std::vector<Game::Shrunk> shrunk = game.shrink_candidates(dsic(2, {2, 1, 0}));
  ASSERT_EQ(shrunk.size(), 5u);  // voters 0, 1; responses 0, 1, 2
  EXPECT_EQ(shrunk[0].finding.agent, 1u);
  EXPECT_EQ(shrunk[0].game->agent_count(), 2u);
  // Without response 0: 2 → 1, 1 → 0.
  const auto& fewer = dynamic_cast<const RankingGame&>(*shrunk[2].game);
  EXPECT_EQ(fewer.parameters().responses, 2u);
  EXPECT_EQ(fewer.rankings(), (RankingProfile{{0, 1}, {1, 0}, {0, 1}}));
  EXPECT_EQ(ranking_of(*shrunk[2].finding.deviation), (Ranking{1, 0}));
  EXPECT_LT(fewer.size_in_digits(shrunk[2].finding), game.size_in_digits(dsic(2, {2, 1, 0})));
}

void expect_error(const std::string& text, const std::string& field, const std::string& words) {
  const json document = parse_exact_json(text);
  try {
    family_of(document).read_game(document);
    ADD_FAILURE() << text << ": accepted";
  } catch (const SpecError& error) {
    EXPECT_EQ(error.field(), field) << error.what();
    EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
  }
}

TEST(Ranking, ErrorsNameTheField) {
  const std::string head = R"({"family": "ranking-aggregation", )";
  expect_error(head + R"("rankings": [[0, 1, 2], [2, 2, 1]]})", "rankings[1]",
               "repeats response 2");
  expect_error(head + R"("rankings": [[0, 1, 3]]})", "rankings[0][2]", "expected a response");
  expect_error(head + R"("rankings": [[0, 1]]})", "rankings[0]", "expected 3");
  expect_error(head + R"("rankings": [[0, "1", 2]]})", "rankings[0][1]", "response index");
  expect_error(head + R"("rankings": []})", "rankings", "expected 1..50");
  expect_error(head + R"("parameters": {"rule": "majority", "responses": 3}, "rankings": []})",
               "parameters.responses", "needs 2");
  expect_error(
      head + R"("parameters": {"rule": "plurality", "payment": "clarke"}, "rankings": []})",
      "parameters.payment", "borda");
  expect_error(head + R"("parameters": {"rule": "bradley-terry", "prior": 0}, "rankings": []})",
               "parameters.prior", "> 0");
  expect_error(head + R"("parameters": {"rule": "kemeny"}, "rankings": []})", "parameters.rule",
               "expected");
  // A document with "rankings" but no "family" names this family.
  expect_error(R"({"rankings": [[0, 1]]})", "family", "ranking-aggregation");
}

TEST(Ranking, SolveAndWitnessJson) {
  const Family& family = family_named("ranking-aggregation");
  const auto game = family.read_game(parse_exact_json(
      R"({"family": "ranking-aggregation", "parameters": {"rule": "borda", "payment": "clarke"},
          "rankings": [[0, 1, 2], [0, 1, 2], [1, 0, 2], [1, 2, 0]]})"));
  const json outcome = *family.exact_outcome(*game);
  EXPECT_EQ(outcome["winner"], 1);
  EXPECT_EQ(outcome["payments"], json({"0", "0", "0", "1"}));
  EXPECT_EQ(outcome["utilities"], json({"1", "1", "2", "1"}));
  GameWitness witness;
  witness.game = game;
  witness.finding = dsic(3, {0, 1, 2});
  witness.recorded_value = "-1";
  witness.precision = "exact";
  const json printed = family.witness_to_json(witness);
  EXPECT_EQ(printed["deviation"]["ranking"], json({0, 1, 2}));
  EXPECT_EQ(printed["rankings"][3], json({1, 2, 0}));
  const GameWitness reread = family.read_witness(printed);
  EXPECT_EQ(reread.game->measure(reread.finding).text, "-1");
  json bad = printed;
  bad["deviation"]["ranking"] = {0, 0, 1};
  try {
    family.read_witness(bad);
    ADD_FAILURE() << "accepted";
  } catch (const SpecError& error) {
    EXPECT_EQ(error.field(), "deviation.ranking");
  }
}

}  // namespace
}  // namespace mechcheck

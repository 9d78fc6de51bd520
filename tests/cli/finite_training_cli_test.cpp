// Finite training and the heuristic payments from the command line (examples/finite-training):
// `solve` names the iterate or candidate it chose, `check` finds Heuristic 2's negative payments
// with witnesses that `replay` confirms (exactly for χ², at 100 digits for KL), candidate-set
// violations are instance files, and malformed rules are refused naming the field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_harness.hpp"

namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
using mechcheck::testing::CommandResult;
using mechcheck::testing::files_in;
using mechcheck::testing::slurp;

// Two arrays of decimal strings equal up to their last digits.
void expect_same_numbers(const json& a, const json& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t x = 0; x < a.size(); ++x)
    EXPECT_NEAR(std::stod(a[x].get<std::string>()), std::stod(b[x].get<std::string>()), 1e-15) << x;
}

class FiniteTrainingCli : public mechcheck::testing::CliTest {
 protected:
  static std::string example(const std::string& name) {
    return source_file("examples/finite-training/" + name + ".json");
  }
  json solve_json(const std::string& file, const std::string& precision) {
    CommandResult r = run("solve " + file + " --format json --precision " + precision);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }
  // Checks `config`, expecting `property` violated, and replays every witness: exit 1 each,
  // confirmed with the precision `replay` states.
  void expect_violation_replays(const std::string& config, const std::string& property,
                                const std::string& precision) {
    const auto witnesses = dir / "witnesses";
    CommandResult r = run("check " + config + " --instances 8 --witness-dir " + witnesses.string());
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr(property));
    const auto files = files_in(witnesses);
    ASSERT_FALSE(files.empty());
    for (const auto& file : files) {
      CommandResult replay = run("replay " + file.string());
      EXPECT_EQ(replay.exit_code, 1) << replay.out << replay.err;
      EXPECT_THAT(replay.out, HasSubstr(precision)) << replay.out;
      // The witness is an instance file: its "instance" solves on its own.
      const json witness = json::parse(slurp(file));
      const auto instance = write("instance.json", witness["instance"].dump());
      EXPECT_EQ(run("solve " + instance.string()).exit_code, 0);
    }
  }
};

// Mirror descent's 2nd iterate with ηλ = 1/2 is the KL optimum at λ/(1 − 1/4) = 4/3.
TEST_F(FiniteTrainingCli, TrainedKlIsTheOptimumAtItsTemperature) {
  const json trained = solve_json(example("trained-kl"), "50");
  EXPECT_EQ(trained["iterate"], 2);
  EXPECT_THAT(trained["kl_temperature"].get<std::string>(), HasSubstr("1.333333"));
  json instance = json::parse(slurp(example("trained-kl")));
  instance["rule"] = {{"type", "sw-max"}, {"divergence", "kl"}, {"lambda", "4/3"}};
  const json optimum = solve_json(write("sw-max.json", instance.dump()).string(), "50");
  expect_same_numbers(trained["policy"], optimum["policy"]);
  // p^AFF's first term stays the exact optimum over Δ; the policy is not, so the payments differ.
  EXPECT_NE(trained["payments"], optimum["payments"]);
  CommandResult table = run("solve " + example("trained-kl") + " --format table");
  EXPECT_THAT(table.out, HasSubstr("iterate    2 (mirror-descent)"));
}

TEST_F(FiniteTrainingCli, CandidateRulesNameTheChosenCandidate) {
  const json fixed = solve_json(example("candidates-chi2"), "exact");
  EXPECT_EQ(fixed["candidate"]["of"], 3);
  EXPECT_EQ(fixed["candidate"]["index"], 1);  // group 0 is larger and prefers outcome 0
  EXPECT_EQ(fixed["policy"], json::array({"2/3", "1/6", "1/6"}));
  // Rewarded soups with K = 49 and sizes (3, 7): the soup at t = 3/10 = 15/50 is the SW-Max
  // optimum itself (the soups are scaled by W = 10), index 2 + 14 after the two single-group
  // optima, and it wins.
  const json soups = solve_json(example("rewarded-soups-kl"), "50");
  EXPECT_EQ(soups["candidate"]["of"], 51);
  EXPECT_EQ(soups["candidate"]["index"], 16);
  json instance = json::parse(slurp(example("rewarded-soups-kl")));
  instance["rule"] = {{"type", "sw-max"}, {"divergence", "kl"}, {"lambda", 1}};
  const json optimum = solve_json(write("sw-max.json", instance.dump()).string(), "50");
  expect_same_numbers(soups["policy"], optimum["policy"]);
}

// Section 5 in miniature (examples/finite-training/figure-2.sh draws it): on the rewarded-soups
// Θ′ with sizes (3, 7), overstating the size (α) or leaning toward the other group's reward (β)
// raises group 0's valuation, p^AFF rises faster, and the truthful report (α = β = 1) has the
// highest utility — Figure 2's shape.
TEST_F(FiniteTrainingCli, RewardedSoupsReproduceFigureTwo) {
  CommandResult r = run("experiment strategies " + example("rewarded-soups-kl") +
                        " --group 0 --alpha 0.5,1,1.5,2 --beta 0.5,0.9,1,1.09 --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::vector<std::array<double, 4>>>
      rows;  // value, valuation, payment, utility
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    std::istringstream cells(line);
    std::string strategy, cell;
    std::getline(cells, strategy, ',');
    std::array<double, 4> values{};
    for (double& value : values) {
      std::getline(cells, cell, ',');
      value = std::stod(cell);
    }
    rows[strategy].push_back(values);
  }
  for (const auto& [strategy, sweep] : rows) {
    ASSERT_EQ(sweep.size(), 4u) << strategy;
    const auto truthful =
        std::find_if(sweep.begin(), sweep.end(), [](const auto& row) { return row[0] == 1.0; });
    ASSERT_NE(truthful, sweep.end());
    for (std::size_t k = 0; k < sweep.size(); ++k) {
      if (k > 0) {
        EXPECT_GT(sweep[k][1], sweep[k - 1][1]) << strategy << " valuation";
      }
      EXPECT_LE(sweep[k][3], (*truthful)[3] + 1e-12) << strategy << " = " << sweep[k][0];
    }
  }
}

TEST_F(FiniteTrainingCli, HeuristicTwoNegativePaymentReplaysExactlyForChi2) {
  expect_violation_replays(example("heuristic-2-chi2-check"), "nonneg       violated", "exact");
}

TEST_F(FiniteTrainingCli, HeuristicTwoNegativePaymentReplaysAt100DigitsForKl) {
  expect_violation_replays(example("heuristic-2-kl-check"), "nonneg       violated", "100");
}

TEST_F(FiniteTrainingCli, HeuristicTwoUnderTheExactRuleIsDsic) {
  CommandResult r = run("check " + example("heuristic-2-chi2-check") + " --instances 8");
  EXPECT_THAT(r.out, HasSubstr("dsic         holds")) << r.out << r.err;
}

// Zero payments over a fixed Θ′: manipulable, and the witness — its instance carrying the
// candidate policies — replays exactly.
TEST_F(FiniteTrainingCli, CandidateSetViolationIsAnInstanceFileReplayConfirms) {
  json config = json::parse(slurp(example("candidates-chi2")));
  for (const char* key : {"groups", "initial", "description"}) config.erase(key);
  config["payment"] = {{"type", "zero"}};
  config["generator"] = {
      {"outcomes", {3, 3}}, {"groups", {2, 3}}, {"initial", "uniform"}, {"reward", "mixed"}};
  config["properties"] = {"dsic"};
  config["seed"] = 3;
  expect_violation_replays(write("candidates-zero.json", config.dump()).string(),
                           "dsic         violated", "exact");
}

TEST_F(FiniteTrainingCli, MalformedRulesAreRefusedNamingTheField) {
  const json base = json::parse(slurp(example("trained-kl")));
  auto refused = [&](json instance, const std::string& field) {
    CommandResult r = run("solve " + write("bad.json", instance.dump()).string());
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_THAT(r.err, HasSubstr(field));
  };
  json wrong_method = base;
  wrong_method["rule"]["trainer"]["method"] = "projected-gradient";
  refused(wrong_method, "rule.trainer.method");
  json too_long_step = base;
  too_long_step["rule"]["trainer"]["step_size"] = 2;
  refused(too_long_step, "rule.trainer.step_size");
  json no_trainer = base;
  no_trainer["rule"].erase("trainer");
  refused(no_trainer, "rule.trainer");
  json h1_without_trainer = base;
  h1_without_trainer["rule"] = {{"type", "sw-max"}, {"divergence", "kl"}, {"lambda", 1}};
  h1_without_trainer["payment"] = {{"type", "heuristic-1"}};
  refused(h1_without_trainer, "payment.trainer");
  json h2_on_welfare = base;
  h2_on_welfare["rule"] = {{"type", "nash"}, {"divergence", "kl"}, {"lambda", 1}};
  h2_on_welfare["payment"] = {
      {"type", "heuristic-2"},
      {"trainer", {{"method", "mirror-descent"}, {"steps", 1}, {"step_size", 1}}}};
  refused(h2_on_welfare, "payment.type");
  const json candidates = json::parse(slurp(example("candidates-chi2")));
  json short_policy = candidates;
  short_policy["rule"]["policies"][1] = {"1/2", "1/2"};
  refused(short_policy, "rule.policies[1]");
  json unnormalized = candidates;
  unnormalized["rule"]["policies"][2] = {"1/2", "1/2", "1/2"};
  refused(unnormalized, "rule.policies[2]");
  json policies_elsewhere = base;
  policies_elsewhere["rule"]["policies"] = candidates["rule"]["policies"];
  refused(policies_elsewhere, "rule.policies");
}

}  // namespace

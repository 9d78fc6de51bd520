// `mechcheck prove` as a user meets it: exit codes, the JSON report, witnesses that `replay`
// confirms, SMT-LIB files that the z3 command line answers the same way.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using mechcheck::testing::CommandResult;
using mechcheck::testing::slurp;

class ProveCli : public mechcheck::testing::CliTest {
 protected:
  std::string example(const std::string& name) {
    return source_file("examples/prove/" + name + ".json");
  }
};

TEST_F(ProveCli, AffineMaximizerDsicIsProved) {
  const CommandResult result =
      run("prove " + example("chi2-affine-maximizer") + " --property dsic --samples 3");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto report = nlohmann::json::parse(result.out);
  EXPECT_EQ(report["status"], "proved");
  EXPECT_EQ(report["solver_answer"], "unsat");
  EXPECT_EQ(report["evidence"]["cross_check"]["numeric_violations"], 0);
}

TEST_F(ProveCli, ExactFlagSkipsTheRelaxedQuery) {
  for (const bool exact : {false, true}) {
    const CommandResult result = run("prove " + example("chi2-affine-maximizer") +
                                     " --property ir --samples 0" + (exact ? " --exact" : ""));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto report = nlohmann::json::parse(result.out);
    EXPECT_EQ(report["evidence"]["query"], exact ? "exact" : "relaxed");
    EXPECT_EQ(report["evidence"].contains("relaxed"), !exact);
  }
}

TEST_F(ProveCli, ZeroPaymentIsRefutedWithAWitnessThatReplays) {
  const CommandResult result =
      run("prove " + example("chi2-zero-payment") +
          " --property dsic --outcomes 3 --samples 2 --witness-dir " + (dir / "w").string());
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const auto report = nlohmann::json::parse(result.out);
  EXPECT_EQ(report["status"], "violated");
  const std::string witness = report["witness_file"];
  const CommandResult replay = run("replay " + witness);
  EXPECT_EQ(replay.exit_code, 1) << replay.out << replay.err;  // 1: the violation stands
}

TEST_F(ProveCli, SmtlibFileGetsTheSameAnswerFromTheZ3CommandLine) {
  for (const std::string config :
       {"chi2-affine-maximizer", "chi2-zero-payment", "tv-affine-maximizer"}) {
    const fs::path file = dir / (config + ".smt2");
    const CommandResult result =
        run("prove " + example(config) + " --property dsic --samples 0 --witness-dir " +
            (dir / "w").string() + " --smtlib " + file.string());
    ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.err;
    const bool proved = result.exit_code == 0;
    const std::string z3 = "z3 -T:60 " + file.string() + " > " + (dir / "z3.out").string();
    ASSERT_EQ(std::system(z3.c_str()), 0) << config;
    std::stringstream answers(slurp(dir / "z3.out"));
    int sat = 0, unsat = 0, other = 0;
    for (std::string line; std::getline(answers, line);)
      (line == "sat" ? sat : line == "unsat" ? unsat : other) += 1;
    EXPECT_EQ(other, 0) << config;
    if (proved)
      EXPECT_EQ(sat, 0) << config << ": z3 finds a case mechcheck proved impossible";
    else
      EXPECT_GT(sat, 0) << config << ": z3 finds no counterexample";
    EXPECT_GT(sat + unsat, 0);
  }
}

TEST_F(ProveCli, BadInputIsExitTwoNamingTheField) {
  const fs::path config = write("kl.json", R"({"normalization": "sum", "max_group_size": 2,
    "rule": {"type": "sw-max", "divergence": "kl", "lambda": 1}})");
  CommandResult result = run("prove " + config.string() + " --property dsic");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("rule.divergence"));
  EXPECT_TRUE(result.out.empty());
  result = run("prove " + example("chi2-affine-maximizer") + " --property bogus");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--property"));
  result = run("prove " + example("chi2-affine-maximizer") + " --property approx-dsic");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("epsilon"));
}

TEST_F(ProveCli, TimeoutIsInconclusiveExitThree) {
  const CommandResult result = run("prove " + example("chi2-affine-maximizer") +
                                   " --property dsic --outcomes 4 --groups 3 --timeout 0.001 "
                                   "--samples 0");
  EXPECT_EQ(result.exit_code, 3) << result.out;
  EXPECT_EQ(nlohmann::json::parse(result.out)["status"], "inconclusive");
}

TEST_F(ProveCli, CheckConfigsAreAcceptedWithSizesFromTheCommandLine) {
  const std::string config =
      std::string(MECHCHECK_SOURCE_DIR) + "/examples/checks/affine-maximizer-chi2.json";
  const CommandResult result =
      run("prove " + config + " --property nonneg --outcomes 2 --groups 2 --samples 1");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(nlohmann::json::parse(result.out)["initial"]["symbolic"], true);
}

}  // namespace

namespace {

// Type-set properties take an instance (the `implementability` schema) and its type grid.
class ProveTypeSetCli : public ProveCli {
 protected:
  std::string instance(const std::string& name) {
    return source_file("examples/instances/" + name + ".json");
  }
  std::string z3_answer(const fs::path& file) {
    const std::string z3 = "z3 -T:60 " + file.string() + " > " + (dir / "z3.out").string();
    if (std::system(z3.c_str()) != 0) return "z3 failed";
    std::string line;
    std::getline(std::stringstream(slurp(dir / "z3.out")) >> std::ws, line);
    return line;
  }
};

TEST_F(ProveTypeSetCli, PaymentEquivalenceRangesAgreeWithShortestPathsAndZ3SaysSat) {
  const fs::path file = dir / "monotone.smt2";
  const CommandResult result = run("prove " + instance("chi2-boundary") +
                                   " --property payment-equivalence --resolution 3 --sizes 1,2 "
                                   "--smtlib " +
                                   file.string());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto report = nlohmann::json::parse(result.out);
  EXPECT_EQ(report["status"], "proved");
  EXPECT_EQ(report["agrees_with_shortest_paths"], true);
  EXPECT_EQ(report["ranges"].size(), report["types"]);
  EXPECT_EQ(report["ranges"][0]["lower"], "0");  // the reference type
  EXPECT_EQ(z3_answer(file), "sat");
}

TEST_F(ProveTypeSetCli, NonMonotoneRuleIsRefutedWithACycleThatReplays) {
  const fs::path config = write("anti.json", R"({"normalization": "sum",
    "initial": ["1/3","1/3","1/3"], "max_group_size": 2,
    "rule": {"type": "anti-sw-max", "divergence": "tv", "lambda": "1/4"},
    "groups": [{"reward": ["1/2","1/4","1/4"], "size": 1}]})");
  const fs::path file = dir / "anti.smt2";
  const CommandResult result =
      run("prove " + config.string() + " --property cycle-monotone --resolution 2 --smtlib " +
          file.string());
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const auto report = nlohmann::json::parse(result.out);
  EXPECT_EQ(report["status"], "violated");
  ASSERT_GE(report["negative_cycle"].size(), 2u);
  EXPECT_EQ(report["cycle_total"].get<std::string>().front(), '-');
  EXPECT_EQ(z3_answer(file), "unsat");
  // The cycle alone, through the numeric implementability check, is still a negative cycle.
  const fs::path cycle = write("cycle.json", report.dump());
  EXPECT_EQ(run("implementability " + config.string() + " --types " + cycle.string() + " --no-grid")
                .exit_code,
            1);
}

TEST_F(ProveTypeSetCli, RulesWithoutExactOutcomesAreRefusedNamingTheField) {
  const CommandResult result =
      run("prove " + instance("kl-two-groups") + " --property cycle-monotone");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("rule: "));
  EXPECT_EQ(result.out, "");
}

}  // namespace

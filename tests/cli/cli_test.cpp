// The `mechcheck` executable as a user meets it: exit codes, stdout/stderr discipline, JSON
// shape per precision.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "report/report_identity.hpp"
#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using mechcheck::testing::CommandResult;
using mechcheck::testing::slurp;

class Cli : public mechcheck::testing::CliTest {
 protected:
  std::string example(const std::string& name) {
    return source_file("examples/instances/" + name + ".json");
  }
};

const char* kIssueExample =
    R"({"normalization": "sum", "initial": ["1/4","1/4","1/2"], "max_group_size": 10,
  "rule": {"type": "sw-max", "divergence": "kl", "lambda": "1/5"},
  "payment": {"type": "affine-maximizer"},
  "groups": [{"reward": ["1/2","1/2","0"], "size": 3}, {"reward": [0, 0.2, 0.8], "size": 2}]})";

TEST_F(Cli, SolvePrintsJsonNumbersInDouble) {
  CommandResult r = run("solve " + write("i.json", kIssueExample).string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  for (const char* key : {"policy", "payments", "valuations", "utilities"})
    ASSERT_TRUE(doc[key].is_array()) << key;
  EXPECT_EQ(doc["policy"].size(), 3u);
  EXPECT_EQ(doc["payments"].size(), 2u);
  for (const char* key : {"welfare", "divergence", "objective"})
    EXPECT_TRUE(doc[key].is_number()) << key;
  double total = 0;
  for (const auto& p : doc["policy"]) total += p.get<double>();
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST_F(Cli, SolvePrintsDecimalStringsWithTheRequestedDigits) {
  CommandResult r = run("solve " + write("i.json", kIssueExample).string() + " --precision 50");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  const std::string welfare = doc["welfare"].get<std::string>();
  int digits = 0;
  for (char c : welfare.substr(0, welfare.find_first_of("eE")))
    digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  EXPECT_GE(digits, 50) << welfare;
}

TEST_F(Cli, SolvePrintsExactFractions) {
  CommandResult r = run("solve " + example("chi2-boundary") + " --precision exact");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["policy"], nlohmann::json({"0", "0", "31/32", "1/32"}));
  EXPECT_EQ(doc["objective"], "1473/1280");
}

TEST_F(Cli, TableFormatIsForPeople) {
  CommandResult r = run("solve " + example("chi2-boundary") + " --precision exact --format table");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("answer"));
  EXPECT_THAT(r.out, HasSubstr("31/32"));
  EXPECT_THAT(r.out, HasSubstr("welfare"));
}

TEST_F(Cli, ExactKlIsRefusedNamingTheDivergence) {
  CommandResult r = run("solve " + write("i.json", kIssueExample).string() + " --precision exact");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("rule.divergence"));
}

struct BadCase {
  const char* name;
  std::string content;
  const char* expected_in_stderr;
};

TEST_F(Cli, BadInputExitsTwoNamingTheFieldWithNothingOnStdout) {
  auto with = [](const std::string& from, const std::string& to) {
    std::string text = kIssueExample;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  const BadCase cases[] = {
      {"reward", with("[0, 0.2, 0.8]", "[0, 0.2, 0.7]"),
       "groups[1].reward: sums to 0.9, expected 1"},
      {"initial", with("[\"1/4\",\"1/4\",\"1/2\"]", "[\"1/4\",\"1/4\",\"1/4\"]"),
       "initial: sums to 3/4"},
      {"lambda", with("\"1/5\"", "\"-1\""), "rule.lambda"},
      {"divergence", with("\"kl\"", "\"jensen\""), "rule.divergence"},
      {"size", with("\"size\": 3", "\"size\": 0"), "groups[0].size"},
      {"malformed", "{\"normalization\": ", "malformed JSON"},
      {"not_object", "[1, 2]", "expected a JSON object"},
  };
  for (const BadCase& c : cases) {
    CommandResult r = run("solve " + write(std::string(c.name) + ".json", c.content).string());
    EXPECT_EQ(r.exit_code, 2) << c.name;
    EXPECT_EQ(r.out, "") << c.name;
    EXPECT_THAT(r.err, HasSubstr(c.expected_in_stderr)) << c.name;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1)
        << c.name << ": one message: " << r.err;
  }
}

TEST_F(Cli, MissingFileAndBadOptionsExitTwo) {
  CommandResult missing = run("solve " + (dir / "absent.json").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_THAT(missing.err, HasSubstr("absent.json"));
  CommandResult bad_precision = run("solve " + example("chi2-boundary") + " --precision 30");
  EXPECT_EQ(bad_precision.exit_code, 2);
  EXPECT_EQ(bad_precision.out, "");
  CommandResult no_command = run("");
  EXPECT_EQ(no_command.exit_code, 2);
  CommandResult unknown = run("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
}

TEST_F(Cli, HelpExitsZero) {
  CommandResult r = run("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("solve"));
}

TEST_F(Cli, VersionIsTheOneReportsName) {
  CommandResult r = run("--version");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "mechcheck " + mechcheck::mechcheck_version() + "\n");
  EXPECT_EQ(r.err, "");
  CommandResult all = run("--help-all");
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_THAT(all.out, HasSubstr("--witness-dir"));  // a subcommand's option
}

TEST_F(Cli, VerifyRunsEveryPaperClaimAndWritesTheReport) {
  CommandResult r = run("verify --report " + (dir / "claims.json").string());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("as the paper says, 0 not, 0 inconclusive; 7 exploratory as last "
                               "answered; 1 controls"));
  EXPECT_THAT(r.out, HasSubstr("as the control says (control: sanity, not evidence)"));
  auto report = nlohmann::json::parse(slurp(dir / "claims.json"));
  std::set<std::string> ids;
  std::set<std::string> exploratory, controls;
  for (const auto& claim : report["claims"]) {
    ids.insert(claim["id"].get<std::string>());
    // Every claim, exploratory ones included, has one expected verdict: the paper's or the
    // answer last found (pinned).
    EXPECT_EQ(claim["verdict"], claim["expected"]) << claim["id"];
    EXPECT_TRUE(claim["as_expected"].get<bool>()) << claim["id"];
    EXPECT_TRUE(claim["evidence"].is_object());
    const std::string kind = claim.value("kind", "paper");
    if (kind == "exploratory") exploratory.insert(claim["id"].get<std::string>());
    if (kind == "control") controls.insert(claim["id"].get<std::string>());
    if (kind != "paper") {
      EXPECT_FALSE(claim["note"].get<std::string>().empty()) << claim["id"];
    }
  }
  EXPECT_EQ(exploratory,
            (std::set<std::string>{
                "maxmin-implementability", "nash-implementability", "alpha-fair-implementability",
                "maxmin-implementability-public-sizes", "nash-implementability-public-sizes",
                "sec-4.4-h1-dsic", "sec-4.4-h2-dsic-trained"}));
  EXPECT_EQ(controls, std::set<std::string>{"thm-4.2-constant"});
  for (const char* id : {"prop-4.4-dsic", "prop-4.4-ir", "prop-4.4-nonneg", "thm-4.2", "thm-b.2",
                         "cor-4.10", "prop-4.8", "thm-4.11", "thm-4.12", "lemma-d.2", "appendix-f",
                         "thm-4.11-grid", "maxmin-implementability", "nash-implementability"})
    EXPECT_EQ(ids.count(id), 1u) << id;
}

TEST_F(Cli, VerifyRejectsUnknownClaimIds) {
  CommandResult r = run("verify --only thm-9.9");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("thm-9.9"));
}

TEST_F(Cli, CheckFindsZeroPaymentViolationsWithWitnessesThatReplay) {
  const std::string witnesses = (dir / "w").string();
  CommandResult r = run("check " + std::string(MECHCHECK_SOURCE_DIR) +
                        "/examples/checks/zero-payment-kl.json --instances 4 " + "--witness-dir " +
                        witnesses + " --junit " + (dir / "junit.xml").string());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("dsic         violated"));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(witnesses)) files.push_back(entry.path());
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    EXPECT_EQ(file.extension(), ".json");
    CommandResult replay = run("replay " + file.string());
    EXPECT_EQ(replay.exit_code, 1) << replay.out << replay.err;
    EXPECT_THAT(replay.out, HasSubstr("\"verdict\": \"violated\""));
  }
  const std::string junit = slurp(dir / "junit.xml");
  EXPECT_THAT(junit,
              HasSubstr("<testcase classname=\"mechcheck.check\" name=\"dsic [shard 1/1]\">"));
  EXPECT_THAT(junit, HasSubstr("<failure"));
}

TEST_F(Cli, CheckOfTheAffineMaximizerHoldsAndReportsAreThreadIndependent) {
  const std::string config =
      std::string(MECHCHECK_SOURCE_DIR) + "/examples/checks/affine-maximizer-chi2.json";
  CommandResult one =
      run("check " + config + " --instances 6 --threads 1 --report " + (dir / "one.json").string());
  CommandResult two =
      run("check " + config + " --instances 6 --threads 2 --report " + (dir / "two.json").string());
  EXPECT_EQ(one.exit_code, 0) << one.out << one.err;
  EXPECT_EQ(two.exit_code, 0);
  EXPECT_EQ(slurp(dir / "one.json"), slurp(dir / "two.json"));
}

TEST_F(Cli, CheckRejectsBadConfigsNamingTheField) {
  CommandResult bad =
      run("check " + write("c.json", R"({"normalization": "sum", "max_group_size": 2,
    "rule": {"type": "sw-max", "divergence": "kl", "lambda": 1}, "generator": {"outcomes": [3, 2]},
    "properties": ["dsic"]})")
                         .string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_THAT(bad.err, HasSubstr("generator.outcomes"));
  CommandResult noise =
      run("check " + write("n.json", R"({"normalization": "sum", "max_group_size": 2,
    "rule": {"type": "sw-max", "divergence": "kl", "lambda": 1}, "generator": {}, "properties": ["approx-dsic"]})")
                         .string());
  EXPECT_EQ(noise.exit_code, 2);
  EXPECT_THAT(noise.err, HasSubstr("noise.epsilon"));
  CommandResult shard = run("check " + std::string(MECHCHECK_SOURCE_DIR) +
                            "/examples/checks/zero-payment-kl.json --shard 3/2");
  EXPECT_EQ(shard.exit_code, 2);
  EXPECT_THAT(shard.err, HasSubstr("--shard"));
}

TEST_F(Cli, AppendixFPrintsTheTableAsJsonAndCsv) {
  CommandResult json_run =
      run("experiment appendix-f --samples 300 --eps 0.01,0.1 --format json --threads 2");
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  auto doc = nlohmann::json::parse(json_run.out);
  ASSERT_EQ(doc["rows"].size(), 2u);
  EXPECT_EQ(doc["rows"][1]["eps"], 0.1);
  EXPECT_GT(doc["rows"][0]["delta_valuation"]["mean"].get<double>(), 0);
  EXPECT_LT(doc["rows"][0]["delta_utility"]["mean"].get<double>(), 0);
  EXPECT_TRUE(doc["rows"][0]["delta_utility"]["std"].is_number());
  CommandResult csv = run("experiment appendix-f --samples 100 --eps 0.01 --format csv");
  EXPECT_THAT(csv.out, HasSubstr("eps,delta_valuation_mean"));
  CommandResult bad = run("experiment appendix-f --lambda -1");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--lambda"));
}

TEST_F(Cli, StrategiesSweepAndPlot) {
  const fs::path svg = dir / "figure2.svg";
  CommandResult r =
      run("experiment strategies " + example("kl-two-groups") +
          " --group 1 --alpha 0.5,1,2 --beta 0.5,1 " + "--format json --plot " + svg.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["rows"].size(), 5u);
  EXPECT_THAT(slurp(svg), HasSubstr("<svg"));
  CommandResult bad = run("experiment strategies " + example("kl-two-groups") + " --group 7");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--group"));
}

TEST_F(Cli, ImplementabilityReportsMonotoneRulesAndNegativeCycles) {
  CommandResult holds = run("implementability " + example("chi2-boundary") +
                            " --resolution 3 --sizes 1,2 --report " + (dir / "impl.json").string());
  ASSERT_EQ(holds.exit_code, 0) << holds.err;
  auto doc = nlohmann::json::parse(slurp(dir / "impl.json"));
  EXPECT_EQ(doc["verdict"], "holds");
  EXPECT_EQ(doc["precision"], "exact");
  EXPECT_TRUE(doc["payment_equivalence_gap"].is_number());
  EXPECT_TRUE(doc["distance_to_affine_maximizer"].is_number());
  EXPECT_TRUE(doc["negative_cycle"].empty());
  CommandResult violated = run("implementability " +
                               write("anti.json", R"({"normalization": "sum",
    "initial": ["1/3","1/3","1/3"], "max_group_size": 2, "rule": {"type": "anti-sw-max", "divergence": "chi2", "lambda": 2},
    "payment": {"type": "zero"}, "groups": [{"reward": ["1/2","1/4","1/4"], "size": 1}]})")
                                   .string() +
                               " --resolution 2");
  EXPECT_EQ(violated.exit_code, 1) << violated.err;
  EXPECT_FALSE(nlohmann::json::parse(violated.out)["negative_cycle"].empty());
  CommandResult bad = run("implementability " + example("kl-two-groups") + " --precision exact");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
}

// A welfare rule's negative cycle, written by --report, replays from the report alone.
TEST_F(Cli, ImplementabilityOfMaxMinReplaysItsCycle) {
  const std::string report = (dir / "maxmin.json").string();
  CommandResult found = run("implementability " + example("maxmin-two-groups") +
                            " --resolution 2 --report " + report);
  ASSERT_EQ(found.exit_code, 1) << found.err;
  auto doc = nlohmann::json::parse(slurp(dir / "maxmin.json"));
  EXPECT_EQ(doc["precision"], "100");
  ASSERT_GE(doc["negative_cycle"].size(), 2u);
  CommandResult replayed =
      run("implementability " + example("maxmin-two-groups") + " --types " + report + " --no-grid");
  EXPECT_EQ(replayed.exit_code, 1) << replayed.err;
  EXPECT_EQ(nlohmann::json::parse(replayed.out)["types"], doc["negative_cycle"].size() + 1);
  CommandResult bad =
      run("implementability " + example("maxmin-two-groups") + " --types " +
          write("types.json", R"([{"reward": ["1/2","1/2"], "size": 1}])").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("[0].reward"));
}

// `check` searches misreports under the welfare rules too; MaxMin with the externality payment is
// manipulable, and the witness replays at 100 digits.
TEST_F(Cli, CheckFindsMaxMinManipulableAndTheWitnessReplays) {
  const std::string config = write("maxmin-check.json", R"({"normalization": "sum",
    "max_group_size": 5, "rule": {"type": "maxmin", "divergence": "kl", "lambda": "1/2"},
    "payment": {"type": "affine-maximizer"},
    "generator": {"outcomes": [2, 4], "groups": [2, 3], "initial": "random", "reward": "uniform"},
    "properties": ["dsic"], "instance_count": 5, "effort": "quick", "seed": 7})")
                                 .string();
  const auto witnesses = dir / "maxmin-witnesses";
  CommandResult r = run("check " + config + " --witness-dir " + witnesses.string());
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  ASSERT_FALSE(std::filesystem::is_empty(witnesses));
  const auto witness = std::filesystem::directory_iterator(witnesses)->path();
  EXPECT_EQ(run("replay " + witness.string()).exit_code, 1);
}

TEST_F(Cli, SolveReportsTheWelfareRulesCertificate) {
  CommandResult r = run("solve " + example("nash-two-groups") + " --precision 50");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  // 50-digit numbers are printed as strings so that no digit is lost.
  EXPECT_LE(std::abs(std::stod(doc["certificate"]["duality_gap"].get<std::string>())), 1e-45);
  EXPECT_EQ(doc["certificate"]["sw_max_weights"].size(), 2u);
}

TEST_F(Cli, ReplayRejectsMalformedWitnesses) {
  CommandResult r =
      run("replay " + write("w.json", R"({"mechcheck_witness": 1, "property": "dsic"})").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("instance"));
}

}  // namespace

// External mechanisms on the command line (docs/protocol.md): Python pricing services unknown
// to mechcheck are checked like built-in families — correct ones hold, buggy ones are violated
// with shrunk witnesses that `replay` confirms by running the program again — and a mechanism
// that crashes, hangs, prints garbage or answers malformed results ends the run with exit 2
// naming the request, the field and a file holding the profile, writing nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using json = nlohmann::json;
using mechcheck::testing::CommandResult;
using mechcheck::testing::files_in;
using mechcheck::testing::slurp;

class ExternalCli : public mechcheck::testing::CliTest {
 protected:
  // Runs mechcheck from the source tree, where the examples' relative commands resolve.
 public:
  CommandResult run_in_source(const std::string& arguments) {
    return run_in(MECHCHECK_SOURCE_DIR, arguments);
  }
  // A test mechanism of tests/external/mechanisms as a --mechanism argument.
 protected:
  static std::string test_mechanism(const std::string& name) {
    return "--mechanism 'python3 " + source_file("tests/external/mechanisms/" + name + ".py") + "'";
  }
  static std::string example(const std::string& name) {
    return source_file("examples/external/" + name);
  }
  std::string witness_dir() const { return (dir / "witnesses").string(); }
  std::string outputs() const {
    return " --witness-dir " + witness_dir() + " --report " + (dir / "report.json").string();
  }
  json report() { return json::parse(slurp(dir / "report.json")); }
};

TEST_F(ExternalCli, CorrectExactChiSquaredPricingHolds) {
  const CommandResult r =
      run_in_source("check examples/external/chi2-check.json --instances 6" + outputs());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("verdict: holds"));
  EXPECT_TRUE(files_in(witness_dir()).empty());
  const json document = report();
  // The report names the program under test as its handshake did.
  EXPECT_EQ(document["mechanism"]["external"]["name"], "chi2-pricing");
  EXPECT_EQ(document["mechanism"]["external"]["init"]["options"]["lambda"], "1/4");
  EXPECT_EQ(document["tolerance"], "0");
  for (const json& result : document["results"])
    if (result["property"] == "dsic") {
      EXPECT_LE(result["evidence"]["max_gain_found"], 0.0);
    }
}

TEST_F(ExternalCli, FloatingPointKlPricingHoldsWithinItsDeclaredTolerance) {
  const CommandResult r =
      run_in_source("check examples/external/kl-check.json --instances 6" + outputs());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const json document = report();
  for (const json& result : document["results"])
    if (result["property"] == "dsic") {
      EXPECT_LE(result["evidence"]["max_gain_found"], 1e-9);
    }
}

// Each bug is caught with a witness of at most the generator's size that replays by running the
// program again (exit 1), and replays as "does not stand" against the fixed program (exit 0).
void expect_caught(ExternalCli& test, const CommandResult& r, const fs::path& witnesses,
                   const std::string& fixed) {
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("dsic         violated"));
  const std::vector<fs::path> files = files_in(witnesses);
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    const json witness = json::parse(slurp(file));
    EXPECT_EQ(witness["recorded"]["precision"], "by-mechanism");
    EXPECT_TRUE(witness["mechanism"]["external"].contains("command"));
    EXPECT_TRUE(witness["answers"].contains("truthful"));
    if (witness["property"] != "dsic") continue;
    EXPECT_TRUE(witness["answers"].contains("deviation"));
    const CommandResult replayed = test.run_in_source("replay " + file.string());
    EXPECT_EQ(replayed.exit_code, 1) << replayed.out << replayed.err;
    EXPECT_THAT(replayed.out, HasSubstr("\"reproduced\": true"));
    const CommandResult against_fix =
        test.run_in_source("replay " + file.string() + " --mechanism 'python3 " + fixed + "'");
    EXPECT_EQ(against_fix.exit_code, 0) << against_fix.out << against_fix.err;
  }
}

TEST_F(ExternalCli, PaymentWithoutTheDivergenceTermIsCaughtAndReplays) {
  const CommandResult r = run_in_source(
      "check examples/external/bug-forgot-divergence-check.json --instances 4" + outputs());
  expect_caught(*this, r, witness_dir(), example("chi2_pricing.py"));
  int confirmed = 0;
  const json document = report();
  for (const json& result : document["results"])
    if (result["verdict"] == "violated") {
      EXPECT_EQ(result["evidence"]["confirmed"], "by-mechanism");
      ++confirmed;
    }
  EXPECT_GT(confirmed, 0);
}

TEST_F(ExternalCli, OptimumWithoutGroupSolvedWithTheGroupIsCaughtWithAShrunkWitness) {
  const CommandResult r = run_in_source(
      "check examples/external/bug-wrong-without-group-check.json --instances 4" + outputs());
  expect_caught(*this, r, witness_dir(), example("chi2_pricing.py"));
  // Shrunk: one group and two outcomes still show it.
  bool smallest = false;
  for (const fs::path& file : files_in(witness_dir())) {
    const json witness = json::parse(slurp(file));
    smallest |=
        witness["instance"]["groups"].size() == 1 && witness["instance"]["initial"].size() == 2;
  }
  EXPECT_TRUE(smallest);
}

TEST_F(ExternalCli, VickreyFeedbackAsAPythonScriptIsCaught) {
  const CommandResult r = run_in_source(
      "check examples/external/vickrey-feedback-check.json --instances 5" + outputs());
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("dsic         violated"));
  EXPECT_THAT(r.out, HasSubstr("budget       holds"));
  for (const fs::path& file : files_in(witness_dir())) {
    const CommandResult replayed = run_in_source("replay " + file.string());
    EXPECT_EQ(replayed.exit_code, 1) << file << replayed.out << replayed.err;
  }
}

TEST_F(ExternalCli, ThreadsAndShardsGiveTheSameWitnesses) {
  const std::string config =
      "check examples/external/bug-wrong-without-group-check.json "
      "--instances 6 --witness-dir ";
  auto witnesses = [&](const std::string& name) {
    std::map<std::string, json> out;
    for (const fs::path& file : files_in(dir / name)) {
      json witness = json::parse(slurp(file));
      out[file.filename().string()] = witness;
    }
    return out;
  };
  ASSERT_EQ(run_in_source(config + (dir / "one").string() + " --threads 1").exit_code, 1);
  ASSERT_EQ(run_in_source(config + (dir / "two").string() + " --threads 2").exit_code, 1);
  ASSERT_EQ(run_in_source(config + (dir / "shards").string() + " --shard 1/2").exit_code, 1);
  ASSERT_EQ(run_in_source(config + (dir / "shards").string() + " --shard 2/2").exit_code, 1);
  const auto one = witnesses("one");
  ASSERT_FALSE(one.empty());
  EXPECT_EQ(one, witnesses("two"));
  EXPECT_EQ(one, witnesses("shards"));
}

TEST_F(ExternalCli, StderrOfTheMechanismIsPassedThroughWithTheWorkerNumber) {
  const CommandResult r = run("check " + example("chi2-check.json") + " --instances 2 " +
                              test_mechanism("stderr_chatter") + outputs());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("[mechanism 1] "));
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);)
    EXPECT_THAT(line, StartsWith("[mechanism ")) << "stderr line without the prefix: " << line;
}

struct Misbehaviour {
  const char* mechanism;
  const char* field;  // what the one stderr line must name
};

class MisbehavingMechanism : public ExternalCli,
                             public ::testing::WithParamInterface<Misbehaviour> {};

// Exit 2, one stderr line naming the request and the field and a profile file that exists, no
// witness, no report, nothing on stdout.
TEST_P(MisbehavingMechanism, EndsTheRunWithExitTwoNamingTheFieldAndTheProfile) {
  const Misbehaviour& bad = GetParam();
  const CommandResult r = run("check " + example("chi2-check.json") + " --instances 3 " +
                              test_mechanism(bad.mechanism) + outputs());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(dir / "report.json"));
  EXPECT_TRUE(files_in(witness_dir()).empty());
  std::string error_line;
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("mechcheck check: ", 0) == 0) {
      EXPECT_TRUE(error_line.empty()) << "more than one error line:\n" << r.err;
      error_line = line;
    }
  EXPECT_THAT(error_line, HasSubstr("mechcheck check: mechanism "));
  EXPECT_THAT(error_line, HasSubstr(bad.field));
  std::smatch profile;
  if (std::string(bad.mechanism) != "refuses_init") {
    ASSERT_TRUE(std::regex_search(error_line, profile, std::regex(R"(\(profile: ([^)]+)\))")))
        << error_line;
    const json saved = json::parse(slurp(profile[1].str()));
    EXPECT_TRUE(saved.contains("request"));
    EXPECT_TRUE(saved.contains("profile") || saved.contains("profiles"));
    fs::remove(profile[1].str());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Protocol, MisbehavingMechanism,
    ::testing::Values(Misbehaviour{"crash_on_run", "request 2: the mechanism exited with status 3"},
                      Misbehaviour{"garbage_stdout", "run_ok: is not JSON"},
                      Misbehaviour{"policy_sums_wrong", ".policy: sums to 1.2, expected 1"},
                      Misbehaviour{"wrong_payment_count", ".payments: has "},
                      Misbehaviour{"nan_payment", "run_ok: is not JSON"},
                      Misbehaviour{"error_reply", "the mechanism replied with an error"},
                      Misbehaviour{"refuses_init", "mechanism init: error: the mechanism refused"}),
    [](const auto& test_info) { return std::string(test_info.param.mechanism); });

// Only the shrinker asks about one group (the generator makes 2–3): a malformed answer there
// ends the run too, instead of being skipped as a shrink step that did not work.
TEST_F(ExternalCli, AMalformedAnswerWhileShrinkingEndsTheRun) {
  const std::string config = R"({"family": "rlhf-game", "normalization": "max",
    "max_group_size": 4, "mechanism": {"external": {"command": ["python3", ")" +
                             source_file("tests/external/mechanisms/fails_when_shrunk.py") +
                             R"("], "options": {"lambda": "1/4"}}},
    "generator": {"outcomes": [2, 3], "groups": [2, 3]}, "properties": ["dsic"],
    "instance_count": 2, "effort": "quick"})";
  const CommandResult r = run("check " + write("shrunk.json", config).string() + outputs());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr(".policy: sums to 1.2, expected 1"));
  EXPECT_TRUE(files_in(witness_dir()).empty());
}

TEST_F(ExternalCli, AHangingMechanismTimesOutAndIsKilled) {
  const std::string config = R"({"family": "rlhf-game", "normalization": "max",
    "max_group_size": 4, "mechanism": {"external": {"command": ["python3", ")" +
                             source_file("tests/external/mechanisms/hang.py") +
                             R"("], "timeout": 3}},
    "generator": {"outcomes": [2, 3], "groups": [1, 2]}, "properties": ["dsic"],
    "instance_count": 3, "effort": "quick"})";
  const CommandResult r = run("check " + write("hang.json", config).string() + outputs());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("the mechanism did not reply within 3 s"));
  EXPECT_THAT(r.err, HasSubstr("(profile: "));
}

TEST_F(ExternalCli, BadExternalConfigsNameTheField) {
  auto config = [&](const std::string& mechanism, const std::string& extra = "") {
    return write("config.json",
                 R"({"family": "rlhf-game", "normalization": "max", "max_group_size": 2,
      "mechanism": )" +
                     mechanism + extra + R"(, "generator": {"outcomes": [2, 3], "groups": [1, 2]},
      "properties": ["dsic"], "instance_count": 2, "effort": "quick"})")
        .string();
  };
  const struct {
    std::string mechanism, extra, message;
  } cases[] = {
      {R"({"external": {"command": []}})", "", "mechanism.external.command: is empty"},
      {R"({"external": {"command": ["python3"], "timeout": -1}})", "",
       "mechanism.external.timeout: is -1"},
      {R"({"external": {"command": ["python3"], "colour": 1}})", "", "mechanism.external.colour"},
      {R"({"internal": {}})", "", "mechanism"},
      {R"({"external": {"command": ["/no/such/program"]}})", "",
       "mechanism.external.command: could not start"},
      {R"({"external": {"command": ["python3"]}})", R"(, "tolerance": "-1/10")", "tolerance: is"},
      {R"({"external": {"command": ["python3"]}})",
       R"(, "rule": {"type": "sw-max", "divergence": "chi2", "lambda": "1"})",
       "rule: is computed by the external mechanism"},
  };
  for (const auto& c : cases) {
    const CommandResult r = run("check " + config(c.mechanism, c.extra) + outputs());
    EXPECT_EQ(r.exit_code, 2) << c.mechanism << c.extra << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.mechanism << c.extra;
    EXPECT_EQ(r.out, "");
  }
  const CommandResult approx =
      run("check " +
          write("approx.json", R"({"normalization": "max", "max_group_size": 2,
      "mechanism": {"external": {"command": ["python3"]}}, "generator": {"outcomes": [2, 3]},
      "properties": ["approx-dsic"], "noise": {"epsilon": "1/100"}})")
              .string() +
          outputs());
  EXPECT_EQ(approx.exit_code, 2);
  EXPECT_THAT(approx.err, HasSubstr("properties: approx-dsic needs the built-in solver"));
  const CommandResult unclosed =
      run("check " + example("chi2-check.json") + " --mechanism 'python3 \"x.py'");
  EXPECT_EQ(unclosed.exit_code, 2);
  EXPECT_THAT(unclosed.err, HasSubstr("--mechanism: has an unclosed \" quote"));
}

}  // namespace

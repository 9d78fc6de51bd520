// Issue #15 ("Hardening") through the executable: numeric options validated before any work,
// outputs written all together or not at all, strict JSON, no internal errors on bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using mechcheck::testing::CommandResult;
using mechcheck::testing::slurp;

class Hardening : public mechcheck::testing::CliTest {
 protected:
  std::string instance(const std::string& name) {
    return source_file("examples/instances/" + name + ".json");
  }
  std::string prove_config(const std::string& name) {
    return source_file("examples/prove/" + name + ".json");
  }
  std::string check_config() { return source_file("examples/checks/affine-maximizer-chi2.json"); }
  std::set<std::string> listing() {
    std::set<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
      if (entry.path().filename() != "out" && entry.path().filename() != "err")
        names.insert(fs::relative(entry.path(), dir).string());
    return names;
  }
  // Exit 2, nothing on stdout, exactly one stderr line holding `expected`.
  void expect_refused(const std::string& arguments, const std::string& expected) {
    const CommandResult r = run(arguments);
    EXPECT_EQ(r.exit_code, 2) << arguments << "\n" << r.out << r.err;
    EXPECT_EQ(r.out, "") << arguments;
    EXPECT_THAT(r.err, HasSubstr(expected)) << arguments;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << arguments << ": " << r.err;
    EXPECT_THAT(r.err, Not(HasSubstr("internal error"))) << arguments;
  }
};

// --- Options are inputs too -------------------------------------------------------------

TEST_F(Hardening, ThreadsZeroAndNegativeAreRefusedByEveryCommand) {
  const std::string commands[][2] = {
      {"verify --only cor-4.10", "mechcheck verify: "},
      {"check " + check_config() + " --instances 1", "mechcheck check: "},
      {"implementability " + instance("chi2-boundary") + " --resolution 2",
       "mechcheck implementability: "},
      {"experiment appendix-f --samples 10", "mechcheck experiment appendix-f: "},
  };
  for (const auto& [command, prefix] : commands) {
    expect_refused(command + " --threads 0",
                   prefix + "--threads: is 0, expected an integer in 1..1024\n");
    expect_refused(command + " --threads -1",
                   prefix + "--threads: is -1, expected an integer in 1..1024\n");
    expect_refused(command + " --threads 99999", prefix + "--threads: is 99999");
  }
}

TEST_F(Hardening, SeedsAreZeroTo2To64MinusOneNeverWrapped) {
  const std::string range = "expected an integer in 0..18446744073709551615";
  for (const std::string& command :
       {std::string("verify --only cor-4.10"), "check " + check_config() + " --instances 1",
        std::string("experiment appendix-f --samples 10"),
        "prove " + prove_config("chi2-affine-maximizer") + " --property dsic"}) {
    expect_refused(command + " --seed -1", "--seed: is -1, " + range);
    expect_refused(command + " --seed 18446744073709551616",
                   "--seed: is 18446744073709551616, " + range);
    expect_refused(command + " --seed 1e3", "--seed: is \"1e3\"");
  }
  const CommandResult top =
      run("experiment appendix-f --samples 10 --eps 0.1 --seed 18446744073709551615");
  EXPECT_EQ(top.exit_code, 0) << top.err;
  EXPECT_THAT(top.out, HasSubstr("seed 18446744073709551615"));
}

TEST_F(Hardening, CountsAndSizesAreRangeCheckedBeforeAnyWork) {
  const std::string f = "experiment appendix-f ";
  expect_refused(f + "--samples 0", "--samples: is 0, expected an integer in 1..1000000");
  expect_refused(f + "--samples -1", "--samples: is -1");
  // Sizes that used to allocate until std::bad_alloc ("internal error", exit 3):
  expect_refused(f + "--samples 100000000000", "--samples: is 100000000000");
  expect_refused(f + "--outcomes 4000000000",
                 "--outcomes: is 4000000000, expected an integer "
                 "in 2..10000");
  expect_refused(f + "--outcomes 1", "--outcomes: is 1");
  expect_refused(f + "--groups 2000000000",
                 "--groups: is 2000000000, expected an integer in "
                 "1..1000");
  expect_refused(f + "--groups -3", "--groups: is -3");
  expect_refused(f + "--min-size 0", "--min-size: is 0");
  expect_refused(f + "--max-size -1", "--max-size: is -1");
  expect_refused(f + "--eps 0.1,,0.2", "--eps: is \"0.1,,0.2\": item 2 is empty");
  expect_refused(f + "--eps 0.1,", "--eps: is \"0.1,\": item 2 is empty");
  expect_refused(f + "--eps nan", "--eps: is \"nan\", expected a finite number >= 0");
  expect_refused(f + "--eps inf", "--eps: is \"inf\"");
  expect_refused(f + "--eps 1e999", "--eps: is 1e999, expected a finite number >= 0");
  expect_refused(f + "--eps=-0.1", "--eps: is -0.1");
  expect_refused(f + "--eps 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20",
                 "--eps: has more than 20 items");
  expect_refused("check " + check_config() + " --instances 0", "--instances: is 0");
  expect_refused("check " + check_config() + " --instances -1", "--instances: is -1");
  expect_refused("check " + check_config() + " --shard 1/-1",
                 "mechcheck check: --shard: is \"1/-1\"");
  const std::string impl = "implementability " + instance("chi2-boundary") + " ";
  expect_refused(impl + "--resolution 0", "--resolution: is 0");
  expect_refused(impl + "--resolution -2", "--resolution: is -2");
  expect_refused(impl + "--group -1", "--group: is -1");
  expect_refused(impl + "--sizes 1,,2", "--sizes: is \"1,,2\": item 2 is empty");
  expect_refused(impl + "--sizes 1,-2", "--sizes: is -2");
  const std::string s = "experiment strategies " + instance("kl-two-groups") + " ";
  expect_refused(s + "--group -1", "--group: is -1");
  expect_refused(s + "--alpha 0.5,,1", "--alpha: is \"0.5,,1\": item 2 is empty");
  expect_refused(s + "--alpha 0", "--alpha: has 0");
  expect_refused(s + "--beta nan", "--beta: is \"nan\"");
}

TEST_F(Hardening, ProveOptionsAreCheckedBeforeTheProof) {
  const std::string p = "prove " + prove_config("chi2-affine-maximizer") + " --property dsic ";
  expect_refused(p + "--samples -1", "--samples: is -1, expected an integer in 0..100000");
  expect_refused(p + "--samples 100001", "--samples: is 100001");
  expect_refused(p + "--outcomes -1", "--outcomes: is -1, expected an integer in 1..1000");
  expect_refused(p + "--groups 0", "--groups: is 0, expected an integer in 1..100");
  expect_refused(p + "--timeout nan", "--timeout: is \"nan\"");
  expect_refused(p + "--timeout 0", "--timeout");
  // The case split is listed up front: --outcomes 40 under chi2 used 4 GB in a minute.
  expect_refused(p + "--outcomes 40",
                 "--outcomes: is 40, expected at most 18 for chi2 with boundary optima");
  expect_refused("prove " + prove_config("tv-affine-maximizer") + " --property dsic --outcomes 16",
                 "--outcomes: is 16, expected at most 11 for tv");
  const std::string t = "prove " + instance("chi2-boundary") + " --property cycle-monotone ";
  expect_refused(t + "--sizes ,", "--sizes: is \",\": item 1 is empty");
  expect_refused(t + "--group -1", "--group: is -1");
  expect_refused(t + "--resolution -1", "--resolution: is -1");
}

// --- Nothing half-done --------------------------------------------------------------------

TEST_F(Hardening, UnwritableOutputsFailBeforeTheVerdictAndLeaveNoFiles) {
  fs::create_directories(dir / "adir");
  write("plain-file", "x");
  const auto before = listing();
  const std::string adir = (dir / "adir").string(), missing = (dir / "no" / "r.json").string();
  expect_refused("verify --only cor-4.10 --report " + adir, "mechcheck verify: --report: ");
  expect_refused("verify --only cor-4.10 --report " + missing, "does not exist");
  expect_refused("implementability " + instance("chi2-boundary") +
                     " --resolution 2 --sizes 1 --report " + adir,
                 "--report: " + adir + ": is a directory");
  expect_refused("prove " + prove_config("chi2-affine-maximizer") +
                     " --property dsic --samples 1 --smtlib " + adir,
                 "--smtlib: ");
  expect_refused("prove " + prove_config("chi2-zero-payment") +
                     " --property dsic --samples 1 --witness-dir " + (dir / "plain-file").string(),
                 "--witness-dir: ");
  expect_refused("prove " + instance("chi2-boundary") +
                     " --property cycle-monotone --resolution 2 --smtlib " + missing,
                 "--smtlib: ");
  expect_refused("experiment strategies " + instance("kl-two-groups") + " --plot " + adir,
                 "--plot: ");
  EXPECT_EQ(listing(), before);  // in particular no adir.partial
}

TEST_F(Hardening, ProveCommitsTheSmtlibFileAndTheWitnessTogether) {
  const std::string smt = (dir / "q.smt2").string(), witnesses = (dir / "w").string();
  const CommandResult r =
      run("prove " + prove_config("chi2-zero-payment") + " --property dsic --samples 1 --smtlib " +
          smt + " --witness-dir " + witnesses);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  // The witness is named by its case (the first, most interior one, is sat here).
  EXPECT_EQ(listing(), (std::set<std::string>{"q.smt2", "w", "w/prove-dsic-case-1.json"}));
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["witness_file"], witnesses + "/prove-dsic-case-1.json");
}

// --- Strict JSON --------------------------------------------------------------------------

TEST_F(Hardening, DuplicateKeysAndNonStringNamesAreRefused) {
  const std::string base = R"({"normalization": "sum", "initial": "uniform", "max_group_size": 2,
    "rule": {"type": "sw-max", "divergence": "chi2", "lambda": "-1", "lambda": "1/5"},
    "groups": [{"reward": [1, 0], "size": 1}]})";
  expect_refused("solve " + write("dup.json", base).string(),
                 "rule.lambda: is a duplicate key: \"lambda\" appears more than once");
  std::string named = base;
  named.replace(named.find("\"lambda\": \"-1\", "), 15, "");
  ASSERT_EQ(run("solve " + write("ok.json", named).string()).exit_code, 0);
  named.insert(1, "\"name\": 5, ");
  expect_refused("solve " + write("named.json", named).string(),
                 "name: is a number, expected a string");
  auto config = nlohmann::json::parse(slurp(prove_config("chi2-affine-maximizer")));
  config["description"] = {"x"};
  expect_refused("prove " + write("described.json", config.dump()).string() + " --property dsic",
                 "description: is an array, expected a string");
  expect_refused(
      "implementability " + instance("chi2-boundary") + " --types " +
          write("types.json", R"([{"reward": [1, 0, 0, 0], "size": 1, "size": 2}])").string(),
      "[0].size: is a duplicate key");
  expect_refused("solve " + write("deep.json", std::string(10000, '[')).string(),
                 "nests deeper than 64");
}

// --- Internal errors are bugs -------------------------------------------------------------

TEST_F(Hardening, BadInputFilesAreFieldNamedErrorsNotInternalErrors) {
  fs::create_directories(dir / "adir");
  const std::string adir = (dir / "adir").string();
  const std::string truncated =
      write("truncated.json", slurp(instance("kl-two-groups")).substr(0, 40)).string();
  const std::string empty = write("empty.json", "").string();
  for (const std::string& input : {adir, truncated, empty}) {
    expect_refused("solve " + input, input);
    expect_refused("implementability " + input, input);
    expect_refused("experiment strategies " + input, input);
    expect_refused("prove " + input + " --property dsic", input);
    expect_refused("prove " + input + " --property cycle-monotone", input);
    expect_refused("implementability " + instance("chi2-boundary") + " --types " + input, input);
  }
  expect_refused("solve /dev/zero", "larger than");
}

// Type sets whose gain matrix would not fit in memory used to end in std::bad_alloc, reported
// as "internal error" (exit 3); they are refused up front, naming the option.
TEST_F(Hardening, OversizedTypeGridsAreRefusedUpFront) {
  // 100 digits (KL): the memory budget bounds the grid (issue #14: --max-memory).
  expect_refused("implementability " + instance("kl-two-groups") + " --resolution 200",
                 "mechcheck implementability: --max-memory: the analysis of about 2.03e+05 types");
  // Exact (χ²): at most 3,000 types, whatever the budget.
  expect_refused("implementability " + instance("chi2-boundary") + " --resolution 200",
                 "mechcheck implementability: --resolution: is 200: the type grid would have");
  expect_refused(
      "prove " + instance("chi2-boundary") + " --property cycle-monotone --resolution 100",
      "mechcheck prove: --resolution: is 100");
  const std::string wide = write("wide.json", R"({"normalization": "sum", "initial": "uniform",
    "max_group_size": 1000000000, "rule": {"type": "sw-max", "divergence": "chi2", "lambda": 1},
    "groups": [{"reward": [1, 0], "size": 1}]})")
                               .string();
  expect_refused("implementability " + wide, "--sizes: ");
  std::string wider = slurp(wide);
  wider.replace(wider.find("1000000000"), 10, "18446744073709551616");
  expect_refused("implementability " + write("wider.json", wider).string() + " --sizes 1",
                 "max_group_size: is 18446744073709551616, expected at most");
  const CommandResult fine = run("implementability " + wide + " --sizes 1,2 --resolution 3");
  EXPECT_EQ(fine.exit_code, 0) << fine.err;
}

// A result that is not finite at 100 digits is not sent back to --precision 100.
TEST_F(Hardening, SolveSaysWhenEvenOneHundredDigitsAreNotEnough) {
  const std::string file = write("alpha.json", R"({"normalization": "sum", "initial": "uniform",
    "max_group_size": 2, "rule": {"type": "power-mean", "divergence": "kl", "lambda": 1,
    "alpha": "1e4000"}, "groups": [{"reward": [1, 0], "size": 2}, {"reward": [0, 1], "size": 1}]})")
                               .string();
  // The dual's weights w·v^(α−1) outgrow every working precision: refused at each, saying
  // why (the scale reached and α), and never sent to a higher precision that cannot help.
  for (const char* precision : {"double", "100"}) {
    const CommandResult r = run("solve " + file + " --precision " + precision);
    EXPECT_EQ(r.exit_code, 3) << precision;
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("the power-mean rule's dual weights reach 10^"));
    EXPECT_THAT(r.err, HasSubstr("(target 1e+4000): rounding the scores at this precision cannot "
                                 "resolve them, at every working precision up to 200 digits"));
    EXPECT_THAT(r.err, Not(HasSubstr("rerun")));
  }
}

// experiment never prints NaN or inf: a non-finite table is exit 3 with the way out.
TEST_F(Hardening, AppendixFNeverPrintsNonFiniteNumbers) {
  for (const char* format : {"table", "json", "csv"}) {
    const CommandResult r = run(std::string("experiment appendix-f --samples 20 --eps 0.1 ") +
                                "--lambda 1e-400 --format " + format);
    EXPECT_EQ(r.exit_code, 3) << format << r.out;
    EXPECT_EQ(r.out, "") << format;
    EXPECT_THAT(r.err, HasSubstr("is not finite at precision double; rerun with --precision 100"));
  }
}

}  // namespace

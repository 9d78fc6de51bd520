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

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

struct CommandResult {
  int exit_code;
  std::string out, err;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class ProveCli : public ::testing::Test {
 protected:
  fs::path dir;
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("mechcheck_prove_" +
           std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  fs::path write(const std::string& name, const std::string& content) {
    std::ofstream(dir / name) << content;
    return dir / name;
  }
  CommandResult run(const std::string& arguments) {
    const std::string command = std::string(MECHCHECK_EXECUTABLE) + " " + arguments + " >" +
                                (dir / "out").string() + " 2>" + (dir / "err").string();
    const int status = std::system(command.c_str());
    return CommandResult{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"),
                         slurp(dir / "err")};
  }
  std::string example(const std::string& name) {
    return std::string(MECHCHECK_SOURCE_DIR) + "/examples/prove/" + name + ".json";
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

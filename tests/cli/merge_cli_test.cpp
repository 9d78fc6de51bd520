// `mechcheck merge` end to end (issue #14): 4-shard `check`, `verify` and `prove` runs merged are
// byte-identical to the unsharded run's report and JUnit, with its exit code and summary; shards
// that do not belong together are refused with exit 2 and no file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using mechcheck::testing::files_in;
using mechcheck::testing::slurp;
using ::testing::HasSubstr;

// "s" 3 ".json" → "s3.json" (appending: GCC 12 warns about prepending to a temporary string).
std::string numbered(std::string prefix, int k, const char* suffix) {
  prefix += std::to_string(k);
  prefix += suffix;
  return prefix;
}

class MergeCli : public mechcheck::testing::CliTest {
 protected:
  // Runs `arguments` once whole (in dir/whole) and as shards k/4 (in dir/shards), each with its
  // own --report and, for check, --junit; relative --witness-dir "witnesses" in both.
  struct Runs {
    mechcheck::testing::CommandResult whole;
    std::vector<std::string> shard_reports;
  };
  Runs run_whole_and_shards(const std::string& command, const std::string& arguments, bool junit,
                            int shards = 4) {
    fs::create_directories(dir / "whole");
    fs::create_directories(dir / "shards");
    Runs runs;
    runs.whole =
        run_in((dir / "whole").string(), command + " " + arguments + " --report report.json" +
                                             (junit ? " --junit junit.xml" : ""));
    for (int k = 1; k <= shards; ++k) {
      const std::string name = numbered("report-", k, ".json");
      const auto shard = run_in((dir / "shards").string(),
                                command + " " + arguments + " --shard " + std::to_string(k) + "/" +
                                    std::to_string(shards) + " --report " + name +
                                    (junit ? numbered(" --junit junit-", k, ".xml") : ""));
      EXPECT_NE(shard.exit_code, 2) << shard.err;
      runs.shard_reports.push_back((dir / "shards" / name).string());
    }
    return runs;
  }
  static std::string quoted(const std::string& path) {
    std::string out = "'";
    out += path;
    out += "'";
    return out;
  }
  static std::string joined(const std::vector<std::string>& paths) {
    std::string out;
    for (const std::string& path : paths) out += " '" + path + "'";
    return out;
  }
  // The merged report and JUnit against the whole run's, byte for byte, with its exit code and
  // stdout (check prints its summary after the files; merge prints the same).
  void expect_merge_equals_whole(const Runs& runs, bool junit) {
    // Any order of the shard files.
    std::vector<std::string> shuffled = {runs.shard_reports[2], runs.shard_reports[0],
                                         runs.shard_reports[3], runs.shard_reports[1]};
    const auto merged =
        run("merge" + joined(shuffled) + " --report '" + (dir / "merged.json").string() + "'" +
            (junit ? " --junit '" + (dir / "merged.xml").string() + "'" : ""));
    EXPECT_EQ(merged.exit_code, runs.whole.exit_code) << merged.err;
    EXPECT_EQ(merged.err, "");
    EXPECT_EQ(slurp(dir / "merged.json"), slurp(dir / "whole" / "report.json"));
    if (junit) {
      EXPECT_EQ(slurp(dir / "merged.xml"), slurp(dir / "whole" / "junit.xml"));
    }
  }
  // Every witness the whole run wrote, the shards wrote with the same content, where the
  // merged report's witness paths point (relative to the shards' working directory).
  void expect_same_witnesses() {
    const auto whole = files_in(dir / "whole" / "witnesses");
    const auto shards = files_in(dir / "shards" / "witnesses");
    ASSERT_EQ(whole.size(), shards.size());
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(whole[i].filename(), shards[i].filename());
      EXPECT_EQ(slurp(whole[i]), slurp(shards[i])) << whole[i];
    }
  }
  // A command with extra environment variables (in the child only: no setenv here).
  mechcheck::testing::CommandResult run_with_environment(const std::string& assignments,
                                                         const std::string& arguments) {
    const std::string command =
        "env -u SLURM_ARRAY_TASK_ID -u JOB_COMPLETION_INDEX -u "
        "MECHCHECK_SHARD_INDEX -u MECHCHECK_SHARD_COUNT " +
        assignments + " " + std::string(MECHCHECK_EXECUTABLE) + " " + arguments + " >" +
        (dir / "out").string() + " 2>" + (dir / "err").string();
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"), slurp(dir / "err")};
  }
  std::string holding_config() const {
    return quoted(source_file("examples/checks/affine-maximizer-chi2.json")) + " --instances 6";
  }
  std::string violated_config() const {
    return quoted(source_file("examples/checks/zero-payment-kl.json")) + " --instances 6";
  }
  // A prove config of examples/prove/ at m = 3, n = 2 (2 cross-check samples).
  std::string prove_arguments(const std::string& config, int threads = 2) const {
    return quoted(source_file("examples/prove/" + config + ".json")) +
           " --property dsic --outcomes 3 --groups 2 --samples 2 --threads " +
           std::to_string(threads);
  }
  // Fast claims, two of them expected "violated" (confirmed manipulable mechanisms).
  static constexpr const char* kVerifyArguments =
      "--threads 1 --only thm-4.2-constant,cor-4.10,thm-4.2,vf-alg1-ir,vf-alg1-budget";
};

TEST_F(MergeCli, FourCheckShardsOfAHoldingConfigMergeIntoTheWholeRun) {
  const Runs runs = run_whole_and_shards("check", holding_config(), true);
  ASSERT_EQ(runs.whole.exit_code, 0) << runs.whole.err;
  expect_merge_equals_whole(runs, true);
  const auto merged = run("merge" + joined(runs.shard_reports));
  EXPECT_EQ(merged.out, runs.whole.out);  // the same property lines and verdict
  EXPECT_THAT(slurp(dir / "merged.json"), HasSubstr("\"shard\": \"1/1\""));
  EXPECT_THAT(slurp(dir / "merged.xml"), HasSubstr("dsic [shard 1/1]"));
}

TEST_F(MergeCli, FourCheckShardsOfAViolatedConfigMergeIntoTheWholeRun) {
  const Runs runs = run_whole_and_shards("check", violated_config(), true);
  ASSERT_EQ(runs.whole.exit_code, 1) << runs.whole.err;
  expect_merge_equals_whole(runs, true);
  expect_same_witnesses();
  EXPECT_FALSE(files_in(dir / "whole" / "witnesses").empty());
  EXPECT_THAT(slurp(dir / "merged.xml"), HasSubstr("witness witnesses/"));
}

TEST_F(MergeCli, FourVerifyShardsMergeIntoTheWholeRun) {
  const Runs runs = run_whole_and_shards("verify", kVerifyArguments, false);
  ASSERT_EQ(runs.whole.exit_code, 0) << runs.whole.out << runs.whole.err;
  expect_merge_equals_whole(runs, false);
  const auto merged = run("merge" + joined(runs.shard_reports));
  EXPECT_EQ(merged.out,
            "5 claims, 4 as the paper says, 0 not, 0 inconclusive; 0 exploratory as last answered; "
            "1 controls\n");
  // Claims keep the suite's order, whichever shard ran them.
  const std::string report = slurp(dir / "merged.json");
  EXPECT_LT(report.find("\"thm-4.2\""), report.find("\"thm-4.2-constant\""));
  EXPECT_LT(report.find("\"cor-4.10\""), report.find("\"vf-alg1-ir\""));
  // A shard's JUnit makes no sense for verify: refused before anything is written.
  const auto junit =
      run("merge" + joined(runs.shard_reports) + " --junit '" + (dir / "v.xml").string() + "'");
  EXPECT_EQ(junit.exit_code, 2);
  EXPECT_THAT(junit.err, HasSubstr("--junit: verify reports have no JUnit form"));
  EXPECT_FALSE(fs::exists(dir / "v.xml"));
}

TEST_F(MergeCli, FourProveShardsOfAProofMergeIntoTheWholeRun) {
  // The relaxed query's 7 cases: shard k/4 decides cases k, k + 4.
  const Runs runs = run_whole_and_shards("prove", prove_arguments("chi2-affine-maximizer"), false);
  ASSERT_EQ(runs.whole.exit_code, 0) << runs.whole.err;
  EXPECT_EQ(runs.whole.out, "proved: dsic (relaxed query, 7 cases)\n");
  expect_merge_equals_whole(runs, false);
  // Without --report the merged report goes to stdout, as prove's does.
  const auto merged = run("merge" + joined(runs.shard_reports));
  EXPECT_EQ(merged.exit_code, 0);
  EXPECT_EQ(merged.out, slurp(dir / "whole" / "report.json"));
  // One thread writes the same report.
  const auto one =
      run_in((dir / "whole").string(),
             "prove " + prove_arguments("chi2-affine-maximizer", 1) + " --report one.json");
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(slurp(dir / "whole" / "one.json"), slurp(dir / "whole" / "report.json"));
}

TEST_F(MergeCli, FourProveShardsOfACounterexampleMergeIntoTheWholeRun) {
  // The zero payment: the exact query's 49 cases, more than one shard finds a counterexample;
  // the earliest case's is the whole run's.
  const Runs runs = run_whole_and_shards("prove", prove_arguments("chi2-zero-payment"), false);
  ASSERT_EQ(runs.whole.exit_code, 1) << runs.whole.err;
  expect_merge_equals_whole(runs, false);
  // The merged report names the witness file the deciding shard wrote, which replays.
  const auto report = nlohmann::json::parse(slurp(dir / "merged.json"));
  const std::string file = report.at("witness_file");
  EXPECT_EQ(slurp(dir / "shards" / file), slurp(dir / "whole" / file));
  const auto replay = run_in((dir / "shards").string(), "replay " + file);
  EXPECT_EQ(replay.exit_code, 1) << replay.out << replay.err;
  // Shards of different splits do not belong together.
  const auto mixed = run("merge" + joined({runs.shard_reports[0]}) + " '" +
                         (dir / "whole" / "report.json").string() + "'");
  EXPECT_EQ(mixed.exit_code, 2);
}

class MergeRefusalCli : public MergeCli {
 protected:
  void SetUp() override {
    MergeCli::SetUp();
    for (int k = 1; k <= 4; ++k) shard(k, "7", numbered("s", k, ".json"));
  }
  std::string shard(int k, const std::string& seed, const std::string& name,
                    const std::string& config = "examples/checks/zero-payment-kl.json") {
    const auto result =
        run("check '" + source_file(config) + "' --instances 4 --seed " + seed + " --shard " +
            std::to_string(k) + "/4 --report '" + (dir / name).string() + "' --witness-dir '" +
            (dir / "witnesses").string() + "'");
    EXPECT_NE(result.exit_code, 2) << result.err;
    return (dir / name).string();
  }
  // A refused merge: exit 2, one line naming the problem, no report and no JUnit.
  std::string refused(const std::vector<std::string>& names) {
    std::vector<std::string> paths;
    for (const std::string& name : names) paths.push_back((dir / name).string());
    const auto result = run("merge" + joined(paths) + " --report '" + (dir / "m.json").string() +
                            "' --junit '" + (dir / "m.xml").string() + "'");
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.out, "");
    EXPECT_FALSE(fs::exists(dir / "m.json"));
    EXPECT_FALSE(fs::exists(dir / "m.xml"));
    return result.err;
  }
};

TEST_F(MergeRefusalCli, AMissingShard) {
  EXPECT_EQ(refused({"s1.json", "s2.json", "s4.json"}), "mechcheck merge: shard 3/4: missing\n");
}

TEST_F(MergeRefusalCli, ADuplicatedShard) {
  EXPECT_THAT(refused({"s1.json", "s2.json", "s3.json", "s2.json", "s4.json"}),
              HasSubstr("shard 2/4: given twice"));
}

TEST_F(MergeRefusalCli, ShardsOfDifferentSeeds) {
  shard(3, "8", "other-seed.json");
  EXPECT_THAT(refused({"s1.json", "s2.json", "other-seed.json", "s4.json"}),
              HasSubstr("other-seed.json: seed: is 8, but "));
}

TEST_F(MergeRefusalCli, ShardsOfDifferentConfigs) {
  // The same path, another config: the hash tells them apart.
  write("config.json", slurp(source_file("examples/checks/zero-payment-kl.json")));
  const std::string first = "config.json";
  run("check '" + (dir / first).string() + "' --instances 4 --shard 1/4 --report '" +
      (dir / "a1.json").string() + "' --witness-dir '" + (dir / "witnesses").string() + "'");
  std::string changed = slurp(dir / first);
  changed.replace(changed.find("\"lambda\": \"1/2\""), 15, "\"lambda\": \"1/3\"");
  write(first, changed);
  for (int k = 2; k <= 4; ++k)
    run("check '" + (dir / first).string() + "' --instances 4 --shard " + std::to_string(k) +
        "/4 --report '" + (dir / numbered("a", k, ".json")).string() + "' --witness-dir '" +
        (dir / "witnesses").string() + "'");
  EXPECT_THAT(refused({"a1.json", "a2.json", "a3.json", "a4.json"}),
              HasSubstr("a2.json: config_sha256: is \""));
  // --instances is part of the config as run.
  run("check '" + source_file("examples/checks/zero-payment-kl.json") +
      "' --instances 5 --shard 4/4 --report '" + (dir / "five.json").string() +
      "' --witness-dir '" + (dir / "witnesses").string() + "'");
  EXPECT_THAT(refused({"s1.json", "s2.json", "s3.json", "five.json"}),
              HasSubstr("five.json: config_sha256"));
}

TEST_F(MergeRefusalCli, AReportThatIsNotAShard) {
  write("prove.json", R"({"status": "proved", "verdict": "holds"})");
  EXPECT_THAT(refused({"s1.json", "prove.json"}), HasSubstr("prove.json: is not a report of"));
  write("broken.json", "{\"results\": [");
  EXPECT_THAT(refused({"broken.json"}), HasSubstr("broken.json: malformed JSON"));
  EXPECT_THAT(refused({"nonexistent.json"}), HasSubstr("nonexistent.json: cannot be read"));
}

TEST_F(MergeCli, ShardAutoReadsTheSchedulersVariables) {
  const std::string check = "check " + violated_config() + " --witness-dir '" +
                            (dir / "witnesses").string() + "' --shard auto --report ";
  const auto slurm =
      run_with_environment("SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=3 SLURM_ARRAY_TASK_COUNT=4",
                           check + "'" + (dir / "slurm.json").string() + "'");
  EXPECT_NE(slurm.exit_code, 2) << slurm.err;
  EXPECT_THAT(slurp(dir / "slurm.json"), HasSubstr("\"shard\": \"3/4\""));
  const auto indexed = run_with_environment("JOB_COMPLETION_INDEX=0 MECHCHECK_SHARD_COUNT=4",
                                            check + "'" + (dir / "k8s.json").string() + "'");
  EXPECT_NE(indexed.exit_code, 2) << indexed.err;
  EXPECT_THAT(slurp(dir / "k8s.json"), HasSubstr("\"shard\": \"1/4\""));
  const auto matrix = run_with_environment(
      "MECHCHECK_SHARD_INDEX=4 MECHCHECK_SHARD_COUNT=4",
      "verify --only cor-4.10 --shard auto --report '" + (dir / "verify.json").string() + "'");
  EXPECT_EQ(matrix.exit_code, 0) << matrix.err;
  EXPECT_THAT(slurp(dir / "verify.json"), HasSubstr("\"shard\": \"4/4\""));
}

TEST_F(MergeCli, ShardAutoWithoutVariablesIsRefused) {
  for (const std::string& command : {"check " + violated_config(), std::string("verify")}) {
    const auto result = run_with_environment(
        "", command + " --shard auto --report '" + (dir / "r.json").string() + "'");
    EXPECT_EQ(result.exit_code, 2) << command;
    EXPECT_THAT(result.err, HasSubstr("--shard: auto: no shard in the environment"));
    EXPECT_EQ(result.out, "");
    EXPECT_FALSE(fs::exists(dir / "r.json"));
  }
  const auto malformed = run_with_environment("SLURM_ARRAY_TASK_ID=x SLURM_ARRAY_TASK_COUNT=4",
                                              "check " + violated_config() + " --shard auto");
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_THAT(malformed.err,
              HasSubstr("mechcheck check: --shard: auto: SLURM_ARRAY_TASK_ID: is \"x\""));
}

}  // namespace

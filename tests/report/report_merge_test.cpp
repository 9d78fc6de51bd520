// merge_reports on hand-made shard reports: the regrouping, the exit codes, and every refusal.
// (tests/cli/merge_cli_test.cpp merges real `check` and `verify` runs.)
#include "report/report_merge.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "report/report_identity.hpp"
#include "spec/spec_error.hpp"

namespace {

using json = nlohmann::json;
using mechcheck::merge_reports;
using mechcheck::MergedKind;
using mechcheck::Property;
using mechcheck::ShardReport;
using mechcheck::SpecError;
using ::testing::HasSubstr;

// "v" 3 ".json" → "v3.json" (appending: GCC 12 warns about prepending to a temporary string).
std::string numbered(std::string prefix, std::size_t k, const char* suffix) {
  prefix += std::to_string(k);
  prefix += suffix;
  return prefix;
}

const std::vector<Property> kProperties = {Property::dsic, Property::ir};

json check_header(std::size_t index, std::size_t count) {
  return {{"config", "c.json"},
          {"config_sha256", "0123abcd"},
          {"mechcheck_version", "9.9"},
          {"family", "rlhf-game"},
          {"seed", 7},
          {"shard", mechcheck::shard_text(index, count)},
          {"effort", "quick"}};
}

// The results `check` writes for the instances of shard index/count of `total`: per property,
// ascending instances; `verdict_of(instance, property)` says how each came out.
using VerdictOf = std::function<std::string(std::uint64_t, Property)>;
json check_results(std::size_t index, std::size_t count, std::size_t total,
                   const VerdictOf& verdict_of) {
  json results = json::array();
  for (Property property : kProperties)
    for (std::uint64_t i = index; i < total; i += count) {
      json entry = {{"instance", i},
                    {"property", mechcheck::property_name(property)},
                    {"verdict", verdict_of(i, property)},
                    {"evidence", {{"groups", 2}, {"float_gain", 0.1 * static_cast<double>(i)}}}};
      if (entry["verdict"] == "violated")
        entry["witness"] = "w/" + std::string(mechcheck::property_name(property)) + "-instance" +
                           std::to_string(i) + "-group0.json";
      results.push_back(entry);
    }
  return results;
}

std::size_t shard_size(std::size_t index, std::size_t count, std::size_t total) {
  return total > index ? (total - index + count - 1) / count : 0;
}

ShardReport check_shard(std::size_t index, std::size_t count, std::size_t total,
                        const VerdictOf& verdict_of) {
  return {numbered("shard", index + 1, ".json"),
          mechcheck::check_report_from_results(check_header(index, count), kProperties,
                                               shard_size(index, count, total),
                                               check_results(index, count, total, verdict_of))
              .report};
}

std::vector<ShardReport> check_shards(std::size_t count, std::size_t total,
                                      const VerdictOf& verdict_of) {
  std::vector<ShardReport> shards;
  for (std::size_t k = 0; k < count; ++k)
    shards.push_back(check_shard(k, count, total, verdict_of));
  return shards;
}

const VerdictOf kAllHold = [](std::uint64_t, Property) { return "holds"; };

std::string merge_error(const std::vector<ShardReport>& shards) {
  try {
    merge_reports(shards);
  } catch (const SpecError& error) {
    return error.what();
  }
  return "(merged)";
}

TEST(ReportMerge, CheckShardsMergeIntoTheUnshardedReport) {
  const VerdictOf some_violated = [](std::uint64_t i, Property p) {
    return i == 6 && p == Property::ir ? "violated" : i == 9 ? "inconclusive" : "holds";
  };
  const auto unsharded = check_shard(0, 1, 11, some_violated).document;
  auto shards = check_shards(4, 11, some_violated);
  std::swap(shards[0], shards[3]);  // any order of the files
  const auto merged = merge_reports(shards);
  EXPECT_EQ(merged.kind, MergedKind::check);
  EXPECT_EQ(merged.report.dump(2), unsharded.dump(2));
  EXPECT_EQ(merged.report["shard"], "1/1");
  EXPECT_EQ(merged.report["verdict"], "violated");
  EXPECT_EQ(merged.exit_code, 1);
  EXPECT_EQ(merged.instances, 11u);
  ASSERT_EQ(merged.summaries.size(), 2u);
  EXPECT_EQ(merged.summaries[1].first_problem,
            "instance 6: violated, witness w/ir-instance6-group0.json");
  EXPECT_EQ(merged.summaries[0].first_problem, "instance 9: inconclusive");
}

TEST(ReportMerge, CheckExitCodesFollowTheMergedVerdict) {
  EXPECT_EQ(merge_reports(check_shards(3, 5, kAllHold)).exit_code, 0);
  const VerdictOf one_inconclusive = [](std::uint64_t i, Property) {
    return i == 4 ? "inconclusive" : "holds";
  };
  EXPECT_EQ(merge_reports(check_shards(3, 5, one_inconclusive)).exit_code, 3);
}

TEST(ReportMerge, MoreShardsThanInstancesLeavesEmptyShards) {
  const auto merged = merge_reports(check_shards(4, 2, kAllHold));
  EXPECT_EQ(merged.report.dump(), check_shard(0, 1, 2, kAllHold).document.dump());
}

TEST(ReportMerge, RefusesAMissingOrDuplicatedShard) {
  auto shards = check_shards(4, 10, kAllHold);
  auto missing = shards;
  missing.erase(missing.begin() + 2);
  EXPECT_EQ(merge_error(missing), "shard 3/4: missing");
  missing.erase(missing.begin());
  EXPECT_EQ(merge_error(missing), "shards 1/4, 3/4: missing");
  auto duplicated = shards;
  duplicated.push_back(shards[1]);
  duplicated.back().source = "again.json";
  EXPECT_EQ(merge_error(duplicated), "shard 2/4: given twice (shard2.json, again.json)");
}

TEST(ReportMerge, RefusesShardsOfDifferentRuns) {
  auto seed = check_shards(2, 4, kAllHold);
  seed[1].document["seed"] = 8;
  EXPECT_EQ(merge_error(seed),
            "shard2.json: seed: is 8, but shard1.json has 7: the shards ran different seeds");
  auto config = check_shards(2, 4, kAllHold);
  config[1].document["config_sha256"] = "ffff";
  EXPECT_THAT(merge_error(config), HasSubstr("shard2.json: config_sha256: is \"ffff\", but "
                                             "shard1.json has \"0123abcd\": the shards ran "
                                             "different configs"));
  auto version = check_shards(2, 4, kAllHold);
  version[0].document["mechcheck_version"] = "0.0.1";
  EXPECT_THAT(merge_error(version), HasSubstr("shard2.json: mechcheck_version: is \"9.9\""));
  auto count = check_shards(2, 4, kAllHold);
  count.push_back(check_shard(2, 3, 4, kAllHold));
  EXPECT_EQ(merge_error(count),
            "shard3.json: shard: is 3/3, but shard1.json is 1/2: the shard counts differ");
  auto effort = check_shards(2, 4, kAllHold);
  effort[1].document["effort"] = "thorough";
  EXPECT_EQ(merge_error(effort),
            "shard2.json: effort: is \"thorough\", but shard1.json has "
            "\"quick\"");
  auto old = check_shards(2, 4, kAllHold);
  old[0].document.erase("config_sha256");
  EXPECT_THAT(merge_error(old), HasSubstr("shard1.json: config_sha256: is missing"));
}

TEST(ReportMerge, RefusesResultsThatDoNotMatchTheSplit) {
  auto shards = check_shards(2, 4, kAllHold);
  shards[1].document["results"][0]["instance"] = 2;  // an instance of shard 1/2
  EXPECT_THAT(merge_error(shards),
              HasSubstr("shard2.json: results[0].instance: is 2, but shard 2/2 runs the "
                        "instances i with i mod 2 = 1"));
  auto short_shard = check_shards(2, 4, kAllHold);
  short_shard[1].document["instances"] = 3;  // claims more instances than its results hold
  EXPECT_THAT(merge_error(short_shard), HasSubstr("results: dsic: instance 4 is missing"));
}

TEST(ReportMerge, RefusesReportsThatAreNotCheckOrVerifyReports) {
  std::vector<ShardReport> prove = {{"p.json", {{"status", "proved"}, {"verdict", "holds"}}}};
  EXPECT_THAT(merge_error(prove), HasSubstr("p.json: is not a report of `mechcheck check"));
  auto mixed = check_shards(2, 4, kAllHold);
  mixed[1].document = {{"claims", json::array()}, {"shard", "2/2"}};
  EXPECT_EQ(merge_error(mixed),
            "shard2.json: is a verify report, but shard1.json is a check report");
}

// Verify shards: claim i of the selection ran in shard i mod N + 1.
std::vector<ShardReport> verify_shards(std::size_t count, const std::vector<json>& claims) {
  std::vector<ShardReport> shards;
  for (std::size_t k = 0; k < count; ++k) {
    json header = {{"seed", 1},
                   {"shard", mechcheck::shard_text(k, count)},
                   {"mechcheck_version", "9.9"},
                   {"config_sha256", "feed"}};
    json mine = json::array();
    for (std::size_t i = k; i < claims.size(); i += count) mine.push_back(claims[i]);
    shards.push_back({numbered("v", k + 1, ".json"),
                      mechcheck::verify_report(std::move(header), std::move(mine))});
  }
  return shards;
}

json claim(int id, const std::string& expected, const std::string& verdict,
           const std::string& kind = "paper") {
  json entry = {{"id", numbered("c", static_cast<std::size_t>(id), "")},
                {"statement", numbered("claim ", static_cast<std::size_t>(id), "")},
                {"expected", expected},
                {"verdict", verdict},
                {"as_expected", expected == verdict},
                {"evidence", {{"n", id}}}};
  if (kind != "paper") {
    entry["kind"] = kind;
    entry["note"] = "the answer";
  }
  return entry;
}

TEST(ReportMerge, VerifyShardsInterleaveBackIntoSuiteOrder) {
  std::vector<json> claims;
  for (int i = 0; i < 7; ++i)
    claims.push_back(claim(i, i % 2 ? "violated" : "holds", i % 2 ? "violated" : "holds"));
  claims.push_back(claim(7, "violated", "violated", "exploratory"));
  const auto merged = merge_reports(verify_shards(4, claims));
  EXPECT_EQ(merged.kind, MergedKind::verify);
  const json unsharded = verify_shards(1, claims).front().document;
  EXPECT_EQ(merged.report.dump(2), unsharded.dump(2));
  EXPECT_EQ(merged.report["claims"][5]["id"], "c5");
  EXPECT_EQ(merged.exit_code, 0);
  EXPECT_EQ(
      merged.tally.summary_line(),
      "8 claims, 7 as the paper says, 0 not, 0 inconclusive; 1 exploratory as last answered; 0 "
      "controls\n");
}

TEST(ReportMerge, AFlippedExploratoryAnswerFailsTheRun) {
  std::vector<json> claims = {claim(0, "holds", "holds"), claim(1, "holds", "holds", "control"),
                              claim(2, "violated", "violated", "exploratory")};
  const auto as_answered = merge_reports(verify_shards(2, claims));
  EXPECT_EQ(as_answered.exit_code, 0);
  EXPECT_EQ(
      as_answered.tally.summary_line(),
      "3 claims, 1 as the paper says, 0 not, 0 inconclusive; 1 exploratory as last answered; 1 "
      "controls\n");
  claims[2] = claim(2, "violated", "holds", "exploratory");
  const auto flipped = merge_reports(verify_shards(2, claims));
  EXPECT_EQ(flipped.exit_code, 1);
  EXPECT_EQ(flipped.report["all_as_expected"], false);
}

TEST(ReportMerge, VerifyExitCodesAsTheUnshardedRun) {
  std::vector<json> claims = {claim(0, "holds", "holds"), claim(1, "holds", "inconclusive"),
                              claim(2, "violated", "violated")};
  EXPECT_EQ(merge_reports(verify_shards(2, claims)).exit_code, 3);
  EXPECT_EQ(merge_reports(verify_shards(2, claims)).report["all_as_expected"], false);
  claims.push_back(claim(3, "holds", "violated"));  // contradicts the paper
  EXPECT_EQ(merge_reports(verify_shards(3, claims)).exit_code, 1);
}

TEST(ReportMerge, VerifyRefusesAShardWithTheWrongClaims) {
  std::vector<json> claims = {claim(0, "holds", "holds"), claim(1, "holds", "holds"),
                              claim(2, "holds", "holds")};
  auto shards = verify_shards(2, claims);
  shards[1].document["claims"].push_back(claim(3, "holds", "holds"));
  shards[1].document["claims"].push_back(claim(4, "holds", "holds"));
  EXPECT_EQ(merge_error(shards),
            "v1.json: claims: has 2 claims, but shard 1/2 of 5 claims in all has 3");
  shards = verify_shards(2, claims);
  shards[0].document["claims"][1].erase("as_expected");
  EXPECT_EQ(merge_error(shards), "v1.json: claims[1].as_expected: is missing");
}

}  // namespace

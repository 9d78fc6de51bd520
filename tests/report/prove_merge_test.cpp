// merge_reports on hand-made `prove --shard` reports: which shard decides, the counts, and the
// shards that cannot be joined into a proof. (tests/cli/merge_cli_test.cpp merges real runs.)
#include "report/prove_merge.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "report/report_identity.hpp"
#include "spec/spec_error.hpp"

namespace {

using json = nlohmann::json;
using mechcheck::merge_reports;
using mechcheck::MergedKind;
using mechcheck::ShardReport;
using mechcheck::SpecError;
using ::testing::HasSubstr;

struct Answer {
  Answer(std::size_t all, std::size_t answered, std::optional<std::size_t> deciding = std::nullopt)
      : cases(all), solved(answered), decided(deciding) {}
  std::size_t cases, solved;
  std::optional<std::size_t> decided;
};

// Shard index/count of a prove run; `query` is the exact query unless `relaxed` proved.
json shard(std::size_t index, std::size_t count, const std::string& status,
           const std::string& query, Answer answer, std::optional<Answer> relaxed = std::nullopt,
           const std::string& relaxed_answer = "unsat") {
  json evidence = {{"property", "dsic"},
                   {"query", query},
                   {"cases", answer.cases},
                   {"cases_solved", answer.solved},
                   {"lemmas", 0}};
  if (answer.decided) evidence["decided_by_case"] = *answer.decided;
  if (relaxed) {
    evidence["relaxed"] = {{"policy", "misreport"},
                           {"answer", relaxed_answer},
                           {"cases", relaxed->cases},
                           {"cases_solved", relaxed->solved}};
    if (relaxed->decided) evidence["relaxed"]["decided_by_case"] = *relaxed->decided;
  }
  json report = {{"config", "p.json"},
                 {"config_sha256", "abcd"},
                 {"mechcheck_version", "9.9"},
                 {"seed", 1},
                 {"shard", mechcheck::shard_text(index, count)},
                 {"property", "dsic"},
                 {"status", status},
                 {"verdict", status == "proved"     ? "holds"
                             : status == "violated" ? "violated"
                                                    : "inconclusive"},
                 {"solver_answer", status == "proved"     ? "unsat"
                                   : status == "violated" ? "sat"
                                                          : "unknown"},
                 {"evidence", evidence}};
  if (status == "violated") {
    report["witness"] = {{"case", *answer.decided}};
    std::string file = "w/prove-dsic-case-";
    file += std::to_string(*answer.decided);
    file += ".json";
    report["witness_file"] = file;
  }
  return report;
}

std::vector<ShardReport> named(const std::vector<json>& documents) {
  std::vector<ShardReport> out;
  for (std::size_t k = 0; k < documents.size(); ++k) {
    std::string name = "s";  // appending: GCC 12 warns about prepending to a temporary string
    name += std::to_string(k + 1);
    name += ".json";
    out.push_back({name, documents[k]});
  }
  return out;
}

TEST(ProveMerge, EveryShardProvingTheRelaxedQueryIsAProof) {
  const Answer mine(7, 2), relaxed(7, 2);
  const auto merged = merge_reports(named({shard(0, 3, "proved", "relaxed", {7, 3}, Answer{7, 3}),
                                           shard(1, 3, "proved", "relaxed", mine, relaxed),
                                           shard(2, 3, "proved", "relaxed", mine, relaxed)}));
  EXPECT_EQ(merged.kind, MergedKind::prove);
  EXPECT_EQ(merged.exit_code, 0);
  EXPECT_EQ(merged.report["shard"], "1/1");
  EXPECT_EQ(merged.report["status"], "proved");
  EXPECT_EQ(merged.report["evidence"]["cases_solved"], 7);
  EXPECT_EQ(merged.report["evidence"]["relaxed"]["cases_solved"], 7);
}

TEST(ProveMerge, TheEarliestCounterexampleWinsAndCountsTheCasesBeforeIt) {
  // 20 cases over 4 shards; shard 2 found case 10 (index 9), shard 3 case 3 (index 2), shard 1
  // proved its cases 1, 5, 9, 13, 17, shard 4 stopped undecided at case 4.
  const auto merged = merge_reports(named({
      shard(0, 4, "proved", "exact", {20, 5}),
      shard(1, 4, "violated", "exact", {20, 3, 10}),
      shard(2, 4, "violated", "exact", {20, 1, 3}),
      shard(3, 4, "inconclusive", "exact", {20, 1, 4}),
  }));
  EXPECT_EQ(merged.exit_code, 1);
  EXPECT_EQ(merged.report["status"], "violated");
  EXPECT_EQ(merged.report["witness_file"], "w/prove-dsic-case-3.json");
  EXPECT_EQ(merged.report["evidence"]["decided_by_case"], 3);
  // Cases 1, 2, 3 were answered (shard 1's case 1, shard 2's case 2, shard 3's case 3).
  EXPECT_EQ(merged.report["evidence"]["cases_solved"], 3);
}

TEST(ProveMerge, TheEarliestUndecidedCaseGivesTheReason) {
  json late = shard(0, 2, "inconclusive", "exact", {10, 3, 5});
  late["reason"] = "Z3 answered unknown (incomplete) in case 5 of 10";
  json early = shard(1, 2, "inconclusive", "exact", {10, 1, 2});
  early["reason"] = "lemma 1 does not hold in case 2 of 10";
  const auto merged = merge_reports(named({late, early}));
  EXPECT_EQ(merged.exit_code, 3);
  EXPECT_EQ(merged.report["reason"], "lemma 1 does not hold in case 2 of 10");
  EXPECT_EQ(merged.report["evidence"]["cases_solved"], 2);  // case 1 (shard 1) and case 2
}

TEST(ProveMerge, DeadlinesAddUpTheCasesAnswered) {
  json first = shard(0, 2, "inconclusive", "exact", {100, 30});
  first["evidence"]["timed_out"] = true;
  first["reason"] = "timeout after 30 of 100 cases";
  json second = shard(1, 2, "inconclusive", "exact", {100, 25});
  second["evidence"]["timed_out"] = true;
  second["reason"] = "timeout after 25 of 100 cases";
  const auto merged = merge_reports(named({first, second}));
  EXPECT_EQ(merged.exit_code, 3);
  EXPECT_EQ(merged.report["reason"], "timeout after 55 of 100 cases");
  EXPECT_EQ(merged.report["evidence"]["cases_solved"], 55);
}

TEST(ProveMerge, ShardsThatProvedDifferentQueriesAreNoProof) {
  // Shard 2's relaxed cases were not all unsat, so it went on to its exact cases; shard 1
  // stopped after its relaxed ones: no query was decided for every case.
  const auto merged =
      merge_reports(named({shard(0, 2, "proved", "relaxed", {7, 4}, Answer{7, 4}),
                           shard(1, 2, "proved", "exact", {49, 24}, Answer{7, 1, 2}, "sat")}));
  EXPECT_EQ(merged.exit_code, 3);
  EXPECT_EQ(merged.report["status"], "inconclusive");
  EXPECT_THAT(merged.report["reason"].get<std::string>(),
              HasSubstr("proved the cases of shard(s) 1/2 but not of 2/2"));
  EXPECT_THAT(merged.report["reason"].get<std::string>(), HasSubstr("--exact"));
  EXPECT_EQ(merged.report["evidence"]["relaxed"]["answer"], "sat");
  EXPECT_EQ(merged.report["evidence"]["relaxed"]["decided_by_case"], 2);
}

TEST(ProveMerge, ANumericCounterexampleToTheProofIsAnError) {
  json wrong = shard(1, 2, "error", "relaxed", {7, 3}, Answer{7, 3});
  wrong["reason"] = "internal error of mechcheck";
  const auto merged =
      merge_reports(named({shard(0, 2, "proved", "relaxed", {7, 4}, Answer{7, 4}), wrong}));
  EXPECT_EQ(merged.exit_code, 3);
  EXPECT_EQ(merged.report["status"], "error");
  EXPECT_EQ(merged.report["reason"], "internal error of mechcheck");
}

TEST(ProveMerge, AMalformedShardIsNamed) {
  json broken = shard(1, 2, "proved", "exact", {9, 4});
  broken["evidence"].erase("cases_solved");
  try {
    merge_reports(named({shard(0, 2, "proved", "exact", {9, 5}), broken}));
    FAIL() << "merged a shard without evidence.cases_solved";
  } catch (const SpecError& error) {
    EXPECT_THAT(error.what(), HasSubstr("s2.json: evidence.cases_solved: is missing"));
  }
}

}  // namespace

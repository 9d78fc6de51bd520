// Reproducibility of whole runs: the same seed gives the same results for any thread count,
// and shards merge into the unsharded run.
#include "checks/check_runner.hpp"

#include <gtest/gtest.h>

#include "mechanisms/family.hpp"
#include "report/check_report.hpp"
#include "spec/exact_json.hpp"

namespace mechcheck {
namespace {

CheckSetup setup_of(const std::string& text) {
  const nlohmann::json document = parse_exact_json(text);
  return family_of(document).read_check_config(document);
}

CheckSetup config() {
  return setup_of(R"({"normalization": "sum", "max_group_size": 4,
    "rule": {"type": "sw-max", "divergence": "kl", "lambda": "1/2"}, "payment": {"type": "zero"},
    "generator": {"outcomes": [2, 4], "groups": [1, 3], "initial": "random", "reward": "mixed"},
    "properties": ["dsic", "ir"], "instance_count": 12, "effort": "quick", "seed": 5})");
}

CheckSetup auction_config() {
  return setup_of(R"({"family": "multi-unit-auction", "parameters": {"preset": "vickrey-feedback"},
    "generator": {"agents": [3, 6], "types": [0, 10]}, "properties": ["dsic", "ir", "budget"]})");
}

nlohmann::json results_of(const CheckRun& run) {
  nlohmann::json out = nlohmann::json::array();
  for (const InstanceOutcome& outcome : run.instances)
    for (std::size_t p = 0; p < outcome.results.size(); ++p) {
      const CheckResult& result = outcome.results[p];
      out.push_back(
          {{"instance", outcome.index},
           {"verdict", verdict_name(result.verdict)},
           {"evidence", evidence_json(result, *outcome.game, run.properties[p])},
           {"witness", result.witness ? witness_json(*result.witness) : nlohmann::json()}});
    }
  return out;
}

RunOptions options(int threads, std::size_t shard_index = 0, std::size_t shard_count = 1) {
  RunOptions o;
  o.seed = 5;
  o.instance_count = 12;
  o.threads = threads;
  o.effort = Effort::quick;
  o.shard_index = shard_index;
  o.shard_count = shard_count;
  return o;
}

TEST(CheckRunner, SameSeedSameResultsForOneAndTwoThreads) {
  const auto one = results_of(run_checks(config(), options(1)));
  const auto two = results_of(run_checks(config(), options(2)));
  EXPECT_EQ(one, two);
  EXPECT_EQ(one.size(), 24u);
}

TEST(CheckRunner, AuctionRunsAreTheSameForAnyThreadCountAndShardSplit) {
  const auto one = results_of(run_checks(auction_config(), options(1)));
  EXPECT_EQ(one, results_of(run_checks(auction_config(), options(2))));
  auto first = results_of(run_checks(auction_config(), options(2, 0, 2)));
  const auto second = results_of(run_checks(auction_config(), options(1, 1, 2)));
  first.insert(first.end(), second.begin(), second.end());
  std::stable_sort(first.begin(), first.end(), [](const auto& a, const auto& b) {
    return a["instance"].template get<int>() < b["instance"].template get<int>();
  });
  EXPECT_EQ(first, one);
  EXPECT_EQ(one.size(), 36u);
}

TEST(CheckRunner, ShardsMergeIntoTheUnshardedRun) {
  const auto whole = results_of(run_checks(config(), options(2)));
  auto first = results_of(run_checks(config(), options(1, 0, 2)));
  const auto second = results_of(run_checks(config(), options(1, 1, 2)));
  first.insert(first.end(), second.begin(), second.end());
  std::stable_sort(first.begin(), first.end(), [](const auto& a, const auto& b) {
    return a["instance"].template get<int>() < b["instance"].template get<int>();
  });
  EXPECT_EQ(first, whole);
}

TEST(CheckRunner, DifferentSeedsDrawDifferentInstances) {
  RunOptions other = options(1);
  other.seed = 6;
  EXPECT_NE(results_of(run_checks(config(), options(1))), results_of(run_checks(config(), other)));
}

TEST(CheckRunner, ZeroPaymentRunIsViolatedAndIrHolds) {
  const CheckRun run = run_checks(config(), options(2));
  EXPECT_EQ(property_verdict(run, 0), Verdict::violated);
  EXPECT_EQ(property_verdict(run, 1), Verdict::holds);
  EXPECT_EQ(overall_verdict(run), Verdict::violated);
}

}  // namespace
}  // namespace mechcheck

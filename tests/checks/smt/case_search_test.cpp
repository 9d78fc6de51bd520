// Threads and shards spread a proof's cases without changing its answer (issue #14 item 3): the
// same verdict, deciding case, count and witness on 1 and 3 threads; shards partition the cases
// and the earliest shard's counterexample is the unsharded run's.
#include "checks/smt/case_search.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "checks/smt/prove.hpp"
#include "spec/witness_json.hpp"
#include "tests/checks/smt/smt_test_mechanisms.hpp"

namespace mechcheck::smt {
namespace {

ProveOptions options_with(unsigned threads, std::size_t shard_index = 0,
                          std::size_t shard_count = 1) {
  ProveOptions options;
  options.timeout_ms = 120000;
  options.samples = 0;
  options.threads = threads;
  options.shard_index = shard_index;
  options.shard_count = shard_count;
  return options;
}

std::string witness_text(const ProveResult& result) {
  return result.witness ? witness_to_json(*result.witness).dump() : "";
}

TEST(CaseSearch, ThreadsDoNotChangeAProof) {
  const SmtMechanism mechanism = chi2_mechanism(3, 2, PaymentType::affine_maximizer);
  const ProveResult one = prove(mechanism, SmtProperty::dsic, options_with(1));
  const ProveResult three = prove(mechanism, SmtProperty::dsic, options_with(3));
  ASSERT_EQ(one.status, ProveStatus::proved) << one.reason;
  EXPECT_EQ(three.status, ProveStatus::proved) << three.reason;
  EXPECT_EQ(three.evidence.query, "relaxed");
  EXPECT_EQ(three.evidence.cases, 7u);  // 2^3 − 1 supports of the truthful policy
  EXPECT_EQ(three.evidence.cases_solved, three.evidence.cases);
  EXPECT_FALSE(three.evidence.decided_by_case);
}

TEST(CaseSearch, ThreadsDoNotChangeACounterexample) {
  // The zero payment: no relaxation, the exact query's (2^3 − 1)² cases.
  const SmtMechanism mechanism = chi2_mechanism(3, 2, PaymentType::zero);
  const ProveResult one = prove(mechanism, SmtProperty::dsic, options_with(1));
  ASSERT_EQ(one.status, ProveStatus::violated) << one.reason;
  ASSERT_TRUE(one.evidence.decided_by_case);
  EXPECT_EQ(one.evidence.cases, 49u);
  // Every case before the deciding one was answered unsat, and nothing after it counts.
  EXPECT_EQ(one.evidence.cases_solved, *one.evidence.decided_by_case);
  for (unsigned threads : {2u, 3u}) {
    const ProveResult many = prove(mechanism, SmtProperty::dsic, options_with(threads));
    ASSERT_EQ(many.status, ProveStatus::violated) << many.reason;
    EXPECT_EQ(many.evidence.decided_by_case, one.evidence.decided_by_case);
    EXPECT_EQ(many.evidence.cases_solved, one.evidence.cases_solved);
    EXPECT_EQ(witness_text(many), witness_text(one));  // solved again alone: the same model
    EXPECT_EQ(many.witness_value, one.witness_value);
  }
}

TEST(CaseSearch, ShardsPartitionAProof) {
  const SmtMechanism mechanism = chi2_mechanism(3, 2, PaymentType::affine_maximizer);
  std::size_t solved = 0;
  for (std::size_t shard = 0; shard < 3; ++shard) {
    const ProveResult part = prove(mechanism, SmtProperty::dsic, options_with(1, shard, 3));
    ASSERT_EQ(part.status, ProveStatus::proved) << part.reason;
    EXPECT_EQ(part.evidence.cases, 7u);  // the whole split, in every shard
    solved += part.evidence.cases_solved;
  }
  EXPECT_EQ(solved, 7u);  // cases 0, 3, 6 | 1, 4 | 2, 5
}

TEST(CaseSearch, EachShardDecidesOnlyItsOwnCases) {
  const SmtMechanism mechanism = chi2_mechanism(3, 2, PaymentType::zero);
  const ProveResult whole = prove(mechanism, SmtProperty::dsic, options_with(1));
  ASSERT_TRUE(whole.evidence.decided_by_case);
  std::size_t earliest = whole.evidence.cases + 1;
  for (std::size_t shard = 0; shard < 4; ++shard) {
    const ProveResult part = prove(mechanism, SmtProperty::dsic, options_with(2, shard, 4));
    if (part.status == ProveStatus::proved) continue;
    ASSERT_EQ(part.status, ProveStatus::violated) << part.reason;
    const std::size_t decided = *part.evidence.decided_by_case;
    EXPECT_EQ((decided - 1) % 4, shard);
    if (decided < earliest) {
      earliest = decided;
      // The earliest shard counterexample is the unsharded run's, witness and all.
      if (decided == *whole.evidence.decided_by_case) {
        EXPECT_EQ(witness_text(part), witness_text(whole));
      }
    }
  }
  EXPECT_EQ(earliest, *whole.evidence.decided_by_case);
}

TEST(CaseSearch, ADeadlineLeavesThreadsUndecidedNeverProved) {
  // m = 6, boundary optima, exact query: (2^6 − 1)² cases cannot all be answered in 50 ms.
  const SmtMechanism mechanism = chi2_mechanism(6, 2, PaymentType::affine_maximizer);
  ProveOptions options = options_with(2);
  options.timeout_ms = 50;
  options.relax = false;
  const ProveResult result = prove(mechanism, SmtProperty::dsic, options);
  EXPECT_EQ(result.status, ProveStatus::inconclusive);
  EXPECT_TRUE(result.evidence.timed_out);
  EXPECT_LT(result.evidence.cases_solved, result.evidence.cases);
  EXPECT_NE(result.reason.find("timeout after"), std::string::npos) << result.reason;
}

TEST(CaseSearch, CaseNumbersNameEveryCaseOnceAndAlikeInEveryContext) {
  // Shards and threads rely on case k being the same problem in every context.
  const SmtMechanism mechanism = chi2_mechanism(2, 2, PaymentType::zero);
  QuerySession first(mechanism, SmtProperty::dsic, options_with(1), Relaxation::none);
  QuerySession second(mechanism, SmtProperty::dsic, options_with(1), Relaxation::none);
  ASSERT_EQ(first.case_count(), 9u);  // (2^2 − 1)² support pairs
  std::set<std::string> distinct;
  for (std::size_t k = 0; k < first.case_count(); ++k) {
    EXPECT_EQ(first.case_assumption(k).to_string(), second.case_assumption(k).to_string());
    distinct.insert(first.case_assumption(k).to_string());
  }
  EXPECT_EQ(distinct.size(), 9u);
}

}  // namespace
}  // namespace mechcheck::smt

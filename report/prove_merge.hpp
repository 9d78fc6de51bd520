#pragma once
// `mechcheck merge` for the reports of `prove --shard k/N` (shard k/N decides cases k − 1,
// k − 1 + N, … of each query: checks/smt/case_search.hpp).
//
//  * proved only if every shard proved its cases of the same query: the relaxed query in every
//    shard, or the exact one in every shard (a shard whose relaxed cases were not all unsat goes
//    on to its exact cases, the others stop: then only --exact on every shard gives a proof);
//  * a violated shard wins: the one whose counterexample is the earliest case (its witness file
//    stays valid where that shard wrote it);
//  * inconclusive otherwise, with the earliest undecided case's reason.
// cases_solved counts, over all shards, the cases answered up to the deciding one.
//
// The merged report is byte for byte the unsharded run's when every case up to the deciding one
// was answered (no deadline cut a shard short before it). It can be better: an unsharded run
// stops at its first undecided case, so a counterexample a later shard found is then reported
// inconclusive there and violated here.
#include <nlohmann/json.hpp>
#include <vector>

#include "report/report_merge.hpp"

namespace mechcheck {

// `shards`: one run's reports (their headers checked by merge_reports), shard i/N at index i − 1.
// Returns the unsharded report and sets `exit_code` (0 proved, 1 violated, 3 otherwise). Throws
// SpecError naming the file and field of a report that is not a prove shard.
nlohmann::json merge_prove_shards(const std::vector<const ShardReport*>& shards, int& exit_code);

}  // namespace mechcheck

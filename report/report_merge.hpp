#pragma once
// `mechcheck merge`: the shard reports of one `check`, `verify` or `prove` run → the report the
// unsharded run writes, byte for byte, and its exit code.
//
// Shards belong together when their headers agree on everything but "shard": mechcheck_version,
// seed, config_sha256 and the shard count first (named in that order when they differ), then
// every other header field (config path, family, effort, external mechanism). Each shard k/N
// must be given exactly once. The merged header is the shards' with "shard": "1/1", as an
// unsharded run writes it.
//
// check: results are regrouped by property (in the config's order) and sorted by instance; shard
// k/N must hold exactly the instances i with i mod N = k − 1, and together the shards exactly
// instances 0 .. total − 1. Summaries, verdicts and counts are recomputed from the results by
// the code `check` uses (check_report_from_results), so they cannot drift apart. Witness paths
// are kept as each shard wrote them: shards run with the same --witness-dir (witness names
// carry the instance, so shards never clash) leave their witnesses valid where they were
// collected.
//
// verify: claim number i of the selected claims (after --only, in suite order) ran in shard
// i mod N + 1; the merge interleaves them back.
//
// prove: shard k/N decided cases k − 1, k − 1 + N, … of each query; report/prove_merge.hpp says
// how their answers join.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/check_report.hpp"
#include "report/verify_report.hpp"

namespace mechcheck {

struct ShardReport {
  std::string source;  // the file it came from, for error messages
  nlohmann::json document;
};

enum class MergedKind { check, verify, prove };

struct MergedReport {
  MergedKind kind = MergedKind::check;
  nlohmann::json report;                   // the unsharded report
  std::vector<PropertySummary> summaries;  // check: one per property (for JUnit and stdout)
  std::size_t instances = 0;               // check: instances over all shards
  ClaimTally tally;                        // verify
  int exit_code = 0;  // as the unsharded run: 0 holds, 1 violated, 3 inconclusive (or error)
};

// Throws SpecError naming the file and field (`b.json: seed: is 8, but a.json has 7`), the
// shard (`shard 3/4: missing`, `shard 2/4: given twice (a.json, b.json)`), or the results.
MergedReport merge_reports(const std::vector<ShardReport>& shards);

}  // namespace mechcheck

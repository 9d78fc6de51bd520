#pragma once
// `mechcheck verify [--report FILE] [--threads T] [--seed S] [--only ID,...] [--thorough]
//  [--shard k/N|auto]`: the main job. Runs the paper-claims suite and exits 0 exactly when every
// claim comes out as the paper says (1 otherwise, 3 if a claim is inconclusive and none
// contradicts the paper). With --shard k/N it runs claims k, k + N, ... of the selected ones;
// `mechcheck merge` joins the shards' reports into the whole run's.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace mechcheck::cli {

struct VerifyOptions {
  std::string report_path;
  int threads = 0;  // 0: all cores
  std::uint64_t seed = 20240601;
  std::vector<std::string> only;
  bool thorough = false;
  std::size_t shard_index = 0;  // 0-based
  std::size_t shard_count = 1;
};

int run_verify(const VerifyOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mechcheck::cli

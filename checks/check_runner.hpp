#pragma once
// Runs a check config over its games in parallel (TBB), deterministically: game k is drawn from
// the seed's stream k and checked with streams derived from (seed, k, property), so results do
// not depend on the thread count, and shards (k ≡ shard mod N) merge into the unsharded run.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "checks/check_result.hpp"
#include "mechanisms/check_setup.hpp"

namespace mechcheck {

struct RunOptions {
  std::uint64_t seed = 1;
  std::uint64_t instance_count = 100;  // generated configs only
  std::size_t shard_index = 0;         // 0-based
  std::size_t shard_count = 1;
  int threads = 1;
  Effort effort = Effort::standard;
  std::function<void(std::size_t done, std::size_t total)>
      progress;  // called from workers, serialized
};

struct InstanceOutcome {
  std::uint64_t index = 0;
  std::shared_ptr<const Game> game;
  std::vector<CheckResult> results;  // one per property, in the config's order
};

struct CheckRun {
  std::vector<Property> properties;
  std::vector<InstanceOutcome> instances;  // ascending index
};

CheckRun run_checks(const CheckSetup& setup, const RunOptions& options);

// The verdict of one property over all instances, and of the whole run.
Verdict property_verdict(const CheckRun& run, std::size_t property_position);
Verdict overall_verdict(const CheckRun& run);

}  // namespace mechcheck

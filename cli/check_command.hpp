#pragma once
// `mechcheck check CONFIG [--instances N] [--seed S] [--shard k/N] [--threads T] [--effort E]
//  [--report FILE] [--junit FILE] [--witness-dir DIR] [--mechanism CMD] [--max-memory SIZE]`: exit
//  0 all hold, 1 a confirmed violation (witnesses written), 2 bad input, 3 inconclusive.
#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "checks/check_runner.hpp"
#include "report/check_report.hpp"

namespace mechcheck::cli {

struct CheckCommandOptions {
  std::string config_path;
  std::optional<std::uint64_t> instances, seed;
  std::string shard = "1/1";  // "k/N" or "auto" (cli/shard_option.hpp)
  int threads = 1;
  std::optional<std::string> effort;
  std::string report_path, junit_path;
  std::string witness_dir = "witnesses";
  std::optional<std::string> mechanism;   // --mechanism 'cmd args': an external mechanism
  std::optional<std::string> max_memory;  // --max-memory SIZE (cli/memory_budget.hpp)
  bool progress = true;                   // shown only when stderr is a terminal
};

int run_check(const CheckCommandOptions& options, std::ostream& out, std::ostream& err);

// The config as run, for its hash (report header "config_sha256"): the file with the overrides
// applied and the effective seed, instance count and effort written in, so that two runs with the
// same hash check the same instances the same way (README, `merge`). The Python module's check()
// hashes the same way.
nlohmann::json config_as_run(nlohmann::json document, const RunOptions& run_options,
                             const std::string& effort);

// The lines `check` prints after writing its files (one per property, then the verdict); `merge`
// prints the same for merged check reports.
void print_check_summary(const std::vector<PropertySummary>& summaries, std::size_t instances,
                         std::ostream& out);

}  // namespace mechcheck::cli

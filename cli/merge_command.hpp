#pragma once
// `mechcheck merge REPORT... [--report FILE] [--junit FILE]`: joins the shard reports of one
// `check` or `verify` run (report/report_merge.hpp) into the report the unsharded run writes,
// prints what that run prints after its files (check: the property lines and the verdict;
// verify: the tally line) and exits as it would: 0 holds / all as the paper says, 1 violated /
// contradicted, 3 inconclusive. Shards that do not belong together, a missing or a duplicated
// shard: exit 2 naming it, nothing written.
#include <iosfwd>
#include <string>
#include <vector>

namespace mechcheck::cli {

struct MergeOptions {
  std::vector<std::string> inputs;      // the shard reports
  std::string report_path, junit_path;  // optional outputs (JUnit: check reports only)
};

int run_merge(const MergeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mechcheck::cli

#pragma once
// `mechcheck implementability INSTANCE [--group i] [--resolution q] [--sizes LIST]
//  [--precision double|50|100|exact] [--types FILE] [--no-grid] [--report FILE] [--threads T]
//  [--max-memory SIZE]`:
//  cycle monotonicity of the
// instance's rule for one group on a type grid; exit 0 monotone, 1 negative cycle, 2 bad
// input, 3 inconclusive.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace mechcheck::cli {

struct ImplementabilityCommandOptions {
  std::string instance_path;
  std::size_t group = 0;
  int resolution = 4;
  std::vector<long> sizes;
  std::optional<std::string> precision;
  std::string report_path;
  std::string types_path;  // explicit types: an array of groups, or a report's negative_cycle
  bool no_grid = false;    // only the explicit types (and the group's own report)
  int threads = 1;
  std::string range;                      // scalar-type families (auctions): "low,high"
  std::optional<std::string> max_memory;  // --max-memory SIZE (cli/memory_budget.hpp)
};

int run_implementability(const ImplementabilityCommandOptions& options, std::ostream& out,
                         std::ostream& err);

}  // namespace mechcheck::cli

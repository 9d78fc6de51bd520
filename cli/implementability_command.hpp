#pragma once
// `mechcheck implementability INSTANCE [--group i] [--resolution q] [--sizes LIST]
//  [--precision double|50|100|exact] [--report FILE] [--threads T]`: cycle monotonicity of the
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
  int threads = 1;
};

int run_implementability(const ImplementabilityCommandOptions& options, std::ostream& out,
                         std::ostream& err);

}  // namespace mechcheck::cli

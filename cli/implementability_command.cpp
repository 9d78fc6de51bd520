#include "cli/implementability_command.hpp"

#include <ostream>

#include "checks/implementability/implementability.hpp"
#include "cli/file_output.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {

int run_implementability(const ImplementabilityCommandOptions& options, std::ostream& out,
                         std::ostream& err) {
  ImplementabilityResult result;
  try {
    const Instance instance = read_instance(read_exact_json_file(options.instance_path));
    ImplementabilityOptions analysis;
    analysis.group = options.group;
    analysis.resolution = options.resolution;
    analysis.sizes = options.sizes;
    analysis.threads = options.threads;
    if (options.precision) {
      auto precision = parse_precision(*options.precision);
      if (!precision) throw SpecError("--precision", "expected double, 50, 100 or exact");
      analysis.precision = precision;
    }
    result = analyze_implementability(instance, analysis);
  } catch (const SpecError& error) {
    err << "mechcheck implementability: " << error.what() << "\n";
    return 2;
  }
  nlohmann::json cycle = nlohmann::json::array();
  for (const Group& type : result.negative_cycle) {
    nlohmann::json reward = nlohmann::json::array();
    for (const Rational& r : type.reward) reward.push_back(to_exact_string(r));
    cycle.push_back({{"reward", reward}, {"size", to_exact_string(type.size)}});
  }
  nlohmann::json report = {{"verdict", verdict_name(result.verdict)},
                           {"types", result.types},
                           {"precision", result.precision},
                           {"negative_cycle", cycle},
                           {"evidence", result.evidence}};
  if (!result.cycle_total.empty()) report["cycle_total"] = result.cycle_total;
  if (result.payment_equivalence_gap)
    report["payment_equivalence_gap"] = *result.payment_equivalence_gap;
  if (result.distance_to_affine_maximizer)
    report["distance_to_affine_maximizer"] = *result.distance_to_affine_maximizer;
  const std::string text = report.dump(2) + "\n";
  if (!options.report_path.empty()) {
    try {
      write_file_atomically(options.report_path, text);
    } catch (const std::exception& error) {
      err << "mechcheck implementability: " << error.what() << "\n";
      return 2;
    }
  }
  out << text;
  return result.verdict == Verdict::holds ? 0 : result.verdict == Verdict::violated ? 1 : 3;
}

}  // namespace mechcheck::cli

#include "cli/implementability_command.hpp"

#include <algorithm>
#include <ostream>

#include "checks/implementability/implementability.hpp"
#include "cli/file_output.hpp"
#include "cli/interruption.hpp"
#include "cli/memory_budget.hpp"
#include "cli/type_set_limits.hpp"
#include "mechanisms/family.hpp"
#include "report/implementability_report.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {

int run_implementability(const ImplementabilityCommandOptions& options, std::ostream& out,
                         std::ostream& err) {
  ImplementabilityResult result;
  OutputTransaction files;
  try {
    const MemoryBudget budget = memory_budget(options.max_memory);
    if (!options.report_path.empty()) OutputTransaction::preflight("--report", options.report_path);
    const nlohmann::json document = read_exact_json_file(options.instance_path);
    const Family& family = family_of(document);
    if (family.name() != "rlhf-game") {
      GameImplementabilityOptions analysis;
      analysis.agent = options.group;
      analysis.resolution = options.resolution;
      if (options.resolution > 3000)
        throw SpecError("--resolution", "is " + std::to_string(options.resolution) +
                                            ", expected at most 3000 (types = resolution + 1)");
      if (!options.range.empty()) {
        const auto comma = options.range.find(',');
        if (comma == std::string::npos) throw SpecError("--range", "expected low,high");
        const Rational low = read_number(options.range.substr(0, comma), "--range").value;
        const Rational high = read_number(options.range.substr(comma + 1), "--range").value;
        if (high <= low) throw SpecError("--range", "expected low < high");
        analysis.range = std::make_pair(low, high);
      }
      const auto types = static_cast<std::size_t>(options.resolution) + 1;
      const ImplementabilityMemory memory = game_implementability_memory(types);
      require_within_budget(budget, memory.bytes,
                            "the analysis of " + std::to_string(types) + " types", memory.layout,
                            "lower --resolution");
      set_interrupted_activity("while analyzing " + std::to_string(types) + " types");
      result = analyze_game_implementability(*family.read_game(document), analysis);
    } else {
      const Instance instance = read_instance(document);
      ImplementabilityOptions analysis;
      analysis.group = options.group;
      analysis.resolution = options.resolution;
      analysis.sizes = options.sizes;
      analysis.threads = options.threads;
      analysis.lattice = !options.no_grid;
      if (!options.types_path.empty())
        analysis.extra_types = read_types(read_exact_json_file(options.types_path), instance);
      if (options.precision) {
        auto precision = parse_precision(*options.precision);
        if (!precision) throw SpecError("--precision", "expected double, 50, 100 or exact");
        analysis.precision = precision;
      }
      // Exact entries grow with their digits: a fixed cap on the types. Floating-point ones have
      // a fixed size: the memory budget decides.
      const bool exact = analysis.precision ? *analysis.precision == Precision::exact
                                            : exact_arithmetic_applies(instance);
      if (exact) require_type_set_within_limits(instance, analysis);
      const long double bound = type_set_size_bound(instance, analysis);
      const auto types = static_cast<std::size_t>(std::min<long double>(bound, 1e15L));
      const ImplementabilityMemory memory = implementability_memory(instance, analysis, types);
      require_within_budget(
          budget, memory.bytes, "the analysis of " + type_set_description(instance, analysis),
          memory.layout, analysis.lattice ? "lower --resolution or --sizes" : "pass fewer --types");
      set_interrupted_activity("while analyzing up to " + std::to_string(types) + " types");
      result = analyze_implementability(instance, analysis);
    }
  } catch (const SpecError& error) {
    // The analysis names its options; on the command line they are flags.
    const std::string& field = error.field();
    const bool option = field == "group" || field == "resolution" || field == "sizes";
    err << "mechcheck implementability: " << (option ? "--" : "") << error.what() << "\n";
    return 2;
  }
  set_interrupted_activity("while writing its report");
  const nlohmann::json report = implementability_report(result);
  const std::string text = report.dump(2) + "\n";
  if (!options.report_path.empty()) {
    try {
      files.stage(options.report_path, text);
      files.commit();
    } catch (const std::exception& error) {
      err << "mechcheck implementability: " << error.what() << "\n";
      return 2;
    }
  }
  out << text;
  return result.verdict == Verdict::holds ? 0 : result.verdict == Verdict::violated ? 1 : 3;
}

}  // namespace mechcheck::cli

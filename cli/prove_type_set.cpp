#include "cli/prove_type_set.hpp"

#include <cmath>
#include <ostream>

#include "checks/implementability/implementability.hpp"
#include "checks/smt/cycle_monotonicity.hpp"
#include "checks/smt/payment_equivalence.hpp"
#include "cli/file_output.hpp"
#include "cli/type_set_limits.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {
namespace {

using json = nlohmann::json;

json type_json(const Group& type) {
  json reward = json::array();
  for (const Rational& r : type.reward) reward.push_back(to_exact_string(r));
  return {{"reward", reward}, {"size", to_exact_string(type.size)}};
}

json cycle_json(const ExactGainGraph& graph, const std::vector<std::size_t>& cycle) {
  json types = json::array();
  for (std::size_t t : cycle) types.push_back(type_json(graph.types[t]));
  return types;
}

}  // namespace

bool is_type_set_property(const std::string& property) {
  return property == "cycle-monotone" || property == "payment-equivalence";
}

int run_prove_type_set(const ProveCommandOptions& options, std::ostream& out, std::ostream& err) {
  ExactGainGraph graph;
  unsigned timeout_ms = 0;
  OutputTransaction files;
  try {
    // One query on the whole type set: nothing to split or report as a shard.
    if (!options.shard.empty())
      throw SpecError("--shard", "applies to dsic, ir, nonneg and approx-dsic (one query here)");
    if (!options.report_path.empty())
      throw SpecError("--report",
                      "applies to dsic, ir, nonneg and approx-dsic (this report goes to stdout)");
    if (!options.smtlib_path.empty()) OutputTransaction::preflight("--smtlib", options.smtlib_path);
    const Instance instance = read_instance(read_exact_json_file(options.config_path));
    if (!exact_arithmetic_applies(instance))
      throw SpecError("rule", "--property " + options.property +
                                  " needs exact outcomes: an sw-max or anti-sw-max rule with "
                                  "chi2 or tv (use `mechcheck implementability` for the others)");
    ImplementabilityOptions analysis;
    analysis.group = options.group;
    analysis.resolution = options.resolution;
    analysis.sizes = options.sizes;
    analysis.lattice = !options.no_grid;
    if (!options.types_path.empty())
      analysis.extra_types = read_types(read_exact_json_file(options.types_path), instance);
    const double timeout = options.timeout_seconds.value_or(60);
    if (!(timeout > 0) || timeout > 1e6)
      throw SpecError("--timeout", "expected seconds in (0, 1e6]");
    timeout_ms = static_cast<unsigned>(std::ceil(timeout * 1000));
    require_type_set_within_limits(instance, analysis);
    graph = exact_gain_graph(instance, analysis);
  } catch (const SpecError& error) {
    err << "mechcheck prove: " << error.what() << "\n";
    return 2;
  }

  // The reference answer: exact shortest paths (no negative cycle iff ranges exist).
  const std::optional<PaymentRanges> shortest_paths = exact_payment_ranges(graph.gains);
  smt::CycleMonotonicityOptions cycle_options;
  cycle_options.timeout_ms = timeout_ms;
  cycle_options.smt2 = !options.smtlib_path.empty();
  const smt::CycleMonotonicityResult monotone =
      smt::check_cycle_monotonicity(graph.gains, cycle_options);

  json report = {{"config", options.config_path},
                 {"property", options.property},
                 {"types", graph.types.size()},
                 {"constraints", monotone.constraints},
                 {"reference_type", type_json(graph.types.front())}};
  Verdict verdict = monotone.verdict;
  std::string reason = monotone.reason;
  double seconds = monotone.build_seconds + monotone.solve_seconds;
  if (monotone.verdict == Verdict::violated) {
    report["negative_cycle"] = cycle_json(graph, monotone.cycle);
    report["cycle_total"] = to_exact_string(monotone.cycle_total);
    report["unsat_core_size"] = monotone.core_size;
  }
  if (options.property == "payment-equivalence" && monotone.verdict == Verdict::holds) {
    smt::PaymentEquivalenceOptions range_options;
    range_options.timeout_ms = timeout_ms;
    const smt::PaymentEquivalenceResult ranges =
        smt::payment_equivalence_ranges(graph.gains, range_options);
    verdict = ranges.verdict;
    reason = ranges.reason;
    seconds += ranges.seconds;
    if (ranges.ranges) {
      json rows = json::array();
      for (std::size_t t = 0; t < graph.types.size(); ++t)
        rows.push_back({{"type", type_json(graph.types[t])},
                        {"lower", to_exact_string(ranges.ranges->lower[t])},
                        {"upper", to_exact_string(ranges.ranges->upper[t])}});
      report["ranges"] = rows;
      report["payment_equivalence_gap"] = to_exact_string(ranges.gap);
      report["widest_type"] = type_json(graph.types[ranges.widest]);
      const bool agrees = shortest_paths && shortest_paths->lower == ranges.ranges->lower &&
                          shortest_paths->upper == ranges.ranges->upper;
      report["agrees_with_shortest_paths"] = agrees;
      if (!agrees) {
        err << "mechcheck prove: error: Z3's ranges differ from the exact shortest paths\n";
        out << report.dump(2) << "\n";
        return 3;
      }
    }
  }
  // Z3's verdict against the shortest paths: monotone iff no negative cycle.
  if (monotone.verdict != Verdict::inconclusive &&
      (monotone.verdict == Verdict::holds) != shortest_paths.has_value()) {
    report["status"] = "error";
    out << report.dump(2) << "\n";
    err << "mechcheck prove: error: Z3 and the shortest paths disagree on monotonicity\n";
    return 3;
  }
  const char* status = verdict == Verdict::holds      ? "proved"
                       : verdict == Verdict::violated ? "violated"
                                                      : "inconclusive";
  report["status"] = status;
  report["verdict"] = verdict_name(verdict);
  report["solve_seconds"] = seconds;
  if (!reason.empty()) report["reason"] = reason;
  try {
    if (!options.smtlib_path.empty()) {
      files.stage(options.smtlib_path, monotone.smt2);
      files.commit();
      report["smtlib"] = options.smtlib_path;
    }
  } catch (const std::exception& error) {
    err << "mechcheck prove: " << error.what() << "\n";
    return 2;
  }
  out << report.dump(2) << "\n";
  if (verdict == Verdict::holds) return 0;
  if (verdict == Verdict::violated) return 1;
  err << "mechcheck prove: inconclusive: " << reason << "\n";
  return 3;
}

}  // namespace mechcheck::cli

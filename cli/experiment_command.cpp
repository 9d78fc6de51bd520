#include "cli/experiment_command.hpp"

#include <fmt/format.h>

#include <cmath>
#include <ostream>

#include "checks/experiments/strategies.hpp"
#include "cli/file_output.hpp"
#include "cli/strategy_plot.hpp"
#include "solver/policy_solution.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {

int run_appendix_f_command(AppendixFCommandOptions options, std::ostream& out, std::ostream& err) {
  AppendixFOptions& e = options.experiment;
  try {
    auto lambda = parse_exact_number(options.lambda_text);
    if (!lambda || lambda->value <= 0)
      throw SpecError("--lambda", "is \"" + options.lambda_text + "\", expected a number > 0");
    e.lambda = lambda->value;
    auto divergence = parse_divergence(options.divergence_text);
    if (!divergence) throw SpecError("--divergence", "expected one of " + divergence_names());
    e.divergence = *divergence;
    if (options.initial_text != "uniform" && options.initial_text != "random")
      throw SpecError("--initial", "expected uniform or random");
    e.initial = options.initial_text == "uniform" ? InitialShape::uniform : InitialShape::random;
    if (options.normalization_text != "sum" && options.normalization_text != "max")
      throw SpecError("--normalization", "expected sum or max");
    e.normalization = options.normalization_text == "sum" ? Normalization::sum : Normalization::max;
    auto precision = parse_precision(options.precision_text);
    if (!precision || *precision == Precision::exact)
      throw SpecError("--precision", "expected double, 50 or 100");
    e.precision = *precision;
    if (e.groups < 1 || e.outcomes < 2)
      throw SpecError("--groups/--outcomes", "expected >= 1 group and >= 2 outcomes");
    if (e.min_size < 1 || e.max_size < e.min_size)
      throw SpecError("--min-size/--max-size", "expected 1 <= min <= max");
    if (e.samples < 1) throw SpecError("--samples", "expected >= 1");
    if (e.epsilons.empty()) throw SpecError("--eps", "expected at least one misreport size");
    for (double eps : e.epsilons)
      if (!std::isfinite(eps) || eps < 0)
        throw SpecError("--eps", "has " + fmt::format("{}", eps) + ", expected numbers >= 0");
  } catch (const SpecError& error) {
    err << "mechcheck experiment appendix-f: " << error.what() << "\n";
    return 2;
  }
  std::vector<AppendixFRow> rows;
  try {
    rows = run_appendix_f(e);
  } catch (const NumericalFailure& failure) {
    err << "mechcheck experiment appendix-f: " << failure.what()
        << "; the games are beyond mechcheck's working precisions\n";
    return 3;
  }
  // Never print NaN or inf: a non-finite mean or std is refused with the way out.
  for (const AppendixFRow& row : rows)
    for (double value : {row.delta_valuation.mean, row.delta_valuation.std, row.delta_utility.mean,
                         row.delta_utility.std})
      if (!std::isfinite(value)) {
        err << "mechcheck experiment appendix-f: the result for eps " << row.epsilon
            << " is not finite at precision " << options.precision_text
            << (e.precision == Precision::digits100
                    ? "; the games are beyond mechcheck's working precisions (try a larger "
                      "--lambda)\n"
                    : "; rerun with --precision 100\n");
        return 3;
      }
  if (options.format == "json") {
    nlohmann::json json_rows = nlohmann::json::array();
    for (const AppendixFRow& row : rows)
      json_rows.push_back(
          {{"eps", row.epsilon},
           {"delta_valuation",
            {{"mean", row.delta_valuation.mean}, {"std", row.delta_valuation.std}}},
           {"delta_utility", {{"mean", row.delta_utility.mean}, {"std", row.delta_utility.std}}}});
    out << nlohmann::json{{"rows", json_rows}}.dump(2) << "\n";
  } else if (options.format == "csv") {
    out << "eps,delta_valuation_mean,delta_valuation_std,delta_utility_mean,delta_utility_std\n";
    for (const AppendixFRow& row : rows)
      out << fmt::format("{},{:.17g},{:.17g},{:.17g},{:.17g}\n", row.epsilon,
                         row.delta_valuation.mean, row.delta_valuation.std, row.delta_utility.mean,
                         row.delta_utility.std);
  } else {
    out << fmt::format(
        "Appendix F: n={}, m={}, {} lambda={}, {} initial, sizes {}..{}, {} samples, seed {}\n",
        e.groups, e.outcomes, divergence_name(e.divergence), to_exact_string(e.lambda),
        options.initial_text, e.min_size, e.max_size, e.samples, e.seed);
    out << fmt::format("{:>8} {:>16} {:>12} {:>16} {:>12}\n", "eps", "dValuation*1e2", "std*1e2",
                       "dUtility*1e4", "std*1e4");
    for (const AppendixFRow& row : rows)
      out << fmt::format("{:>8} {:>16.4f} {:>12.4f} {:>16.4f} {:>12.4f}\n", row.epsilon,
                         1e2 * row.delta_valuation.mean, 1e2 * row.delta_valuation.std,
                         1e4 * row.delta_utility.mean, 1e4 * row.delta_utility.std);
  }
  return 0;
}

int run_strategies_command(const StrategiesCommandOptions& options, std::ostream& out,
                           std::ostream& err) {
  std::vector<StrategyRow> rows;
  OutputTransaction files;
  try {
    if (!options.plot_path.empty()) OutputTransaction::preflight("--plot", options.plot_path);
    const Instance instance = read_instance(read_exact_json_file(options.instance_path));
    rows = sweep_strategies(instance, options.group, options.alphas, options.betas);
  } catch (const SpecError& error) {
    err << "mechcheck experiment strategies: " << error.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& error) {
    // sweep_strategies names its argument ("group 7: ..."); on the command line it is a flag.
    err << "mechcheck experiment strategies: --" << error.what() << "\n";
    return 2;
  } catch (const NumericalFailure& failure) {
    err << "mechcheck experiment strategies: " << failure.what()
        << "; the instance is beyond mechcheck's working precisions\n";
    return 3;
  }
  // Never print NaN or inf (the sweep runs at 50 digits; a double overflow shows here).
  for (const StrategyRow& r : rows)
    for (double value : {r.valuation, r.payment, r.utility, r.welfare, r.affine_welfare})
      if (!std::isfinite(value)) {
        err << "mechcheck experiment strategies: the result for " << r.strategy << " = " << r.value
            << " is not finite (beyond the range of a double)\n";
        return 3;
      }
  if (!options.plot_path.empty()) {
    try {
      files.stage(options.plot_path, render_strategy_plot(rows, options.group));
      files.commit();
    } catch (const std::exception& error) {
      err << "mechcheck experiment strategies: " << error.what() << "\n";
      return 2;
    }
  }
  if (options.format == "json") {
    nlohmann::json json_rows = nlohmann::json::array();
    for (const StrategyRow& r : rows)
      json_rows.push_back({{"strategy", r.strategy},
                           {"value", r.value},
                           {"valuation", r.valuation},
                           {"payment", r.payment},
                           {"utility", r.utility},
                           {"welfare", r.welfare},
                           {"affine_welfare", r.affine_welfare}});
    out << nlohmann::json{{"group", options.group}, {"rows", json_rows}}.dump(2) << "\n";
  } else if (options.format == "csv") {
    out << "strategy,value,valuation,payment,utility,welfare,affine_welfare\n";
    for (const StrategyRow& r : rows)
      out << fmt::format("{},{},{:.17g},{:.17g},{:.17g},{:.17g},{:.17g}\n", r.strategy, r.value,
                         r.valuation, r.payment, r.utility, r.welfare, r.affine_welfare);
  } else {
    out << fmt::format("{:<9} {:>7} {:>12} {:>12} {:>12} {:>12} {:>14}\n", "strategy", "value",
                       "valuation", "payment", "utility", "welfare", "affine_welfare");
    for (const StrategyRow& r : rows)
      out << fmt::format("{:<9} {:>7} {:>12.6f} {:>12.6f} {:>12.6f} {:>12.6f} {:>14.6f}\n",
                         r.strategy, r.value, r.valuation, r.payment, r.utility, r.welfare,
                         r.affine_welfare);
  }
  return 0;
}

}  // namespace mechcheck::cli

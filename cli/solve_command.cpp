#include "cli/solve_command.hpp"

#include <ostream>

#include "cli/outcome_report.hpp"
#include "mechanisms/family.hpp"
#include "solver/instance_solver.hpp"
#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck::cli {

int run_solve(const SolveOptions& options, std::ostream& out, std::ostream& err) {
  Instance instance;
  try {
    const nlohmann::json document = read_exact_json_file(options.file);
    const Family& family = family_of(document);
    if (family.name() != "rlhf-game") {
      const auto outcome = family.exact_outcome(*family.read_game(document));
      out << outcome->dump(2) << "\n";
      return 0;
    }
    instance = read_instance(document);
    require_precision_supported(instance, options.precision);
  } catch (const SpecError& error) {
    err << "mechcheck solve: " << error.what() << "\n";
    return 2;
  }
  std::string text;
  bool finite = false;
  try {
    finite = with_scalar(options.precision, [&]<class S>() {
      const MechanismOutcome<S> outcome = solve_instance<S>(instance);
      text = options.table ? outcome_table(instance, outcome)
                           : outcome_json(instance, outcome).dump(2) + "\n";
      return outcome_is_finite(outcome);
    });
  } catch (const NumericalFailure& failure) {
    err << "mechcheck solve: " << failure.what()
        << "; the instance is beyond mechcheck's working precisions\n";
    return 3;
  }
  if (!finite) {
    if (options.precision == Precision::binary64 || options.precision == Precision::digits50)
      err << "mechcheck solve: the result at precision "
          << (options.precision == Precision::binary64 ? "double" : "50")
          << " is not finite; rerun with --precision 100\n";
    else
      err << "mechcheck solve: the result is not finite even at precision 100; the instance is "
             "beyond mechcheck's working precisions\n";
    return 3;
  }
  out << text << std::flush;
  return 0;
}

}  // namespace mechcheck::cli

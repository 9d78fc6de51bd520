// A downstream program calling the installed library (mechcheck::core) instead of the executable:
//   pricing_library_check INSTANCE CHECK_CONFIG
// solves INSTANCE (an instance file, README "Instance files") and checks that the policy is a
// distribution and every payment is non-negative, then runs CHECK_CONFIG's checks (as
// `mechcheck check` does) and prints each property's verdict. Exit 0 when everything holds,
// 1 on a violation or an inconclusive result, 2 on bad input.
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <string>

#include "checks/check_runner.hpp"
#include "checks/verdict.hpp"
#include "mechanisms/family.hpp"
#include "mechanisms/property.hpp"
#include "mechanisms/search_effort.hpp"
#include "solver/instance_solver.hpp"
#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace {

using namespace mechcheck;

// The truthful outcome of one instance in double precision.
bool solve_and_inspect(const std::string& path) {
  const Instance instance = read_instance(read_exact_json_file(path));
  const MechanismOutcome<double> outcome = solve_instance<double>(instance);
  const double mass = outcome.solution.policy.sum();
  std::printf("%s: policy", path.c_str());
  for (Eigen::Index x = 0; x < outcome.solution.policy.size(); ++x)
    std::printf(" %.6f", outcome.solution.policy[x]);
  std::printf(", payments");
  bool nonnegative = true;
  for (Eigen::Index i = 0; i < outcome.payments.size(); ++i) {
    std::printf(" %.6f", outcome.payments[i]);
    nonnegative = nonnegative && outcome.payments[i] >= -1e-12;
  }
  std::printf("\n");
  const bool distribution = std::abs(mass - 1.0) <= 1e-9 && outcome.solution.policy.minCoeff() >= 0;
  if (!distribution) std::printf("the policy is not a distribution (mass %.17g)\n", mass);
  if (!nonnegative) std::printf("a payment is negative\n");
  return distribution && nonnegative;
}

// The config's checks over its generated games, as `mechcheck check CONFIG` runs them.
Verdict run_config(const std::string& path) {
  const nlohmann::json document = read_exact_json_file(path);
  const CheckSetup setup = family_of(document).read_check_config(document);
  RunOptions options;
  options.seed = setup.seed;
  options.instance_count = setup.instance_count;
  options.threads = 2;
  if (const auto effort = parse_effort(setup.effort)) options.effort = *effort;
  const CheckRun run = run_checks(setup, options);
  for (std::size_t k = 0; k < run.properties.size(); ++k)
    std::printf("%-12s %s\n", std::string(property_name(run.properties[k])).c_str(),
                std::string(verdict_name(property_verdict(run, k))).c_str());
  const Verdict overall = overall_verdict(run);
  std::printf("%s: %zu instances, verdict %s\n", path.c_str(), run.instances.size(),
              std::string(verdict_name(overall)).c_str());
  return overall;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s INSTANCE CHECK_CONFIG\n", argv[0]);
    return 2;
  }
  try {
    const bool solved = solve_and_inspect(argv[1]);
    const Verdict verdict = run_config(argv[2]);
    return solved && verdict == Verdict::holds ? 0 : 1;
  } catch (const SpecError& error) {
    std::fprintf(stderr, "bad input: %s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
}

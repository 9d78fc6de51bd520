#include "cli/verify_command.hpp"

#include <fmt/format.h>

#include <ostream>
#include <vector>

#include "cli/outcome_report.hpp"
#include "examples/bundled_examples.hpp"
#include "solver/instance_solver.hpp"
#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck::cli {
namespace {

// Every reported number of an outcome, lifted to 100 digits for comparison.
template <class S>
std::vector<Float100> flatten(const MechanismOutcome<S>& outcome) {
  std::vector<Float100> values;
  auto add = [&](const S& v) { values.push_back(Float100(v)); };
  auto add_all = [&](const Vector<S>& vs) {
    for (Eigen::Index i = 0; i < vs.size(); ++i) add(vs[i]);
  };
  add_all(outcome.solution.policy);
  add_all(outcome.valuations);
  add_all(outcome.payments);
  add_all(outcome.utilities);
  add(outcome.welfare);
  add(outcome.solution.divergence);
  add(outcome.solution.objective);
  return values;
}

Float100 worst_relative_gap(const std::vector<Float100>& a, const std::vector<Float100>& b) {
  Float100 worst = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    Float100 scale = std::max(Float100(1), Float100(abs(b[k])));
    worst = std::max(worst, Float100(abs(a[k] - b[k]) / scale));
  }
  return worst;
}

// Sanity of the reference outcome: a distribution, non-negative affine-maximizer payments.
std::string validity_problem(const Instance& instance, const MechanismOutcome<Float100>& outcome) {
  const Float100 tolerance("1e-90");
  const auto& p = outcome.solution.policy;
  if (abs(p.sum() - 1) > tolerance) return "policy does not sum to 1";
  for (Eigen::Index x = 0; x < p.size(); ++x)
    if (p[x] < 0) return "policy has a negative entry";
  if (instance.payment.type == PaymentType::affine_maximizer && instance.payment.offset >= 0)
    for (Eigen::Index i = 0; i < outcome.payments.size(); ++i)
      if (outcome.payments[i] < -tolerance) return fmt::format("group {} has a negative payment", i);
  return {};
}

}  // namespace

int run_verify(std::ostream& out, std::ostream& err) {
  int failures = 0;
  std::string summary = fmt::format("{:<28} {:<11} {:>14} {:>14} {:>14}  {}\n", "example", "divergence",
                                    "double", "50 digits", "exact", "verdict");
  for (const BundledExample& example : bundled_examples()) {
    Instance instance;
    try {
      instance = read_instance(parse_exact_json(example.json));
    } catch (const SpecError& error) {
      err << "mechcheck verify: bundled example " << example.name << ": " << error.what() << "\n";
      return 2;
    }
    const auto reference = solve_instance<Float100>(instance);
    const auto reference_values = flatten(reference);
    const Float100 gap_double = worst_relative_gap(flatten(solve_instance<double>(instance)), reference_values);
    const Float100 gap_50 = worst_relative_gap(flatten(solve_instance<Float50>(instance)), reference_values);
    bool exact_supported = has_rational_optimum(instance.rule.divergence);
    Float100 gap_exact = 0;
    if (exact_supported) gap_exact = worst_relative_gap(flatten(solve_instance<Rational>(instance)), reference_values);

    std::string problem = validity_problem(instance, reference);
    if (problem.empty() && !(gap_double <= Float100("1e-9"))) problem = "double disagrees with 100 digits";
    if (problem.empty() && !(gap_50 <= Float100("1e-44"))) problem = "50 digits disagree with 100 digits";
    if (problem.empty() && !(gap_exact <= Float100("1e-95"))) problem = "exact disagrees with 100 digits";
    if (!problem.empty()) ++failures;

    out << "== " << example.name << "\n" << outcome_table(instance, reference) << "\n";
    summary += fmt::format("{:<28} {:<11} {:>14} {:>14} {:>14}  {}\n", example.name,
                           divergence_name(instance.rule.divergence), gap_double.str(3), gap_50.str(3),
                           exact_supported ? gap_exact.str(3) : std::string("n/a"),
                           problem.empty() ? "ok" : "FAILED: " + problem);
  }
  out << "Worst relative gap to the 100-digit solution, per precision:\n" << summary;
  out << fmt::format("{} examples, {} failed\n", bundled_examples().size(), failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace mechcheck::cli

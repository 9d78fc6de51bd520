// The reference solver agrees with itself across precisions on the bundled examples: double,
// 50 digits and exact (χ², TV) against 100 digits, each outcome a distribution with
// non-negative affine-maximizer payments. A gate for every other claim's numbers.
#include <fmt/format.h>

#include "claims/claim.hpp"
#include "examples/bundled_examples.hpp"
#include "solver/instance_solver.hpp"
#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck {
namespace {

template <class S>
std::vector<Float100> flatten(const MechanismOutcome<S>& outcome) {
  std::vector<Float100> values;
  auto add_all = [&](const Vector<S>& vs) {
    for (Eigen::Index i = 0; i < vs.size(); ++i) values.push_back(Float100(vs[i]));
  };
  add_all(outcome.solution.policy);
  add_all(outcome.valuations);
  add_all(outcome.payments);
  add_all(outcome.utilities);
  for (const S* v : {&outcome.welfare, &outcome.solution.divergence, &outcome.solution.objective})
    values.push_back(Float100(*v));
  return values;
}

double worst_relative_gap(const std::vector<Float100>& a, const std::vector<Float100>& b) {
  Float100 worst = 0;
  for (std::size_t k = 0; k < a.size(); ++k)
    worst =
        std::max(worst, Float100(abs(a[k] - b[k]) / std::max(Float100(1), Float100(abs(b[k])))));
  return worst.convert_to<double>();
}

}  // namespace

ClaimOutcome claim_solver_precisions(const ClaimContext& context) {
  ClaimOutcome outcome;
  nlohmann::json examples = nlohmann::json::array();
  for (const BundledExample& example : bundled_examples()) {
    const Instance instance = read_instance(parse_exact_json(example.json));
    const auto reference = solve_instance<Float100>(instance);
    const auto values = flatten(reference);
    // The double solver is the one under test: the context may hand it a wrong λ.
    Instance under_test = instance;
    under_test.rule.lambda /= context.ingredients.solver_lambda_divisor;
    const double gap_double =
        worst_relative_gap(flatten(solve_instance<double>(under_test)), values);
    const double gap_50 = worst_relative_gap(flatten(solve_instance<Float50>(instance)), values);
    const bool exact = exact_arithmetic_applies(instance);
    const double gap_exact =
        exact ? worst_relative_gap(flatten(solve_instance<Rational>(instance)), values) : 0;
    bool valid = abs(reference.solution.policy.sum() - 1) <= Float100("1e-90") &&
                 reference.solution.policy.minCoeff() >= 0;
    if (instance.payment.type == PaymentType::affine_maximizer && instance.payment.offset >= 0)
      valid = valid && reference.payments.minCoeff() >= -Float100("1e-90");
    const bool agrees = valid && gap_double <= 1e-9 && gap_50 <= 1e-44 && gap_exact <= 1e-95;
    if (!agrees) outcome.verdict = Verdict::violated;
    nlohmann::json entry = {{"example", example.name},
                            {"double", gap_double},
                            {"50", gap_50},
                            {"valid_outcome", valid}};
    if (exact) entry["exact"] = gap_exact;
    examples.push_back(entry);
  }
  outcome.evidence = {{"worst_relative_gap_to_100_digits", examples}};
  return outcome;
}

}  // namespace mechcheck

// libFuzzer target: arbitrary bytes through the whole input path of `mechcheck solve`:
//   parse_exact_json → read_instance → (m ≤ 50 outcomes, n ≤ 8 groups) solve_instance<double>,
//   solve_instance<Rational> when the divergence has rational optima (χ², TV), and
//   solve_instance<Float50> as a reference for the others.
//
// Expected behaviour: bad input is a mechcheck::SpecError and nothing else. Anything else is a
// finding and aborts (libFuzzer saves the input): a sanitizer report, a hang (-timeout), or a
// failed check. Checks, by the name MECHCHECK_FUZZ_SKIP=a,b,... switches them off (to fuzz on
// past a finding that is already known):
//   exception           only SpecError escapes parse_exact_json/read_instance (cannot be skipped)
//   solve-exception     solve_instance<double|Float50|Rational> of a valid instance throws nothing
//                       but PrecisionExhausted (the solver's stated limit)
//   json-roundtrip      parse_exact_json(document.dump()) == document
//   instance-roundtrip  read_instance(instance_to_json(instance)) is the same instance
//   nan                 no NaN anywhere in the double outcome
//   inf                 no ±inf in the double outcome when Σ w_i ≤ 1e300 (every true value is
//                       bounded by ~2 Σ w_i then)
//   simplex             the policy is a distribution (exactly for Rational, 1e-9 for double)
//   payments            affine-maximizer payments (no offset) are ≥ 0 (Prop 4.4): exactly for
//                       Rational, within 1e-9·Σw for double
//   precision-support   require_precision_supported(exact) refuses exactly the irrational ones
//   exact-agreement     double ≈ exact for χ² (policy within 1e-6, payments within 1e-6·Σw)
//   float50-agreement   double ≈ 50 digits for KL, reverse KL, Hellinger (same tolerances)
//   exact-agreement-objective, float50-agreement-objective
//                       the same for the objective and divergence (within 1e-6·Σw)
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>

#include "fuzz_support.hpp"
#include "solver/instance_solver.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace {

using namespace mechcheck;
using fuzz::check_enabled;
using fuzz::fail;
using fuzz::shorten;

// Solving is only attempted for instances this small (each run must stay well under -timeout).
constexpr std::size_t kMaxSolvedOutcomes = 50;
constexpr std::size_t kMaxSolvedGroups = 8;

std::string describe(const Instance& instance) {
  try {
    return shorten(instance_to_json(instance).dump(), 600);
  } catch (const std::exception& e) {
    return std::string("<instance_to_json threw: ") + e.what() + ">";
  }
}

// Runs `body`; a SpecError is expected input rejection (returns false), anything else a finding.
template <class Body>
bool expect_only_spec_error(std::string_view stage, Body&& body) {
  try {
    body();
    return true;
  } catch (const SpecError&) {
    return false;
  } catch (const std::exception& e) {
    fail("exception",
         std::string(stage) + " threw " + typeid(e).name() + " (not SpecError): " + e.what());
  } catch (...) {
    fail("exception", std::string(stage) + " threw a non-std exception");
  }
}

// The affine-maximizer offset if this version of PaymentRule has one (0 otherwise).
template <class Rule>
Rational payment_offset(const Rule& rule) {
  if constexpr (requires { rule.offset; })
    return Rational(rule.offset);
  else
    return Rational(0);
}

// Every reported number of an outcome (what `mechcheck solve` prints; not the internal
// multiplier, which may legitimately be ~ -λ), named, for the finiteness checks.
template <class S, class Visit>
void for_each_number(const MechanismOutcome<S>& outcome, Visit&& visit) {
  auto vector = [&](const char* name, const Vector<S>& values) {
    for (Eigen::Index i = 0; i < values.size(); ++i)
      visit(std::string(name) + "[" + std::to_string(i) + "]", values[i]);
  };
  vector("policy", outcome.solution.policy);
  visit("objective", outcome.solution.objective);
  visit("divergence", outcome.solution.divergence);
  vector("valuations", outcome.valuations);
  vector("payments", outcome.payments);
  vector("utilities", outcome.utilities);
  visit("welfare", outcome.welfare);
}

// Σ w_i bounds every score, hence the objective, divergence, valuations and (twice) payments:
// when it fits comfortably in a double, no reported number may be infinite.
bool outcomes_bounded_in_double(const Instance& instance) {
  Rational total = 0;
  for (const Group& group : instance.groups) total += group.size;
  static const Rational limit(1e300);
  return total <= limit;
}

template <class S>
std::string show(const S& value) {
  if constexpr (std::is_same_v<S, double>) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
  } else {
    return value.str();
  }
}

void check_double_outcome(const Instance& instance, const MechanismOutcome<double>& outcome) {
  const bool bounded = outcomes_bounded_in_double(instance);
  for_each_number(outcome, [&](const std::string& name, double value) {
    if (std::isnan(value) && check_enabled("nan"))
      fail("nan", "solve_instance<double> gave NaN for " + name + " on " + describe(instance));
    if (std::isinf(value) && bounded && check_enabled("inf"))
      fail("inf", "solve_instance<double> gave " + show(value) + " for " + name +
                      " although sum(w_i) <= 1e300, on " + describe(instance));
  });
  // Prop 4.4 within double's accuracy: affine-maximizer payments (no offset) are ≥ 0.
  if (check_enabled("payments") && bounded &&
      instance.payment.type == PaymentType::affine_maximizer &&
      payment_offset(instance.payment) == 0) {
    Rational total = 0;
    for (const Group& group : instance.groups) total += group.size;
    const double tolerance = 1e-9 * std::max(1.0, from_rational<double>(total));
    for (Eigen::Index i = 0; i < outcome.payments.size(); ++i)
      if (outcome.payments[i] < -tolerance)
        fail("payments", "double affine-maximizer payment[" + std::to_string(i) +
                             "] = " + show(outcome.payments[i]) + " < 0 on " + describe(instance));
  }
  if (!check_enabled("simplex")) return;
  const auto& policy = outcome.solution.policy;
  double total = 0;
  for (Eigen::Index x = 0; x < policy.size(); ++x) {
    if (!(policy[x] >= -1e-9))
      fail("simplex", "double policy[" + std::to_string(x) + "] = " + show(policy[x]) + " on " +
                          describe(instance));
    total += policy[x];
  }
  if (policy.size() > 0 && std::isfinite(total) && std::abs(total - 1) > 1e-9)
    fail("simplex", "double policy sums to " + show(total) + " on " + describe(instance));
}

void check_exact_outcome(const Instance& instance, const MechanismOutcome<Rational>& outcome) {
  if (check_enabled("simplex")) {
    const auto& policy = outcome.solution.policy;
    Rational total = 0;
    for (Eigen::Index x = 0; x < policy.size(); ++x) {
      if (policy[x] < 0)
        fail("simplex", "exact policy[" + std::to_string(x) + "] = " + policy[x].str() + " on " +
                            describe(instance));
      total += policy[x];
    }
    if (total != 1)
      fail("simplex", "exact policy sums to " + total.str() + " on " + describe(instance));
  }
  // Prop 4.4: affine-maximizer payments (without an offset) are non-negative.
  if (check_enabled("payments") && instance.payment.type == PaymentType::affine_maximizer &&
      payment_offset(instance.payment) == 0) {
    for (Eigen::Index i = 0; i < outcome.payments.size(); ++i)
      if (outcome.payments[i] < 0)
        fail("payments", "exact affine-maximizer payment[" + std::to_string(i) +
                             "] = " + outcome.payments[i].str() + " < 0 on " + describe(instance));
  }
}

// Double must agree with a more precise solve of the same instance (README: ~1e-10; checked
// loosely, 1e-6 on the policy, 1e-6 × Σw on the payments, 1e-6 × max(Σw, |value|) on the
// objective and divergence). TV is skipped: its
// tie-break ("within the scalar's tolerance") is legitimately discontinuous in the scores.
template <class R>
void check_agreement(const char* check, const Instance& instance,
                     const MechanismOutcome<double>& approx, const MechanismOutcome<R>& reference) {
  if (!check_enabled(check) || instance.rule.divergence == DivergenceKind::tv) return;
  if (!outcomes_bounded_in_double(instance)) return;
  Rational total = 0;
  for (const Group& group : instance.groups) total += group.size;
  const double scale = std::max(1.0, from_rational<double>(total));
  auto to_double = [](const R& value) {
    if constexpr (std::is_same_v<R, Rational>)
      return from_rational<double>(value);
    else
      return value.template convert_to<double>();
  };
  auto compare = [&](const std::string& name, double a, const R& e, double tolerance) {
    const double reference_value = to_double(e);
    if (!(std::abs(a - reference_value) <= tolerance))
      fail(check, name + ": double " + show(a) + " vs " + std::string(ScalarTraits<R>::name) + " " +
                      show(e) + " on " + describe(instance));
  };
  for (Eigen::Index i = 0; i < approx.solution.policy.size(); ++i)
    compare("policy[" + std::to_string(i) + "]", approx.solution.policy[i],
            reference.solution.policy[i], 1e-6);
  for (Eigen::Index i = 0; i < approx.payments.size(); ++i)
    compare("payments[" + std::to_string(i) + "]", approx.payments[i], reference.payments[i],
            1e-6 * scale);
  if (check_enabled(std::string(check) + "-objective")) {
    // The objective and divergence are as large as λ·D_f or the power mean's F (λ = 5·10⁵⁸ or
    // α = 244 give 10⁵⁸ and more): 1e-6 relative to them, as no double is closer than its ulp.
    auto compare_objective = [&](const std::string& name, double a, const R& e) {
      if (!(std::abs(a - to_double(e)) <= 1e-6 * std::max(scale, std::abs(to_double(e)))))
        fail(std::string(check) + "-objective", name + ": double " + show(a) + " vs " +
                                                    std::string(ScalarTraits<R>::name) + " " +
                                                    show(e) + " on " + describe(instance));
    };
    compare_objective("objective", approx.solution.objective, reference.solution.objective);
    compare_objective("divergence", approx.solution.divergence, reference.solution.divergence);
  }
}

// Solving a valid instance must not throw anything. Returns nullopt only when that check is
// skipped (MECHCHECK_FUZZ_SKIP=solve-exception), so fuzzing can go on past a known one.
template <class S>
std::optional<MechanismOutcome<S>> solve_or_fail(const Instance& instance) {
  std::string problem;
  try {
    return solve_instance<S>(instance);
  } catch (const PrecisionExhausted&) {
    // The solver's own, stated limit (a power-mean rule whose dual weights need more than 200
    // digits), not a failure of the method.
    return std::nullopt;
  } catch (const std::exception& e) {
    problem = std::string(typeid(e).name()) + ": " + e.what();
  } catch (...) {
    problem = "a non-std exception";
  }
  if (check_enabled("solve-exception"))
    fail("solve-exception", "solve_instance<" + std::string(ScalarTraits<S>::name) + "> threw " +
                                problem + " on " + describe(instance));
  return std::nullopt;
}

// Counts of how far inputs get, printed at exit with MECHCHECK_FUZZ_STATS=1 (to see what a
// corpus exercises: build-fuzz/tests/fuzz/fuzz_instance -runs=0 CORPUS).
struct Stats {
  long inputs = 0, json = 0, instances = 0, solved_double = 0, solved_exact = 0, solved_float50 = 0;
  ~Stats() {
    const char* on = std::getenv("MECHCHECK_FUZZ_STATS");
    if (on && *on && *on != '0')
      std::fprintf(
          stderr,
          "mechcheck-fuzz stats: inputs %ld, JSON %ld, valid instances %ld, solved: double %ld, "
          "exact %ld, 50 digits %ld\n",
          inputs, json, instances, solved_double, solved_exact, solved_float50);
  }
} stats;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ++stats.inputs;

  nlohmann::json document;
  if (!expect_only_spec_error("parse_exact_json", [&] { document = parse_exact_json(text); }))
    return 0;
  ++stats.json;

  // The exact-JSON layer round-trips: what it built, dumped and re-read, is the same document.
  if (check_enabled("json-roundtrip")) {
    std::string dumped;
    nlohmann::json again;
    try {
      dumped = document.dump();
      again = parse_exact_json(dumped);
    } catch (const std::exception& e) {
      fail("json-roundtrip", std::string("re-reading the dumped document threw ") +
                                 typeid(e).name() + ": " + e.what() +
                                 "; dump = " + shorten(dumped));
    }
    if (again != document)
      fail("json-roundtrip", "document changed on dump + re-parse: " + shorten(dumped));
  }

  Instance instance;
  if (!expect_only_spec_error("read_instance", [&] { instance = read_instance(document); }))
    return 0;
  ++stats.instances;

  // instance_to_json promises JSON that read_instance reads back to the same instance.
  if (check_enabled("instance-roundtrip")) {
    nlohmann::json exact;
    try {
      exact = instance_to_json(instance);
    } catch (const std::exception& e) {
      fail("instance-roundtrip",
           std::string("instance_to_json threw ") + typeid(e).name() + ": " + e.what());
    }
    try {
      const Instance again = read_instance(parse_exact_json(exact.dump()));
      if (instance_to_json(again) != exact)
        fail("instance-roundtrip",
             "instance changed on instance_to_json + read_instance: " + shorten(exact.dump(), 600));
    } catch (const std::exception& e) {
      fail("instance-roundtrip", std::string("read_instance rejected instance_to_json's output (") +
                                     typeid(e).name() + "): " + e.what() +
                                     "; json = " + shorten(exact.dump(), 600));
    }
  }

  if (instance.outcome_count() > kMaxSolvedOutcomes || instance.group_count() > kMaxSolvedGroups)
    return 0;

  // A valid instance must solve: no exception of any type from here on.
  const std::optional<MechanismOutcome<double>> approx = solve_or_fail<double>(instance);
  if (!approx) return 0;
  ++stats.solved_double;
  check_double_outcome(instance, *approx);

  // The smooth divergences (irrational optima) are checked against 50 digits.
  if (!exact_arithmetic_applies(instance) && check_enabled("float50-agreement")) {
    const std::optional<MechanismOutcome<Float50>> precise = solve_or_fail<Float50>(instance);
    if (!precise) return 0;
    ++stats.solved_float50;
    check_agreement("float50-agreement", instance, *approx, *precise);
  }

  const bool rational = exact_arithmetic_applies(instance);
  if (check_enabled("precision-support")) {
    bool refused = false;
    try {
      require_precision_supported(instance, Precision::exact);
    } catch (const SpecError&) {
      refused = true;
    }
    if (refused == rational)
      fail("precision-support", std::string("require_precision_supported(exact) ") +
                                    (refused ? "refused" : "accepted") + " divergence " +
                                    std::string(divergence_name(instance.rule.divergence)));
  }
  if (!rational) return 0;

  const std::optional<MechanismOutcome<Rational>> exact = solve_or_fail<Rational>(instance);
  if (!exact) return 0;
  ++stats.solved_exact;
  check_exact_outcome(instance, *exact);
  check_agreement("exact-agreement", instance, *approx, *exact);
  return 0;
}

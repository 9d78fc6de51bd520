#include "checks/property_checks.hpp"

#include <cmath>

#include "checks/confirm.hpp"
#include "checks/regret_search.hpp"
#include "checks/shrink.hpp"
#include "solver/instance_solver.hpp"

namespace mechcheck {

std::string_view property_name(Property property) {
  switch (property) {
    case Property::dsic:
      return "dsic";
    case Property::ir:
      return "ir";
    case Property::nonneg:
      return "nonneg";
    default:
      return "approx-dsic";
  }
}

std::optional<Property> parse_property(std::string_view name) {
  for (Property p : {Property::dsic, Property::ir, Property::nonneg, Property::approx_dsic})
    if (property_name(p) == name) return p;
  return std::nullopt;
}

namespace {

// Float search tolerance: gains below this are rounding, not incentives.
double search_tolerance(const Instance& instance) {
  double scale = 1;
  for (const Group& group : instance.groups) scale += group.size.convert_to<double>();
  return 1e-9 * scale;
}

Vector<double> average_of_others(const Profile<double>& profile, Eigen::Index group) {
  Vector<double> sum = Vector<double>::Zero(profile.rewards.rows());
  int count = 0;
  for (Eigen::Index j = 0; j < profile.group_count(); ++j)
    if (j != group) sum += profile.rewards.col(j), ++count;
  return count == 0 ? Vector<double>() : Vector<double>(sum / count);
}

// Confirms a float finding exactly / at 100 digits; shrinks it if it stands.
std::optional<Witness> confirmed(Witness witness, const CheckOptions& options,
                                 nlohmann::json& evidence) {
  const ConfirmedValue value = measure_witness(witness);
  evidence["confirmation"] = {{"precision", value.precision}, {"value", value.text}};
  if (!witness_stands(witness, value)) {
    evidence["unconfirmed_float_finding"] = true;
    return std::nullopt;
  }
  witness.recorded_value = value.text;
  witness.precision = value.precision;
  return options.shrink ? shrink_witness(std::move(witness)) : witness;
}

PropertyResult from_witness(std::optional<Witness> witness, nlohmann::json evidence) {
  PropertyResult result;
  result.evidence = std::move(evidence);
  if (witness) {
    result.verdict = Verdict::violated;
    result.evidence["witness_group"] = witness->group;
    result.evidence["witness_value"] = witness->recorded_value;
    result.witness = std::move(witness);
  }
  return result;
}

}  // namespace

PropertyResult check_dsic(const Instance& instance, const CheckOptions& options) {
  const Mechanism<double> mechanism = mechanism_of<double>(instance);
  const Profile<double> truth = profile_of<double>(instance);
  const long max_size = instance.max_group_size.convert_to<long>();
  const double tolerance = search_tolerance(instance);
  nlohmann::json evidence = {{"groups", instance.group_count()}};
  double max_gain = 0;
  long evaluations = 0;
  for (Eigen::Index i = 0; i < truth.group_count(); ++i) {
    Rng rng = Rng::stream(options.seed, static_cast<std::uint64_t>(i));
    DeviationEvaluator<double> evaluator(mechanism, truth, i);
    RegretSearch<double> search(evaluator, instance.normalization, max_size,
                                average_of_others(truth, i), options.effort, rng);
    const Deviation<double> best = search.run();
    evaluations += evaluator.evaluations();
    max_gain = std::max(max_gain, best.gain);
    if (!std::isfinite(best.gain)) {
      PropertyResult result;
      result.verdict = Verdict::inconclusive;
      result.evidence = {{"reason", "non-finite utility in double"}, {"group", i}};
      return result;
    }
    if (best.gain > tolerance) {
      Witness witness;
      witness.property = "dsic";
      witness.instance = instance;
      witness.group = static_cast<std::size_t>(i);
      witness.deviation = Group{rationalize_report(best.report.reward, instance.normalization),
                                Rational(static_cast<long>(std::lround(best.report.size)))};
      evidence["strategy"] = best.strategy;
      evidence["float_gain"] = best.gain;
      evidence["evaluations"] = evaluations;
      if (auto found = confirmed(std::move(witness), options, evidence))
        return from_witness(std::move(found), evidence);
    }
  }
  evidence["max_gain_found"] = max_gain;
  evidence["evaluations"] = evaluations;
  return from_witness(std::nullopt, evidence);
}

namespace {

// IR and non-negativity need no search: measure every group at exact/100-digit precision.
PropertyResult check_each_group(const Instance& instance, const char* property) {
  nlohmann::json evidence = {{"groups", instance.group_count()}};
  nlohmann::json values = nlohmann::json::array();
  std::optional<Witness> found;
  for (std::size_t i = 0; i < instance.group_count() && !found; ++i) {
    Witness witness;
    witness.property = property;
    witness.instance = instance;
    witness.group = i;
    const ConfirmedValue value = measure_witness(witness);
    values.push_back(value.approx);
    evidence["precision"] = value.precision;
    if (witness_stands(witness, value)) {
      witness.recorded_value = value.text;
      witness.precision = value.precision;
      found = std::move(witness);
    }
  }
  evidence[std::string(property) == "ir" ? "utilities" : "payments"] = values;
  return from_witness(found ? std::optional<Witness>(shrink_witness(*found)) : std::nullopt,
                      evidence);
}

}  // namespace

PropertyResult check_ir(const Instance& instance, const CheckOptions&) {
  return check_each_group(instance, "ir");
}
PropertyResult check_nonneg(const Instance& instance, const CheckOptions&) {
  return check_each_group(instance, "nonneg");
}

PropertyResult check_approx_dsic(const Instance& instance, const CheckOptions& options) {
  const Mechanism<double> mechanism = mechanism_of<double>(instance);
  const Profile<double> truth = profile_of<double>(instance);
  const double epsilon = options.noise_epsilon.convert_to<double>();
  const Eigen::Index m = truth.rewards.rows();
  nlohmann::json evidence = {{"epsilon", epsilon}};
  double worst_ratio = -std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 0; i < truth.group_count(); ++i) {
    Rng rng = Rng::stream(options.seed, static_cast<std::uint64_t>(i));
    DeviationEvaluator<double> evaluator(mechanism, truth, i);
    const Report<double>& honest = evaluator.truth();
    const double bound = 2 * honest.size * epsilon;
    // Misreports of the reward model (the size stays truthful, as in Thm 4.12).
    std::vector<Vector<double>> misreports{honest.reward};
    for (double e : {0.01, 0.1, 0.5})
      if (auto p = polarize(honest.reward, e, instance.normalization)) misreports.push_back(*p);
    for (int r = 0; r < options.effort.random_reports / 2 + 2; ++r)
      misreports.push_back(random_report<double>(m, instance.normalization, rng));
    // Noise on the truthful report: the corners that lower the group's own scores most hurt it.
    std::vector<Vector<double>> truth_noises{Vector<double>::Constant(m, -epsilon),
                                             Vector<double>::Constant(m, epsilon)};
    Vector<double> against = Vector<double>::Constant(m, epsilon);
    Eigen::Index top = 0;
    honest.reward.maxCoeff(&top);
    against[top] = -epsilon;
    truth_noises.push_back(against);
    for (int k = 0; k < options.effort.noise_samples; ++k)
      truth_noises.push_back(bounded_noise<double>(m, epsilon, rng, k % 2 == 0));
    double worst_honest = std::numeric_limits<double>::infinity();
    Vector<double> worst_honest_noise;
    for (const Vector<double>& noise : truth_noises) {
      const double u =
          evaluator.evaluate({Vector<double>(honest.reward + noise), honest.size}).utility;
      if (u < worst_honest) worst_honest = u, worst_honest_noise = noise;
    }
    double best_gain = -std::numeric_limits<double>::infinity();
    Vector<double> best_report, best_noise;
    for (const Vector<double>& report : misreports) {
      for (int k = 0; k < options.effort.noise_samples + 2; ++k) {
        const Vector<double> noise =
            k == 0   ? Vector<double>::Constant(m, epsilon)
            : k == 1 ? Vector<double>(epsilon * (2 * report.array() - 1).sign().matrix())
                     : bounded_noise<double>(m, epsilon, rng, k % 2 == 0);
        const double gain =
            evaluator.evaluate({Vector<double>(report + noise), honest.size}).utility -
            worst_honest;
        if (gain > best_gain) best_gain = gain, best_report = report, best_noise = noise;
      }
    }
    worst_ratio = std::max(worst_ratio, best_gain / bound);
    if (best_gain > bound + search_tolerance(instance)) {
      Witness witness;
      witness.property = "approx-dsic";
      witness.instance = instance;
      witness.group = static_cast<std::size_t>(i);
      witness.deviation = Group{rationalize_report(best_report, instance.normalization),
                                instance.groups[static_cast<std::size_t>(i)].size};
      witness.epsilon = options.noise_epsilon;
      witness.truth_noise = rationalize(worst_honest_noise);
      witness.deviation_noise = rationalize(best_noise);
      for (std::vector<Rational>* noise : {&witness.truth_noise, &witness.deviation_noise})
        for (Rational& v : *noise)
          v = std::clamp(v, Rational(-options.noise_epsilon), options.noise_epsilon);
      CheckOptions no_shrink = options;
      no_shrink.shrink = false;  // shrinking would have to keep the noise within ε: not attempted
      if (auto found = confirmed(std::move(witness), no_shrink, evidence)) {
        evidence["gain_over_bound"] = worst_ratio;
        return from_witness(std::move(found), evidence);
      }
    }
  }
  evidence["max_gain_over_bound"] = worst_ratio;  // how close the search got to 2·w_i·ε
  return from_witness(std::nullopt, evidence);
}

PropertyResult check_property(Property property, const Instance& instance,
                              const CheckOptions& options) {
  switch (property) {
    case Property::dsic:
      return check_dsic(instance, options);
    case Property::ir:
      return check_ir(instance, options);
    case Property::nonneg:
      return check_nonneg(instance, options);
    default:
      return check_approx_dsic(instance, options);
  }
}

}  // namespace mechcheck

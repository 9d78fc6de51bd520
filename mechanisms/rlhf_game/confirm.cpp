#include "mechanisms/rlhf_game/confirm.hpp"

#include <cmath>

#include "generators/samplers.hpp"
#include "mechanisms/rlhf_game/deviation_evaluator.hpp"
#include "solver/instance_solver.hpp"

namespace mechcheck {
namespace {

template <class S>
S witness_quantity(const Witness& witness) {
  const Mechanism<S> mechanism = mechanism_of<S>(witness.instance);
  const Profile<S> truth = profile_of<S>(witness.instance);
  const auto group = static_cast<Eigen::Index>(witness.group);
  DeviationEvaluator<S> evaluator(mechanism, truth, group);
  if (witness.property == "ir") return evaluator.truthful().utility;
  if (witness.property == "nonneg") return evaluator.truthful().payment;
  const Report<S> deviation{from_rationals<S>(witness.deviation->reward),
                            from_rational<S>(witness.deviation->size)};
  if (witness.property == "dsic") return evaluator.gain(deviation);
  // approx-dsic: both reports pass through their noise before the mechanism sees them.
  const Report<S>& honest = evaluator.truth();
  const S honest_utility =
      evaluator
          .evaluate(
              {Vector<S>(honest.reward + from_rationals<S>(witness.truth_noise)), honest.size})
          .utility;
  const S deviation_utility =
      evaluator
          .evaluate({Vector<S>(deviation.reward + from_rationals<S>(witness.deviation_noise)),
                     deviation.size})
          .utility;
  return deviation_utility - honest_utility - 2 * honest.size * from_rational<S>(witness.epsilon);
}

template <class S>
ConfirmedValue describe(const S& value, int noise_floor_digits, double scale) {
  ConfirmedValue out;
  out.precision = std::string(ScalarTraits<S>::name);
  if constexpr (ScalarTraits<S>::exact) {
    out.sign = value > 0 ? 1 : (value < 0 ? -1 : 0);
    out.text = value.str();
    out.approx = Float50(value).convert_to<double>();
  } else {
    const S floor = S(scale) * pow(S(10), -noise_floor_digits);
    out.sign = value > floor ? 1 : (value < -floor ? -1 : 0);
    out.text = value.str(30);
    out.approx = value.template convert_to<double>();
  }
  return out;
}

}  // namespace

ConfirmedValue measure_witness(const Witness& witness) {
  const Instance& instance = witness.instance;
  double scale = 1;
  for (const Group& group : instance.groups) scale += group.size.convert_to<double>();
  if (rule_has_rational_optimum(instance.rule))
    return describe(witness_quantity<Rational>(witness), 0, scale);
  // Digits the instance's conditioning costs, plus margin: what is left separates signal from
  // noise.
  const int loss = conditioning_digits(instance) + 10;
  if (loss <= 50) return describe(witness_quantity<Float100>(witness), 100 - loss, scale);
  return describe(witness_quantity<Float200>(witness), std::max(20, 200 - loss), scale);
}

bool witness_stands(const Witness& witness, const ConfirmedValue& value) {
  if (witness.property == "ir" || witness.property == "nonneg") return value.sign < 0;
  return value.sign > 0;
}

std::vector<Rational> rationalize(const Vector<double>& values) {
  std::vector<Rational> out;
  for (Eigen::Index x = 0; x < values.size(); ++x) {
    const double v = values[x];
    const Rational rounded(static_cast<long long>(std::llround(v * 1e12)), 1000000000000LL);
    if (std::abs(v) < 1e6 &&
        std::abs(Float50(rounded).convert_to<double>() - v) <= 1e-12 * std::max(1.0, std::abs(v)))
      out.push_back(rounded);
    else
      out.push_back(Rational(v));  // exact binary value
  }
  return out;
}

std::vector<Rational> rationalize_report(const Vector<double>& values,
                                         Normalization normalization) {
  std::vector<Rational> out = rationalize(values);
  for (Rational& r : out)
    if (r < 0) r = 0;
  return normalize_weights(out, normalization);
}

}  // namespace mechcheck

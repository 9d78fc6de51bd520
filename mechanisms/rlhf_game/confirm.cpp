#include "mechanisms/rlhf_game/confirm.hpp"

#include <algorithm>
#include <cmath>

#include "generators/samplers.hpp"
#include "mechanisms/rlhf_game/deviation_evaluator.hpp"
#include "solver/instance_solver.hpp"

namespace mechcheck {
namespace {

// Reward `reward` plus `noise` (empty: none), exactly.
Group noisy(const Group& report, const std::vector<Rational>& noise) {
  Group out = report;
  for (std::size_t x = 0; x < noise.size() && x < out.reward.size(); ++x) out.reward[x] += noise[x];
  return out;
}

// Every report the witness's quantity evaluates for its group, noise included.
std::vector<Group> reports_of(const Witness& witness) {
  const Group& truth = witness.instance.groups.at(witness.group);
  if (witness.property == "dsic") return {truth, *witness.deviation};
  if (witness.property == "approx-dsic")
    return {truth, noisy(truth, witness.truth_noise),
            noisy(*witness.deviation, witness.deviation_noise)};
  return {truth};
}

// Σ w·(max rm − min rm) over every group and every report evaluated: a bound on every score gap,
// and so on each rounded part of the quantity (ExactReportEvaluator).
Rational gap_scale(const Witness& witness) {
  Rational total = 0;
  auto add = [&](const Group& group) {
    if (group.reward.empty()) return;
    const auto [low, high] = std::minmax_element(group.reward.begin(), group.reward.end());
    total += abs(group.size) * (*high - *low);
  };
  for (const Group& group : witness.instance.groups) add(group);
  for (const Group& report : reports_of(witness)) add(report);
  return total;
}

// ⌈log10(max(1, ratio))⌉ for an exact ratio ≥ 0.
int digits_above_one(const Rational& ratio) {
  if (ratio <= 1) return 0;
  const double digits = log10(Float50(ratio)).convert_to<double>();
  return static_cast<int>(std::ceil(std::min(digits, 1e6)));
}

// The witness's quantity: exact parts (w_i·max rm_i, the offset, 2·w_i·ε) and the rounded parts
// built from exact score gaps (ExactReportEvaluator).
template <class W>
SplitValue<W> witness_quantity(const Witness& witness) {
  const ExactReportEvaluator<W> evaluator(witness.instance, witness.group);
  if (witness.property == "ir") return evaluator.truthful().utility;
  if (witness.property == "nonneg") return evaluator.truthful().payment;
  if (witness.property == "dsic") return evaluator.gain(*witness.deviation);
  // approx-dsic: both reports pass through their noise before the mechanism sees them.
  const std::vector<Group> reports = reports_of(witness);
  SplitValue<W> value =
      evaluator.evaluate(reports[2]).utility - evaluator.evaluate(reports[1]).utility;
  value.exact -= 2 * reports[0].size * witness.epsilon;
  return value;
}

// exact + rounded, its sign beyond the noise floor: the rounded part's `floor` plus the rounding
// of the exact part to W.
template <class W>
ConfirmedValue describe(const SplitValue<W>& value, const Rational& floor) {
  ConfirmedValue out;
  out.precision = std::string(ScalarTraits<W>::name);
  if constexpr (ScalarTraits<W>::exact) {
    const Rational total = value.exact + value.rounded;
    out.sign = total > 0 ? 1 : (total < 0 ? -1 : 0);
    out.text = total.str();
    out.approx = Float50(total).convert_to<double>();
  } else {
    const W exact(value.exact);
    const W total = exact + value.rounded;
    const W margin = W(floor) + abs(exact) * pow(W(10), -(ScalarTraits<W>::digits10 - 2));
    out.sign = total > margin ? 1 : (total < -margin ? -1 : 0);
    out.text = total.str(30);
    out.approx = total.template convert_to<double>();
  }
  return out;
}

// At W: the rounded part is accurate to W's digits less the conditioning `loss`, relative to the
// gap scale; where D(ψ‖π) is formed from the rounded policy (all but KL's solver, and the welfare
// rules), its curvature adds λ·(that accuracy)², which matters only when λ dwarfs the gaps.
template <class W>
ConfirmedValue measure_at(const Witness& witness, const Rational& scale, int loss,
                          bool divergence_from_policy) {
  const int digits = std::max(20, ScalarTraits<W>::digits10 - loss);
  const Rational resolution(boost::multiprecision::mpz_int(1),
                            boost::multiprecision::pow(boost::multiprecision::mpz_int(10),
                                                       static_cast<unsigned>(digits)));
  Rational floor = scale * resolution;
  if (divergence_from_policy) floor += witness.instance.rule.lambda * resolution * resolution;
  return describe(witness_quantity<W>(witness), floor);
}

}  // namespace

ConfirmedValue measure_witness(const Witness& witness) {
  const Instance& instance = witness.instance;
  if (exact_arithmetic_applies(instance))
    return describe(witness_quantity<Rational>(witness), Rational(0));
  // SW-Max solves on exact gaps: what is lost is their size relative to λ (plus margin), and the
  // floor is relative to the gaps, not to the scores. The welfare rules round the rewards: their
  // loss is the scores' conditioning, and their floor relative to the scores' scale.
  const bool welfare = !solved_on_score_gaps(instance.rule.type);  // rounds the rewards
  Rational scale = gap_scale(witness);
  int loss = digits_above_one(scale / instance.rule.lambda) + 10;
  if (welfare) {
    scale = std::max(
        scale, Rational(1) + [&] {
          Rational sizes = 0;
          for (const Group& group : instance.groups) sizes += group.size;
          return sizes;
        }());
    loss = std::max(loss, conditioning_digits(instance) + 10);
  }
  const bool from_policy = welfare || instance.rule.divergence != DivergenceKind::kl;
  if (loss <= 50) {
    try {
      return measure_at<Float100>(witness, scale, loss, from_policy);
    } catch (const NumericalFailure&) {
      // the multiplier is not representable at 100 digits (Hellinger near its singular point)
    }
  }
  return measure_at<Float200>(witness, scale, loss, from_policy);
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

#include "checks/smt/cross_check.hpp"

#include "checks/rlhf_checks.hpp"
#include "generators/rng.hpp"
#include "generators/samplers.hpp"

namespace mechcheck::smt {

CrossCheck cross_check(const SmtMechanism& mechanism, SmtProperty property,
                       const ProveOptions& options, bool proved, bool& disagreement) {
  CrossCheck out;
  out.samples = options.samples;
  if (property == SmtProperty::approx_dsic && options.bound_factor != 2) {
    out.skipped = "the numeric approx-dsic check measures against 2*w*eps only";
    return out;
  }
  const Instance base = instance_mechanism(mechanism);
  GeneratorSpec spec;
  spec.min_outcomes = spec.max_outcomes = mechanism.outcomes;
  spec.min_groups = spec.max_groups = mechanism.groups;
  const Property numeric = property == SmtProperty::dsic     ? Property::dsic
                           : property == SmtProperty::ir     ? Property::ir
                           : property == SmtProperty::nonneg ? Property::nonneg
                                                             : Property::approx_dsic;
  std::size_t violated = 0, inconclusive = 0;
  std::vector<Witness> mismatches;
  for (std::size_t k = 0; k < options.samples; ++k) {
    Rng rng = Rng::stream(options.seed, k);
    Instance instance = sample_instance(rng, base, spec);
    if (mechanism.initial) {
      instance.initial = *mechanism.initial;
    } else if (mechanism.initial_min > 0) {
      const Rational spare = 1 - mechanism.initial_min * static_cast<long>(mechanism.outcomes);
      for (Rational& p : instance.initial) p = mechanism.initial_min + spare * p;
    }
    if (!mechanism.lambda.value)
      instance.rule.lambda = mechanism.lambda.min + (mechanism.lambda.max - mechanism.lambda.min) *
                                                        Rational(rng.integer(1, 1000), 1000);
    CheckOptions check;
    check.effort = effort_preset(Effort::quick);
    check.seed = mix64(options.seed ^ 0x70726f7665ULL) ^ mix64(k + 1);
    check.noise_epsilon = options.epsilon;
    check.shrink = false;
    const PropertyResult result = check_property(numeric, instance, check);
    if (result.verdict == Verdict::violated) {
      ++violated;
      if (proved) {
        Witness sampled;
        sampled.property = std::string(smt_property_name(property));
        sampled.instance = instance;
        mismatches.push_back(std::move(sampled));
      }
    } else if (result.verdict == Verdict::inconclusive) {
      ++inconclusive;
    }
  }
  out.numeric_violations = violated;
  out.numeric_inconclusive = inconclusive;
  disagreement = disagreement || !mismatches.empty();
  out.disagreements = std::move(mismatches);
  return out;
}

}  // namespace mechcheck::smt

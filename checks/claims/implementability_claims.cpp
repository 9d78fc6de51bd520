// Claims about which payments exist: SW-Max rules are cycle monotone (Prop E.2, so some
// payment makes them DSIC) and, being continuous, their DSIC payments are pinned down up to
// a constant (Thm 4.9 / Cor 4.10): on refining grids the range of DSIC payments and the
// distance of Rochet's payment from p^AFF shrink.
#include "checks/claims/claim_support.hpp"
#include "checks/implementability/implementability.hpp"

namespace mechcheck {

using json = nlohmann::json;

namespace {
// Three outcomes, two groups: grids of a few hundred types, solved in well under a second.
GeneratorSpec small_games() {
  GeneratorSpec spec;
  spec.min_outcomes = spec.max_outcomes = 3;
  spec.min_groups = spec.max_groups = 2;
  return spec;
}
}  // namespace

ClaimOutcome claim_prop_e_2(const ClaimContext& context) {
  ClaimOutcome outcome;
  json per_combination = json::array();
  const GeneratorSpec spec = small_games();
  const DivergenceKind rules[] = {DivergenceKind::kl, DivergenceKind::chi2, DivergenceKind::tv};
  const int count = std::max(1, context.scale / 8);
  for (const claims::Combination& combination : claims::combinations(rules)) {
    std::size_t types = 0;
    Verdict verdict = Verdict::holds;
    for (int k = 0; k < count; ++k) {
      Rng rng =
          claims::claim_stream(context, "prop-e.2", combination, static_cast<std::uint64_t>(k));
      Instance instance =
          claims::claim_instance(rng, combination, PaymentType::affine_maximizer, spec);
      instance.max_group_size = 3;
      for (Group& g : instance.groups) g.size = std::min(g.size, Rational(3));
      ImplementabilityOptions options;
      options.resolution = 4;
      options.threads = context.threads;
      const ImplementabilityResult result = analyze_implementability(instance, options);
      types += result.types;
      verdict = combine(verdict, result.verdict);
      if (result.verdict != Verdict::holds)
        outcome.evidence["first_failure"] = {{"rule", claims::combination_name(combination)},
                                             {"cycle_total", result.cycle_total}};
    }
    outcome.verdict = combine(outcome.verdict, verdict);
    per_combination.push_back({{"rule", claims::combination_name(combination)},
                               {"instances", count},
                               {"types_checked", types},
                               {"grid", "q = 4, sizes 1..3, plus the uniform report"},
                               {"verdict", verdict_name(verdict)}});
  }
  outcome.evidence["combinations"] = per_combination;
  return outcome;
}

ClaimOutcome claim_thm_4_9_grid(const ClaimContext& context) {
  ClaimOutcome outcome;
  json per_combination = json::array();
  const GeneratorSpec spec = small_games();
  const DivergenceKind rules[] = {DivergenceKind::kl, DivergenceKind::chi2};
  for (const claims::Combination& combination : claims::combinations(rules)) {
    Rng rng = claims::claim_stream(context, "thm-4.9-grid", combination, 0);
    const Instance instance =
        claims::claim_instance(rng, combination, PaymentType::affine_maximizer, spec);
    json gaps = json::array(), distances = json::array();
    double previous_gap = std::numeric_limits<double>::infinity(), previous_distance = previous_gap;
    bool shrinking = true;
    for (int q : {2, 4, 8, 16}) {
      ImplementabilityOptions options;
      options.resolution = q;
      options.sizes = {1, 2};
      options.precision = Precision::binary64;
      options.threads = context.threads;
      const ImplementabilityResult result = analyze_implementability(instance, options);
      if (result.verdict != Verdict::holds || !result.payment_equivalence_gap) {
        shrinking = false;
        break;
      }
      shrinking = shrinking && *result.payment_equivalence_gap < previous_gap &&
                  *result.distance_to_affine_maximizer < previous_distance;
      previous_gap = *result.payment_equivalence_gap;
      previous_distance = *result.distance_to_affine_maximizer;
      gaps.push_back(previous_gap);
      distances.push_back(previous_distance);
    }
    if (!shrinking) outcome.verdict = Verdict::violated;
    per_combination.push_back({{"rule", claims::combination_name(combination)},
                               {"resolutions", {2, 4, 8, 16}},
                               {"payment_equivalence_gap", gaps},
                               {"distance_to_affine_maximizer", distances}});
  }
  outcome.evidence["combinations"] = per_combination;
  return outcome;
}

}  // namespace mechcheck

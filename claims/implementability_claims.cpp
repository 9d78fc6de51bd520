// Claims about which payments exist: SW-Max rules are cycle monotone (Prop E.2, so some
// payment makes them DSIC) and, being continuous, their DSIC payments are pinned down up to
// a constant (Thm 4.9 / Cor 4.10): on refining grids the range of DSIC payments and the
// distance of Rochet's payment from p^AFF shrink.
#include <algorithm>
#include <cmath>

#include "checks/implementability/implementability.hpp"
#include "checks/smt/cycle_monotonicity.hpp"
#include "checks/smt/payment_equivalence.hpp"
#include "claims/claim_support.hpp"
#include "report/implementability_report.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"

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
      const ImplementabilityResult result =
          analyze_implementability(claims::under_test(context, instance), options);
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

namespace {

constexpr int kRefinements[] = {2, 4, 8, 16};

// One sampled instance of the combination analysed on the grids q = 2, 4, 8, 16 (sizes 1, 2;
// double): the refinement series the grid versions of Thm 4.9 and Thm 4.11 read.
// With public_sizes every size is 1 and reports are rewards only (Prop 4.6's w ≡ 1).
std::vector<ImplementabilityResult> refinement_series(const ClaimContext& context,
                                                      std::string_view claim,
                                                      const claims::Combination& combination,
                                                      bool public_sizes = false) {
  Rng rng = claims::claim_stream(context, claim, combination, 0);
  Instance instance =
      claims::claim_instance(rng, combination, PaymentType::affine_maximizer, small_games());
  if (public_sizes) {
    instance.max_group_size = 1;
    for (Group& g : instance.groups) g.size = 1;
    // TV moves off π only where score gaps exceed 2λ: a small λ keeps its policy changing on
    // the grid (with λ = 2 and unit sizes it is π everywhere and the range trivially 0).
    if (instance.rule.divergence == DivergenceKind::tv) instance.rule.lambda = Rational(1, 20);
  }
  claims::under_test(context, instance);
  std::vector<ImplementabilityResult> series;
  for (int q : claims::resolutions(context, kRefinements)) {
    ImplementabilityOptions options;
    options.resolution = q;
    options.sizes = public_sizes ? std::vector<long>{1} : std::vector<long>{1, 2};
    options.precision = Precision::binary64;
    options.threads = context.threads;
    series.push_back(analyze_implementability(instance, options));
  }
  return series;
}

// The payment-equivalence gap (the range of DSIC payments) tends to 0 as the grid refines. Judged:
// strictly smaller on each refinement (or already 0). The quantities the claims derive from it
// (Rochet's distance from p^AFF, the least non-negative payment's shortfall below p^AFF) are
// bounded by it on every grid, the finest included — both payments are DSIC and agree at a base
// type (the uniform report, where p^AFF = 0) — so they are judged against the gap as well as for
// strict decrease. Reported, not judged: the gap's decay rate from the coarsest grid to the finest
// against q^(-1/2). Lipschitz rules have gaps O(1/q) and KL meets it, but some χ² series level off
// (at q = 64 they still shrink by halving differences toward a positive value), which four grids
// cannot tell from slow convergence; the evidence shows it rather than the verdict hiding it.
// A missing value is inconclusive.
constexpr double kReferenceDecayRate = 0.5;
constexpr double kZero = 1e-12;  // a rule constant on the grid: the value is already its limit

struct Series {
  json values = json::array();
  Verdict verdict = Verdict::holds;
  std::optional<double> decay_rate;  // log(first / last) / log(q_last / q_first)
};

Series judge_series(const std::vector<std::optional<double>>& values,
                    const std::vector<int>& grids) {
  Series series;
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (!values[k]) {
      series.verdict = combine(series.verdict, Verdict::inconclusive);
      series.values.push_back(nullptr);
      continue;
    }
    series.values.push_back(*values[k]);
    if (k > 0 && values[k - 1] && !(*values[k] < *values[k - 1] || *values[k] <= kZero))
      series.verdict = Verdict::violated;
  }
  if (series.verdict != Verdict::holds || values.empty()) return series;
  const double first = *values.front(), last = *values.back();
  if (last > kZero && first > kZero && grids.back() > grids.front())
    series.decay_rate = std::log(first / last) / std::log(double(grids.back()) / grids.front());
  return series;
}

void add_decay_rate(json& entry, const Series& gap) {
  if (!gap.decay_rate) return;
  entry["gap_decay_rate"] = *gap.decay_rate;
  entry["gap_decays_like_q^-1/2"] = *gap.decay_rate >= kReferenceDecayRate;
}

// Whether every value is at most the gap of its grid (missing values are judged elsewhere).
bool within_gap(const std::vector<std::optional<double>>& values,
                const std::vector<std::optional<double>>& gaps) {
  for (std::size_t k = 0; k < values.size(); ++k)
    if (values[k] && gaps[k] && *values[k] > *gaps[k] + 1e-9) return false;
  return true;
}

// Payment equivalence on refining grids: the range of DSIC payments tends to 0, and where
// `to_affine_maximizer` says so (the continuous rules) so does Rochet's distance from p^AFF
// (Cor 4.10's "the DSIC payment is p^AFF up to a constant"). The distance is reported for every
// rule; it is judged only where the theorem says it shrinks.
ClaimOutcome payment_equivalence_series(const ClaimContext& context, std::string_view id,
                                        std::span<const DivergenceKind> rules, bool public_sizes,
                                        std::span<const DivergenceKind> to_affine_maximizer) {
  ClaimOutcome outcome;
  json per_combination = json::array();
  const std::vector<int> grids = claims::resolutions(context, kRefinements);
  for (const claims::Combination& combination : claims::combinations(rules)) {
    std::vector<std::optional<double>> gaps, distances;
    Verdict verdict = Verdict::holds;
    for (const ImplementabilityResult& result :
         refinement_series(context, id, combination, public_sizes)) {
      verdict = combine(verdict, result.verdict);
      gaps.push_back(result.payment_equivalence_gap);
      distances.push_back(result.distance_to_affine_maximizer);
    }
    const bool judge_distance = std::find(to_affine_maximizer.begin(), to_affine_maximizer.end(),
                                          combination.divergence) != to_affine_maximizer.end();
    const Series gap = judge_series(gaps, grids);
    const Series distance = judge_series(distances, grids);
    const bool distance_within_gap = within_gap(distances, gaps);
    verdict = combine(verdict, gap.verdict);
    if (judge_distance) {
      verdict = combine(verdict, distance.verdict);
      if (!distance_within_gap) verdict = Verdict::violated;
    }
    outcome.verdict = combine(outcome.verdict, verdict);
    json entry = {{"rule", claims::combination_name(combination)},
                  {"resolutions", grids},
                  {"payment_equivalence_gap", gap.values},
                  {"distance_to_affine_maximizer", distance.values},
                  {"distance_judged", judge_distance},
                  {"distance_within_gap", distance_within_gap},
                  {"verdict", verdict_name(verdict)}};
    add_decay_rate(entry, gap);
    per_combination.push_back(entry);
  }
  outcome.evidence["combinations"] = per_combination;
  outcome.evidence["sizes"] = public_sizes ? "public, all 1 (reward-only reports)" : "1, 2";
  return outcome;
}

constexpr DivergenceKind kContinuousRules[] = {DivergenceKind::kl, DivergenceKind::chi2};

}  // namespace

ClaimOutcome claim_thm_4_9_grid(const ClaimContext& context) {
  return payment_equivalence_series(context, "thm-4.9-grid", kContinuousRules, false,
                                    kContinuousRules);
}

// Prop 4.6: with w ≡ 1 public the report domain is connected, and every implementable rule is
// payment-equivalent — TV included, which Thm 4.9's continuity argument does not cover. Rochet's
// distance from p^AFF is judged for the continuous rules only: TV's Rochet payment need not
// approach p^AFF (reported, not judged).
ClaimOutcome claim_prop_4_6(const ClaimContext& context) {
  const DivergenceKind rules[] = {DivergenceKind::kl, DivergenceKind::chi2, DivergenceKind::tv};
  return payment_equivalence_series(context, "prop-4.6", rules, true, kContinuousRules);
}

ClaimOutcome claim_thm_4_11_grid(const ClaimContext& context) {
  ClaimOutcome outcome;
  json per_combination = json::array();
  const std::vector<int> grids = claims::resolutions(context, kRefinements);
  for (const claims::Combination& combination : claims::combinations(kContinuousRules)) {
    std::vector<std::optional<double>> shortfalls, gaps;
    Verdict verdict = Verdict::holds;
    for (const ImplementabilityResult& result :
         refinement_series(context, "thm-4.11-grid", combination)) {
      verdict = combine(verdict, result.verdict);
      shortfalls.push_back(result.least_nonnegative_shortfall);
      gaps.push_back(result.payment_equivalence_gap);
      // p^AFF is a non-negative DSIC payment on every grid, so the least one is below it.
      const std::optional<double>& least = result.evidence.least_nonnegative_shortfall_min;
      if (!least)
        verdict = combine(verdict, Verdict::inconclusive);
      else if (*least < -1e-9)
        verdict = Verdict::violated;
    }
    // The limit: the shortfall is at most the gap, which shrinks.
    const Series shortfall = judge_series(shortfalls, grids);
    const Series gap = judge_series(gaps, grids);
    const bool shortfall_within_gap = within_gap(shortfalls, gaps);
    verdict = combine(combine(verdict, shortfall.verdict), gap.verdict);
    if (!shortfall_within_gap) verdict = Verdict::violated;
    outcome.verdict = combine(outcome.verdict, verdict);
    json entry = {{"rule", claims::combination_name(combination)},
                  {"resolutions", grids},
                  {"max_shortfall_below_affine_maximizer", shortfall.values},
                  {"payment_equivalence_gap", gap.values},
                  {"shortfall_within_gap", shortfall_within_gap},
                  {"verdict", verdict_name(verdict)}};
    add_decay_rate(entry, gap);
    per_combination.push_back(entry);
  }
  outcome.evidence["combinations"] = per_combination;
  return outcome;
}

// Cor 4.13 on grids, at the proof's skewed instance (π = (ε, 1 − ε), group 0 wants x₁, the other
// x₂, sizes 1): every DSIC, IR and non-negative payment for group 0's types lies in [p₀, p_IR]
// (least non-negative, largest IR), which the corollary squeezes into [p^AFF, p^AFF + ε]. On each
// grid the band must be non-empty and contain p^AFF; as the grid refines its top shrinks toward
// the truthful utility u^AFF ≤ ε and its bottom toward p^AFF.
constexpr int kSkewedRefinements[] = {2, 4, 8, 16, 32};

ClaimOutcome claim_cor_4_13(const ClaimContext& context) {
  ClaimOutcome outcome;
  json per_rule = json::array();
  const Rational epsilon(1, 20);
  for (DivergenceKind divergence : {DivergenceKind::kl, DivergenceKind::chi2}) {
    Instance instance = claims::skewed_instance(divergence, epsilon, Rational(2));
    claims::under_test(context, instance);
    json excesses = json::array(), shortfalls = json::array();
    double previous_excess = std::numeric_limits<double>::infinity();
    double previous_shortfall = previous_excess;
    Verdict verdict = Verdict::holds;
    const std::vector<int> grids = claims::resolutions(context, kSkewedRefinements);
    for (int q : grids) {
      ImplementabilityOptions options;
      options.resolution = q;
      options.sizes = {1, 2};
      options.precision = Precision::binary64;
      options.threads = context.threads;
      const ImplementabilityResult result = analyze_implementability(instance, options);
      if (result.verdict != Verdict::holds || !result.largest_ir_excess) {
        verdict = combine(
            verdict, result.verdict == Verdict::holds ? Verdict::inconclusive : result.verdict);
        break;
      }
      const double excess = *result.largest_ir_excess;
      const double shortfall = *result.least_nonnegative_shortfall;
      const bool band_holds_p_aff =
          result.evidence.ir_nonnegative_room_min.value_or(-1) >= -1e-9 &&
          result.evidence.least_nonnegative_shortfall_min.value_or(-1) >= -1e-9 && excess >= -1e-9;
      // Shrinking: the bottom strictly (Thm 4.11's grid series), the top never growing.
      if (!band_holds_p_aff || shortfall >= previous_shortfall || excess > previous_excess + 1e-12)
        verdict = Verdict::violated;
      previous_excess = excess;
      previous_shortfall = shortfall;
      excesses.push_back(excess);
      shortfalls.push_back(shortfall);
    }
    // In the limit the top is at most ε: on the finest grid it may exceed ε by no more than the
    // grid's own slack, which the bottom's distance from p^AFF measures.
    const double eps = epsilon.convert_to<double>();
    if (verdict == Verdict::holds && previous_excess > eps + previous_shortfall)
      verdict = Verdict::violated;
    outcome.verdict = combine(outcome.verdict, verdict);
    per_rule.push_back({{"rule", divergence_name(divergence)},
                        {"epsilon", "1/20"},
                        {"resolutions", grids},
                        {"largest_ir_excess_over_affine_maximizer", excesses},
                        {"least_nonnegative_shortfall_below_affine_maximizer", shortfalls},
                        {"verdict", verdict_name(verdict)}});
  }
  outcome.evidence["skewed_instance"] = per_rule;
  outcome.evidence["sizes"] = "1, 2";
  return outcome;
}

namespace {

// Cycle monotonicity of a welfare rule for group 0 on the q = 4 grid with sizes 1..3, KL and χ²
// under both normalizations, at 100 digits (negative cycles re-measured before they count).
// With public_sizes every size is 1 and only rewards are reported (Prop 4.6's setting, w ≡ 1).
ClaimOutcome welfare_rule_grid(const ClaimContext& context, std::string_view id, RuleType type,
                               Rational alpha, bool public_sizes = false) {
  ClaimOutcome outcome;
  json per_combination = json::array();
  const GeneratorSpec spec = small_games();
  const DivergenceKind rules[] = {DivergenceKind::kl, DivergenceKind::chi2};
  for (const claims::Combination& combination : claims::combinations(rules)) {
    Rng rng = claims::claim_stream(context, id, combination, 0);
    Instance instance =
        claims::claim_instance(rng, combination, PaymentType::affine_maximizer, spec);
    instance.rule.type = type;
    instance.rule.alpha = alpha;
    const Rational cap = public_sizes ? 1 : 3;
    instance.max_group_size = cap;
    for (Group& g : instance.groups) g.size = std::min(g.size, cap);
    claims::under_test(context, instance);
    ImplementabilityOptions options;
    options.resolution = 4;
    options.threads = context.threads;
    const ImplementabilityResult result = analyze_implementability(instance, options);
    outcome.verdict = combine(outcome.verdict, result.verdict);
    json entry = implementability_report(result);
    entry["rule"] = claims::combination_name(combination);
    entry["instance"] = instance_to_json(instance);
    per_combination.push_back(entry);
  }
  outcome.evidence["grid"] = public_sizes
                                 ? "group 0, q = 4, size 1 (public, reward-only reports), plus "
                                   "the uniform report"
                                 : "group 0, q = 4, sizes 1..3, plus the uniform report";
  outcome.evidence["combinations"] = per_combination;
  return outcome;
}

}  // namespace

ClaimOutcome claim_maxmin_implementability(const ClaimContext& context) {
  return welfare_rule_grid(context, "maxmin-implementability", RuleType::maxmin, 0);
}

ClaimOutcome claim_nash_implementability(const ClaimContext& context) {
  return welfare_rule_grid(context, "nash-implementability", RuleType::nash, 0);
}

ClaimOutcome claim_alpha_fair_implementability(const ClaimContext& context) {
  return welfare_rule_grid(context, "alpha-fair-implementability", RuleType::power_mean, 2);
}

ClaimOutcome claim_maxmin_implementability_public_sizes(const ClaimContext& context) {
  return welfare_rule_grid(context, "maxmin-implementability-public-sizes", RuleType::maxmin, 0,
                           true);
}

ClaimOutcome claim_nash_implementability_public_sizes(const ClaimContext& context) {
  return welfare_rule_grid(context, "nash-implementability-public-sizes", RuleType::nash, 0, true);
}

// Prop E.2 by proof rather than search: on exact type grids (χ², TV × sum, max) Z3 finds a DSIC
// payment for the difference constraints (sat, checked exactly), and its payment-equivalence
// ranges equal the exact shortest paths; for the anti-SW-Max control it returns an unsat core
// holding a negative cycle.
ClaimOutcome claim_smt_prop_e_2(const ClaimContext& context) {
  ClaimOutcome outcome;
  json per_combination = json::array();
  const GeneratorSpec spec = small_games();
  const DivergenceKind rules[] = {DivergenceKind::chi2, DivergenceKind::tv};
  for (const claims::Combination& combination : claims::combinations(rules)) {
    Rng rng = claims::claim_stream(context, "smt-prop-e.2", combination, 0);
    Instance instance =
        claims::claim_instance(rng, combination, PaymentType::affine_maximizer, spec);
    instance.max_group_size = 2;
    for (Group& g : instance.groups) g.size = std::min(g.size, Rational(2));
    claims::under_test(context, instance);
    ImplementabilityOptions options;
    options.resolution = 3;
    const ExactGainGraph graph = exact_gain_graph(instance, options);
    const smt::PaymentEquivalenceResult ranges = smt::payment_equivalence_ranges(graph.gains);
    const std::optional<PaymentRanges> shortest = exact_payment_ranges(graph.gains);
    const bool agrees = ranges.ranges && shortest && ranges.ranges->lower == shortest->lower &&
                        ranges.ranges->upper == shortest->upper;
    Verdict verdict = ranges.verdict;
    if (verdict == Verdict::holds && !agrees) verdict = Verdict::violated;  // a mechcheck error
    Instance control = instance;
    control.rule.type = RuleType::anti_sw_max;
    const smt::CycleMonotonicityResult refuted =
        smt::check_cycle_monotonicity(exact_gain_graph(control, options).gains);
    if (refuted.verdict != Verdict::violated) verdict = combine(verdict, Verdict::inconclusive);
    outcome.verdict = combine(outcome.verdict, verdict);
    per_combination.push_back({{"rule", claims::combination_name(combination)},
                               {"types", graph.types.size()},
                               {"verdict", verdict_name(ranges.verdict)},
                               {"payment_equivalence_gap", to_exact_string(ranges.gap)},
                               {"ranges_equal_shortest_paths", agrees},
                               {"optimize_seconds", ranges.seconds},
                               {"anti_sw_max_control", verdict_name(refuted.verdict)},
                               {"anti_sw_max_cycle_total", to_exact_string(refuted.cycle_total)}});
  }
  outcome.evidence["grid"] = "group 0, q = 3, sizes 1..2, plus the uniform report; exact";
  outcome.evidence["combinations"] = per_combination;
  return outcome;
}

}  // namespace mechcheck

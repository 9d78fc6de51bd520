// Claims resting on the smoothness of f: Thm B.2 (the sign of t(x) when the minimum reward is
// 0), Prop 4.8 (continuity with explicit bounds) and Lemma D.2 (welfare under noise).
#include <cmath>

#include "claims/claim_support.hpp"
#include "generators/misreports.hpp"
#include "mechanisms/rlhf_game/confirm.hpp"
#include "solver/instance_solver.hpp"

namespace mechcheck {
namespace {

using claims::Combination;
using json = nlohmann::json;
using S = Float100;

// f''(r) of each smooth divergence (f = λ·f₀).
S second_derivative(DivergenceKind divergence, const S& lambda, const S& r) {
  switch (divergence) {
    case DivergenceKind::kl:
      return lambda / r;
    case DivergenceKind::chi2:
      return 2 * lambda;
    case DivergenceKind::reverse_kl:
      return lambda / (r * r);
    default:  // squared Hellinger: f′ = λ(1 − r^{-1/2})
      return lambda / (2 * r * sqrt(r));
  }
}

// A reward with minimum 0 and at least two other distinct values strictly inside (0, 1).
std::vector<Rational> zero_minimum_reward(Rng& rng, std::size_t m, Normalization normalization) {
  std::vector<Rational> weights(m, Rational(0));
  for (std::size_t x = 1; x < m; ++x) weights[x] = rng.integer(1, 1000);
  if (m >= 3 && weights[1] == weights[2]) weights[2] += 1;
  if (normalization == Normalization::max)
    weights.back() = 2000;  // the top, so 0 < rm < 1 elsewhere
  return normalize_weights(weights, normalization);
}

struct Construction {
  std::string case_name;
  std::size_t first = 0, second = 0;
  int first_sign = 0, second_sign = 0;  // ±1: direction of the ε step at each outcome (0: none)
};

// The applicable case of Thm B.2 for group 0, or nothing.
std::optional<Construction> b2_construction(const Instance& instance, std::vector<S>& t_values) {
  const Mechanism<S> mechanism = mechanism_of<S>(instance);
  const Profile<S> profile = profile_of<S>(instance);
  const auto solution = solve_sw_max(mechanism.rule, aggregate_scores(profile), mechanism.initial);
  const Vector<S>& pi = mechanism.initial;
  const Vector<S> rm = profile.rewards.col(0);
  const Eigen::Index m = rm.size();
  Vector<S> curvature(m);
  for (Eigen::Index x = 0; x < m; ++x)
    curvature[x] = second_derivative(instance.rule.divergence, mechanism.rule.lambda,
                                     S(solution.policy[x] / pi[x]));
  t_values.clear();
  for (Eigen::Index z = 0; z < m; ++z) {
    S t = 0;
    for (Eigen::Index x = 0; x < m; ++x) t += (rm[z] - rm[x]) * pi[x] / curvature[x];
    t_values.push_back(t);
  }
  const S tiny("1e-80");
  const std::vector<Rational>& exact = instance.groups[0].reward;
  auto interior = [&](Eigen::Index x) {
    return exact[static_cast<std::size_t>(x)] > 0 && exact[static_cast<std::size_t>(x)] < 1;
  };
  Eigen::Index top = 0;
  rm.maxCoeff(&top);
  for (Eigen::Index x1 = 0; x1 < m; ++x1) {
    if (!interior(x1) || abs(t_values[static_cast<std::size_t>(x1)]) <= tiny) continue;
    const S& t = t_values[static_cast<std::size_t>(x1)];
    if (instance.normalization == Normalization::max)  // case (1)
      return Construction{"max (1)", static_cast<std::size_t>(x1), 0, t > 0 ? 1 : -1, 0};
    if (t < 0 && x1 != top)  // case (2)
      return Construction{"sum (2)", static_cast<std::size_t>(x1), static_cast<std::size_t>(top),
                          -1, 1};
    if (t > 0) {  // case (3)
      for (Eigen::Index x2 = 0; x2 < m; ++x2) {
        if (x2 == x1 || !interior(x2) ||
            exact[static_cast<std::size_t>(x2)] > exact[static_cast<std::size_t>(x1)])
          continue;
        if (curvature[x1] / pi[x1] < curvature[x2] / pi[x2])
          return Construction{"sum (3)", static_cast<std::size_t>(x1), static_cast<std::size_t>(x2),
                              1, -1};
      }
    }
  }
  return std::nullopt;
}

}  // namespace

ClaimOutcome claim_thm_b_2(const ClaimContext& context) {
  ClaimOutcome outcome;
  outcome.verdict = Verdict::violated;
  json per_combination = json::array();
  GeneratorSpec spec;
  spec.min_outcomes = 3;
  spec.max_outcomes = 5;
  spec.max_groups = 3;
  const int count = 5 * std::max(1, context.scale);
  int applicable_total = 0;
  for (const Combination& combination : claims::combinations(claims::kSmoothDivergences)) {
    const auto results = claims::parallel_map<json>(
        context, static_cast<std::size_t>(count), [&](std::size_t k) -> json {
          Rng rng = claims::claim_stream(context, "thm-b.2", combination, k);
          Instance instance =
              claims::claim_instance(rng, combination, PaymentType::zero, spec, true);
          instance.groups[0].reward =
              zero_minimum_reward(rng, instance.outcome_count(), instance.normalization);
          claims::under_test(context, instance);
          std::vector<S> t_values;
          const auto construction = b2_construction(instance, t_values);
          if (!construction) return {{"applicable", false}};
          // The proof's ε is "small enough": try a decreasing sequence, keeping the report valid.
          for (long inverse : {100L, 1000L, 10000L, 100000L, 1000000L}) {
            std::vector<Rational> report = instance.groups[0].reward;
            const Rational epsilon(1, inverse);
            report[construction->first] += construction->first_sign * epsilon;
            if (construction->second_sign != 0)
              report[construction->second] += construction->second_sign * epsilon;
            bool valid = true;
            for (const Rational& r : report) valid = valid && r >= 0 && r <= 1;
            if (!valid) continue;
            Witness witness;
            witness.property = "dsic";
            witness.instance = instance;
            witness.deviation = Group{report, instance.groups[0].size};
            const ConfirmedValue gain = measure_witness(witness);
            if (gain.sign > 0)
              return {{"applicable", true},
                      {"profitable", true},
                      {"case", construction->case_name},
                      {"epsilon", "1/" + std::to_string(inverse)},
                      {"gain", gain.approx},
                      {"t", t_values[construction->first].convert_to<double>()}};
          }
          return {{"applicable", true}, {"profitable", false}, {"case", construction->case_name}};
        });
    int applicable = 0, profitable = 0;
    json cases = json::array();
    for (const json& r : results) {
      if (!r["applicable"].get<bool>()) continue;
      ++applicable;
      profitable += r["profitable"].get<bool>() ? 1 : 0;
      cases.push_back(r);
    }
    applicable_total += applicable;
    // A rule on which no drawn instance meets the condition says nothing about the theorem.
    if (applicable == 0 || profitable != applicable) outcome.verdict = Verdict::inconclusive;
    per_combination.push_back({{"rule", claims::combination_name(combination)},
                               {"instances", count},
                               {"condition_met", applicable},
                               {"profitable", profitable},
                               {"cases", cases}});
  }
  if (applicable_total == 0) outcome.verdict = Verdict::inconclusive;
  outcome.evidence["combinations"] = per_combination;
  return outcome;
}

// The solver under test: the rule's own λ divided by the context's divisor (1 in `verify`).
template <class Rule>
Rule solver_rule(const ClaimContext& context, Rule rule) {
  rule.lambda /= S(context.ingredients.solver_lambda_divisor);
  return rule;
}

// Prop 4.8: for score changes Δ with D = max|Δ|, the proof bounds max|ψ − ψ'| by
// e^{2D/λ} − 1 (KL) and D/λ (χ²). Checked at 100 digits on perturbed profiles. A bound of 1 or
// more holds for any pair of policies (probabilities differ by at most 1), so the verdict rests on
// the binding pairs, those whose bound is below 1; with none the claim is inconclusive.
ClaimOutcome claim_prop_4_8(const ClaimContext& context) {
  ClaimOutcome outcome;
  json per_combination = json::array();
  GeneratorSpec spec;
  spec.max_outcomes = 6;
  spec.max_groups = 3;
  const int count = 10 * std::max(1, context.scale);
  struct Pair {
    double ratio = 0;
    bool binding = false;
  };
  for (const Combination& combination :
       claims::combinations(std::array{DivergenceKind::kl, DivergenceKind::chi2})) {
    const auto pairs =
        claims::parallel_map<Pair>(context, static_cast<std::size_t>(count), [&](std::size_t k) {
          Rng rng = claims::claim_stream(context, "prop-4.8", combination, k);
          const Instance instance =
              claims::claim_instance(rng, combination, PaymentType::zero, spec);
          const Mechanism<S> mechanism = mechanism_of<S>(instance);
          Profile<S> profile = profile_of<S>(instance);
          const Vector<S> before = aggregate_scores(profile);
          // Perturb one group's report by a small valid move and possibly its size.
          const auto group = static_cast<Eigen::Index>(rng.integer(0, profile.group_count() - 1));
          const double delta = std::pow(10.0, -static_cast<double>(rng.integer(1, 4)));
          if (auto moved =
                  perturb<S>(profile.rewards.col(group), delta, instance.normalization, rng))
            profile.rewards.col(group) = *moved;
          if (rng.coin()) profile.sizes[group] = S(rng.integer(1, 4));
          const Vector<S> after = aggregate_scores(profile);
          const S d = (after - before).cwiseAbs().maxCoeff();
          if (d == 0) return Pair{};
          const auto solver = solver_rule(context, mechanism.rule);
          const S change = (solve_sw_max(solver, before, mechanism.initial).policy -
                            solve_sw_max(solver, after, mechanism.initial).policy)
                               .cwiseAbs()
                               .maxCoeff();
          const S& lambda = mechanism.rule.lambda;
          const S bound = combination.divergence == DivergenceKind::kl ? S(exp(2 * d / lambda) - 1)
                                                                       : S(d / lambda);
          return Pair{(change / bound).convert_to<double>(), bound < 1};
        });
    int binding = 0;
    double worst = 0, worst_binding = 0;
    for (const Pair& pair : pairs) {
      worst = std::max(worst, pair.ratio);
      if (!pair.binding) continue;
      ++binding;
      worst_binding = std::max(worst_binding, pair.ratio);
    }
    const Verdict verdict = binding == 0         ? Verdict::inconclusive
                            : worst_binding <= 1 ? Verdict::holds
                                                 : Verdict::violated;
    outcome.verdict = combine(outcome.verdict, verdict);
    per_combination.push_back(
        {{"rule", claims::combination_name(combination)},
         {"pairs", count},
         {"binding_pairs", binding},
         {"max_change_over_bound_binding", worst_binding},
         {"max_change_over_bound", worst},
         {"bound",
          combination.divergence == DivergenceKind::kl ? "exp(2D/lambda) - 1" : "D/lambda"}});
  }
  outcome.evidence["combinations"] = per_combination;
  outcome.evidence["binding"] = "pairs whose bound is below 1 (any two policies meet a bound >= 1)";
  return outcome;
}

// Lemma D.2: ASW(ψ(noisy); true) ≥ ASW(ψ(true); true) − 2ε·Σw, every group's reward perturbed
// within ε (corners and interior points of the noise cube), at 100 digits.
ClaimOutcome claim_lemma_d_2(const ClaimContext& context) {
  ClaimOutcome outcome;
  json per_combination = json::array();
  GeneratorSpec spec;
  spec.max_outcomes = 5;
  spec.max_groups = 4;
  const int count = 6 * std::max(1, context.scale);
  for (const Combination& combination : claims::combinations(claims::kAllDivergences)) {
    const auto ratios =
        claims::parallel_map<double>(context, static_cast<std::size_t>(count), [&](std::size_t k) {
          Rng rng = claims::claim_stream(context, "lemma-d.2", combination, k);
          const Instance instance =
              claims::claim_instance(rng, combination, PaymentType::zero, spec);
          const Mechanism<S> mechanism = mechanism_of<S>(instance);
          const Profile<S> truth = profile_of<S>(instance);
          const Vector<S> true_scores = aggregate_scores(truth);
          const auto best = solve_sw_max(mechanism.rule, true_scores, mechanism.initial);
          const double epsilon = rng.coin() ? 0.05 : 0.001;
          double worst = 0;
          for (int draw = 0; draw < 8; ++draw) {
            Profile<S> noisy = truth;
            for (Eigen::Index i = 0; i < noisy.group_count(); ++i)
              noisy.rewards.col(i) +=
                  bounded_noise<S>(noisy.rewards.rows(), epsilon, rng, draw % 2 == 0);
            const auto chosen = solve_sw_max(solver_rule(context, mechanism.rule),
                                             aggregate_scores(noisy), mechanism.initial);
            const S achieved = chosen.policy.dot(true_scores) -
                               divergence_value(mechanism.rule, chosen.policy, mechanism.initial);
            const S loss = best.objective - achieved;
            const S bound = 2 * S(epsilon) * truth.sizes.sum();
            worst = std::max(worst, (loss / bound).convert_to<double>());
          }
          return worst;
        });
    const double worst = *std::max_element(ratios.begin(), ratios.end());
    const Verdict verdict = worst <= 1 ? Verdict::holds : Verdict::violated;
    outcome.verdict = combine(outcome.verdict, verdict);
    per_combination.push_back({{"rule", claims::combination_name(combination)},
                               {"instances", count},
                               {"noise_draws", 8},
                               {"max_loss_over_bound", worst}});
  }
  outcome.evidence["combinations"] = per_combination;
  return outcome;
}

}  // namespace mechcheck

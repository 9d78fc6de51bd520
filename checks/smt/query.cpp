#include "checks/smt/query.hpp"

#include <algorithm>
#include <string>

#include "generators/samplers.hpp"
#include "spec/exact_number.hpp"

namespace mechcheck::smt {
namespace {

std::vector<Rational> values(const z3::model& model, const std::vector<z3::expr>& terms,
                             bool& rounded) {
  std::vector<Rational> out;
  for (const z3::expr& term : terms) out.push_back(model_value(model, term, rounded));
  return out;
}

Group group_of(const z3::model& model, const SymbolicType& type, Normalization normalization,
               bool& rounded) {
  Group group;
  group.size = model_value(model, type.size, rounded);
  for (const Rational& t : values(model, type.weighted, rounded))
    group.reward.push_back(t / group.size);
  if (rounded) {
    for (Rational& r : group.reward) r = std::max(r, Rational(0));
    group.reward = normalize_weights(group.reward, normalization);
  }
  return group;
}

}  // namespace

Relaxation relaxation_for(const SmtMechanism& mechanism, SmtProperty property) {
  if (mechanism.payment.type != PaymentType::affine_maximizer ||
      mechanism.rule == RuleKind::candidates)
    return Relaxation::none;
  switch (property) {
    case SmtProperty::ir:
      return Relaxation::without;
    case SmtProperty::nonneg:
      return Relaxation::chosen;
    default:
      return Relaxation::misreport;
  }
}

Query build_query(Encoder& encoder, SmtProperty property, const ProveOptions& options,
                  Relaxation relaxation) {
  const SmtMechanism& mechanism = encoder.mechanism();
  Query query;
  // A relaxed query depends on the other groups only through their sum, which it frees too: any
  // real vector, a superset of what n − 1 groups can report, so its proof holds for every n.
  const std::size_t listed = relaxation == Relaxation::none ? mechanism.groups : 1;
  for (std::size_t i = 0; i < listed; ++i) {
    std::string name = "g";  // appending: GCC 12 warns (-Wrestrict) about "g" + to_string(i)
    name += std::to_string(i);
    query.groups.push_back(encoder.type(name));
  }
  std::vector<z3::expr> others = encoder.zeros();
  for (std::size_t i = 1; i < listed; ++i) others = encoder.sum(others, query.groups[i].weighted);
  if (relaxation != Relaxation::none && mechanism.groups > 1)
    others = encoder.free_scores("others");
  const SymbolicType& truth = query.groups[0];
  // ASW_{-i}(ψ(rm_{-i})), the first term of Eq. (1), does not depend on group 0's report: in a
  // utility difference it cancels exactly, so DSIC queries leave it (and its policy) out.
  const bool difference = property == SmtProperty::dsic || property == SmtProperty::approx_dsic;
  std::optional<z3::expr> best;
  std::optional<PolicyTerms> free_without;
  if (relaxation == Relaxation::without) {
    free_without = encoder.any_policy("without");
    best = encoder.objective(*free_without, others);
  } else if (mechanism.payment.type == PaymentType::affine_maximizer) {
    best = difference ? encoder.context().real_val(0) : *encoder.best_without("without", others);
  }
  const bool free_misreport = relaxation == Relaxation::misreport;
  switch (property) {
    case SmtProperty::dsic: {
      const OutcomeTerms honest = encoder.outcome("truth", others, truth.weighted, truth, best);
      query.deviation = encoder.type("dev");
      const OutcomeTerms lie =
          encoder.outcome("lie", others, query.deviation->weighted, truth, best, free_misreport);
      query.goal = lie.utility > honest.utility;
      break;
    }
    case SmtProperty::ir: {
      const OutcomeTerms honest = encoder.outcome("truth", others, truth.weighted, truth, best);
      query.goal = honest.utility < 0;
      if (free_without) {
        // u_0 = ASW(ψ) − ASW_{-0}(q) ≥ ASW(q) − ASW_{-0}(q) = t_0·q ≥ 0, one step at a time.
        const std::vector<z3::expr> scores = encoder.sum(others, truth.weighted);
        query.lemmas.push_back(encoder.objective(honest.chosen, scores) >=
                               encoder.objective(*free_without, scores));
        query.lemmas.push_back(encoder.dot(truth.weighted, free_without->policy) >= 0);
      }
      break;
    }
    case SmtProperty::nonneg: {
      const OutcomeTerms honest = encoder.outcome("truth", others, truth.weighted, truth, best,
                                                  relaxation == Relaxation::chosen);
      query.goal = honest.payment < 0;
      break;
    }
    case SmtProperty::approx_dsic: {
      // The mechanism sees w·(rm + e) = t + w·e; bounding ê = w·e by w·ε keeps this linear.
      query.deviation = encoder.type("dev", truth.size);
      z3::context& context = encoder.context();
      const z3::expr bound = truth.size * encoder.number(options.epsilon);
      for (std::size_t x = 0; x < mechanism.outcomes; ++x) {
        for (auto* noise : {&query.truth_noise, &query.deviation_noise}) {
          const std::string name =
              std::string(noise == &query.truth_noise ? "noise_truth_" : "noise_dev_") +
              std::to_string(x);
          noise->push_back(context.real_const(name.c_str()));
          encoder.require(noise->back() >= -bound && noise->back() <= bound);
        }
      }
      const OutcomeTerms honest = encoder.outcome(
          "truth", others, encoder.sum(truth.weighted, query.truth_noise), truth, best);
      const OutcomeTerms lie = encoder.outcome(
          "lie", others, encoder.sum(query.deviation->weighted, query.deviation_noise), truth, best,
          free_misreport);
      query.goal = lie.utility - honest.utility > encoder.number(options.bound_factor) * bound;
      if (free_misreport) {
        // Thm 4.12's steps: ψ is optimal for the noisy scores s + ê, and the noise moves the
        // value of ψ and of q by at most w·ε each.
        const std::vector<z3::expr> noisy =
            encoder.sum(others, encoder.sum(truth.weighted, query.truth_noise));
        query.lemmas.push_back(encoder.objective(honest.chosen, noisy) >=
                               encoder.objective(lie.chosen, noisy));
        // Per outcome (w·ε ± ê_x)·p_x ≥ 0, and Σ w·ε·p_x = w·ε: products of two non-negative
        // factors and a sum nlsat takes at once, where ê·ψ ≤ w·ε in one piece took it > 10 s.
        for (const auto& [policy, sign] :
             {std::pair{&lie.chosen.policy, 1}, std::pair{&honest.chosen.policy, -1}}) {
          for (std::size_t x = 0; x < mechanism.outcomes; ++x)
            query.lemmas.push_back((bound + sign * query.truth_noise[x]) * (*policy)[x] >= 0);
          z3::expr spread = context.real_val(0);
          for (const z3::expr& p : *policy) spread = spread + bound * p;
          query.lemmas.push_back(spread == bound);
        }
      }
      break;
    }
  }
  return query;
}

Witness witness_of(const z3::model& model, const Encoder& encoder, const Query& query,
                   SmtProperty property, const ProveOptions& options) {
  const SmtMechanism& mechanism = encoder.mechanism();
  bool rounded = false;
  Witness witness;
  witness.property = std::string(smt_property_name(property));
  witness.instance = instance_mechanism(mechanism);
  if (!mechanism.initial) {
    bool initial_rounded = false;
    witness.instance.initial = values(model, encoder.initial(), initial_rounded);
    if (initial_rounded) {
      rounded = true;
      witness.instance.initial = normalize_weights(witness.instance.initial, Normalization::sum);
    }
  }
  if (!mechanism.lambda.value)
    witness.instance.rule.lambda = model_value(model, encoder.lambda(), rounded);
  for (const SymbolicType& type : query.groups)
    witness.instance.groups.push_back(group_of(model, type, mechanism.normalization, rounded));
  if (query.deviation)
    witness.deviation = group_of(model, *query.deviation, mechanism.normalization, rounded);
  if (property == SmtProperty::approx_dsic) {
    witness.epsilon = options.epsilon;
    const Rational size = witness.instance.groups[0].size;
    for (auto [from, to] : {std::pair{&query.truth_noise, &witness.truth_noise},
                            std::pair{&query.deviation_noise, &witness.deviation_noise}})
      for (const Rational& v : values(model, *from, rounded))
        to->push_back(std::clamp(Rational(v / size), Rational(-options.epsilon), options.epsilon));
  }
  witness.precision = rounded ? "exact (from rounded algebraic model values)" : "exact";
  return witness;
}

}  // namespace mechcheck::smt

// Section 4.4's practical payments and early-stopped training: Heuristic 1 (ψ(rm₋ᵢ) among the
// main run's intermediate models) and Heuristic 2 (an early-stopped run on the others'
// reports), under an exact and under a trained main rule.
#include "claims/claim_support.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck {
namespace {

using claims::Combination;
using json = nlohmann::json;

constexpr DivergenceKind kTrainable[] = {DivergenceKind::kl, DivergenceKind::chi2,
                                         DivergenceKind::tv};

// A short run of the divergence's trainer: 1 to 4 steps of mirror descent with ηλ = 1/2 (KL) or
// of projected gradient with η = 1/8 (χ², TV).
Trainer short_trainer(Rng& rng, const TrainingRule& rule) {
  Trainer trainer;
  trainer.steps = static_cast<std::uint64_t>(rng.integer(1, 4));
  if (rule.divergence == DivergenceKind::kl) {
    trainer.method = TrainerMethod::mirror_descent;
    trainer.step_size = Rational(1) / (2 * rule.lambda);
  } else {
    trainer.method = TrainerMethod::projected_gradient;
    trainer.step_size = Rational(1, 8);
  }
  return trainer;
}

enum class MainRule { exact, trained, either };

// A sampled game with the heuristic payment, the main rule exact (SW-Max, the payment declaring
// its trainer) or trained (Heuristic 2's trainer then the same as the main run's).
Instance heuristic_game(Rng& rng, const Combination& combination, PaymentType payment,
                        MainRule main) {
  GeneratorSpec spec;
  spec.max_outcomes = 4;
  spec.max_groups = 3;
  Instance instance = claims::claim_instance(rng, combination, payment, spec);
  const Trainer trainer = short_trainer(rng, instance.rule);
  const bool trained = main == MainRule::trained || (main == MainRule::either && rng.integer(0, 1));
  if (trained) {
    instance.rule.type = RuleType::trained;
    instance.rule.trainer = trainer;
    if (payment == PaymentType::heuristic_2) instance.payment.trainer = trainer;
  } else {
    instance.payment.trainer = trainer;
  }
  validate(instance);
  return instance;
}

ClaimOutcome heuristic_claim(const ClaimContext& context, std::string_view id, Property property,
                             PaymentType payment, MainRule main) {
  ClaimOutcome outcome = claims::property_over_combinations(
      context, id, property, kTrainable, 6 * std::max(1, context.scale),
      [&](Rng& rng, const Combination& combination) {
        return heuristic_game(rng, combination, payment, main);
      });
  outcome.evidence["payment"] = std::string(payment_type_name(payment));
  outcome.evidence["main_rule"] = main == MainRule::exact     ? "sw-max (exact optimum)"
                                  : main == MainRule::trained ? "trained (1-4 steps)"
                                                              : "sw-max or trained";
  outcome.evidence["trainers"] =
      "mirror-descent with step_size*lambda = 1/2 (kl), projected-gradient with step_size = 1/8 "
      "(chi2, tv), 1-4 steps";
  return outcome;
}

}  // namespace

ClaimOutcome claim_sec_4_4_h1_nonneg(const ClaimContext& context) {
  return heuristic_claim(context, "sec-4.4-h1-nonneg", Property::nonneg, PaymentType::heuristic_1,
                         MainRule::either);
}
ClaimOutcome claim_sec_4_4_h1_dsic(const ClaimContext& context) {
  return heuristic_claim(context, "sec-4.4-h1-dsic", Property::dsic, PaymentType::heuristic_1,
                         MainRule::either);
}
ClaimOutcome claim_sec_4_4_h2_dsic(const ClaimContext& context) {
  return heuristic_claim(context, "sec-4.4-h2-dsic", Property::dsic, PaymentType::heuristic_2,
                         MainRule::exact);
}
ClaimOutcome claim_sec_4_4_h2_dsic_trained(const ClaimContext& context) {
  return heuristic_claim(context, "sec-4.4-h2-dsic-trained", Property::dsic,
                         PaymentType::heuristic_2, MainRule::trained);
}
ClaimOutcome claim_sec_4_4_h2_nonneg(const ClaimContext& context) {
  return heuristic_claim(context, "sec-4.4-h2-nonneg", Property::nonneg, PaymentType::heuristic_2,
                         MainRule::exact);
}

}  // namespace mechcheck

#pragma once
// The RLHF Game as types: one instance is a mechanism (rule + payment) plus every group's
// reported reward model and size and the initial model. All numbers are exact rationals.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spec/divergence.hpp"
#include "spec/outcome_space.hpp"
#include "spec/rational.hpp"

namespace mechcheck {

enum class Normalization { sum, max };
std::string_view normalization_name(Normalization normalization);

// With v_i = E_ψ rm_i the valuation of group i:
// sw_max: ψ = argmax Σ w_i v_i − D_f (the paper's rules).
// anti_sw_max: ψ = argmax −Σ w_i v_i − D_f — it rewards a group for reporting its least preferred
// outcome, so no payment makes it DSIC; kept to demonstrate implementability failures.
// maxmin: ψ = argmax min_i w_i v_i − D_f (egalitarian, as in MaxMin-RLHF).
// nash: ψ = argmax Σ w_i log v_i − D_f (Nash social welfare).
// power_mean: the α-fair family ψ = argmax Σ w_i v_i^(1−α)/(1−α) − D_f for α ≥ 0, α ≠ 1: α = 0
// is sw_max, α = 1 is nash (Σ w_i log v_i) and α → ∞ approaches max-min fairness.
// candidates: ψ = the candidate θ ∈ Θ′ maximizing Σ w_i v_i(θ) − D_f(θ‖π), lowest index on ties
// (the paper's Section 5 takes the optimum over a finite Θ′).
// trained: ψ = the T-th iterate of a training method from π on the SW-Max objective (finite,
// early-stopped training; solver/finite_training.hpp).
enum class RuleType { sw_max, anti_sw_max, maxmin, nash, power_mean, candidates, trained };
std::string_view rule_type_name(RuleType type);

// The rules solved through their dual over SW-Max weights (solver/welfare_solver.hpp).
bool is_welfare_rule(RuleType type);

// The rules whose policy depends on the reports only through the exact scores ±Σ w_i rm_i and is
// solved on their exact gaps below the top score (sw_max, anti_sw_max); every other rule is
// evaluated on the (rounded) report profile.
bool solved_on_score_gaps(RuleType type);

// Finite training (Section 4.4): `steps` iterations from π with step size η of
//  mirror_descent (KL):          θ' ∝ θ·exp(η·(s − λ·log(θ/π))), 0 < ηλ ≤ 1;
//  projected_gradient (χ², TV):  θ' = Proj_Δ(θ + η·∇(⟨s, θ⟩ − D_f(θ‖π))).
enum class TrainerMethod { mirror_descent, projected_gradient };
std::string_view trainer_method_name(TrainerMethod method);

struct Trainer {
  TrainerMethod method = TrainerMethod::mirror_descent;
  std::uint64_t steps = 0;
  Rational step_size{1};
};

struct TrainingRule {
  RuleType type = RuleType::sw_max;
  DivergenceKind divergence = DivergenceKind::kl;
  Rational lambda{1};
  Rational alpha{0};  // power_mean's fairness α >= 0
  // candidates: Θ′ given as policies, or (when rewarded_soups is set) built from the reported
  // rewards as Section 5 does (solver/finite_rules.hpp): the single-group optima and K mixtures.
  std::vector<std::vector<Rational>> policies{};
  std::optional<std::uint64_t> rewarded_soups{};  // K
  Trainer trainer{};                              // trained
};

// Whether the rule's optimum is rational for rational inputs: SW-Max, candidate and trained rules
// with χ² or TV.
bool rule_has_rational_optimum(const TrainingRule& rule);

// The trainer methods each divergence admits: mirror descent for KL, projected gradient for χ²
// and TV.
bool trainer_fits_divergence(TrainerMethod method, DivergenceKind divergence);

// heuristic_1 and heuristic_2 are Section 4.4's cheap stand-ins for Eq. (1)'s ψ(rm₋ᵢ): the best
// for ASW₋ᵢ among the main run's intermediate models (1), or an early-stopped run on the others'
// reports (2).
enum class PaymentType { zero, affine_maximizer, heuristic_1, heuristic_2 };
std::string_view payment_type_name(PaymentType type);

struct PaymentRule {
  PaymentType type = PaymentType::affine_maximizer;
  // p_i = p_i^AFF + offset: a DSIC payment for any constant (Thm 4.11 asks which offsets keep
  // payments non-negative and utilities non-negative). Affine maximizer only.
  Rational offset{0};
  // heuristic_2: the early-stopped trainer for ψ(rm₋ᵢ); heuristic_1 under an exact (sw-max) main
  // rule: the trainer whose iterates (plus the optimum) make up Θ′.
  std::optional<Trainer> trainer{};
};

struct Group {
  std::vector<Rational> reward;  // rm_i(x) for every outcome x, normalized
  Rational size{1};              // w_i ∈ {1..w̄}
};

struct Instance {
  OutcomeSpace outcomes;
  Normalization normalization = Normalization::sum;
  std::vector<Rational> initial;  // π(x) > 0, Σ π = 1
  Rational max_group_size{1};     // w̄
  TrainingRule rule;
  PaymentRule payment;
  std::vector<Group> groups;

  std::size_t outcome_count() const { return initial.size(); }
  std::size_t group_count() const { return groups.size(); }
};

// Caps that keep a mistyped count from allocating or running for days.
inline constexpr std::uint64_t kMaxTrainerSteps = 100'000;
inline constexpr std::uint64_t kMaxCandidates = 100'000;
inline constexpr std::uint64_t kMaxRewardedSoups = 10'000;

// |Θ′| of the rewarded-soups construction with n groups and K mixtures (the simplex lattice with
// denominator K + 1: K + 2 candidates for two groups), saturating at kMaxCandidates + 1.
std::uint64_t rewarded_soup_count(std::size_t groups, std::uint64_t mixtures);

// Projected-gradient iterates are exact rationals, but their numerators and denominators grow
// by a few bits with every step: past this many steps (of the rule's or a payment's trainer) they
// are computed at 100 digits instead.
inline constexpr std::uint64_t kMaxExactTrainingSteps = 1000;

// Whether the instance is solved, confirmed and replayed in exact rationals: a rule with a
// rational optimum, and no trainer longer than kMaxExactTrainingSteps.
bool exact_arithmetic_applies(const Instance& instance);

// Checks every invariant exactly (no tolerance): for instances built in code, e.g. by
// generators. Throws SpecError naming the first offending field.
void validate(const Instance& instance);

// The reward model that makes a group's report irrelevant (Thm 4.9's rm*): 1/m everywhere
// under sum normalization, 1 everywhere under max normalization.
std::vector<Rational> uniform_reward(Normalization normalization, std::size_t outcome_count);

}  // namespace mechcheck

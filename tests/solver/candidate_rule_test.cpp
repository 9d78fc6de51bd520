// Candidate sets Θ′ (solver/candidate_rule.hpp): the choice, its tie-break, the rewarded-soups
// lattice and, for KL, the soups' known structure (a mixed-reward optimum is the normalized
// geometric mixture of the single-reward optima).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "generators/instance_gen.hpp"
#include "solver/instance_solver.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {
namespace {

using F = Float100;

TEST(CandidateRule, PicksTheBestAndTheLowestIndexOnTies) {
  const Vector<Rational> initial{{Rational(1, 2), Rational(1, 2)}};
  const Vector<Rational> scores{{Rational(1), Rational(0)}};
  const SwMaxRule<Rational> rule{DivergenceKind::chi2, Rational(1)};
  const Vector<Rational> optimum = solve_sw_max(rule, scores, initial).policy;  // (3/4, 1/4)
  const std::vector<Vector<Rational>> candidates{initial, optimum, optimum,
                                                 Vector<Rational>{{Rational(1), Rational(0)}}};
  const CandidateChoice<Rational> choice = best_candidate(rule, candidates, scores, initial);
  EXPECT_EQ(choice.index, 1);
  EXPECT_EQ(choice.solution.policy, optimum);
  EXPECT_EQ(choice.solution.objective, solve_sw_max(rule, scores, initial).objective);
}

TEST(CandidateRule, RewardedSoupLatticeOrderAndCount) {
  const std::vector<std::vector<long>> two = rewarded_soup_weights(2, 3);
  const std::vector<std::vector<long>> expected{{4, 0}, {0, 4}, {1, 3}, {2, 2}, {3, 1}};
  EXPECT_EQ(two, expected);
  for (long n = 1; n <= 4; ++n)
    for (long k = 0; k <= 5; ++k) {
      const auto weights = rewarded_soup_weights(n, k);
      EXPECT_EQ(weights.size(),
                rewarded_soup_count(static_cast<std::size_t>(n), static_cast<std::uint64_t>(k)))
          << n << " groups, " << k << " mixtures";
      for (const auto& a : weights) {
        long total = 0;
        for (long v : a) total += v;
        EXPECT_EQ(total, k + 1);
      }
    }
  EXPECT_EQ(rewarded_soup_count(3, 2), 10u);  // C(5, 2)
}

// For KL, ψ(W·Σ t_i rm_i) ∝ π·exp(W·Σ t_i rm_i/λ) = Π_i (π·exp(W·rm_i/λ))^(t_i) / normalizer:
// the soups are geometric mixtures of the single-group optima.
RC_GTEST_PROP(CandidateRule, KlSoupsAreGeometricMixturesOfTheSingleGroupOptima, ()) {
  gen::InstanceShape shape;
  shape.min_outcomes = 2;
  shape.max_outcomes = 5;
  shape.min_groups = 2;
  shape.max_groups = 3;
  shape.divergences = {DivergenceKind::kl};
  const Instance instance = *gen::instances(shape);
  const Profile<F> profile = profile_of<F>(instance);
  const Vector<F> initial = from_rationals<F>(instance.initial);
  const SwMaxRule<F> rule{DivergenceKind::kl, from_rational<F>(instance.rule.lambda)};
  const long mixtures = *rc::gen::inRange(0, 4);
  const F total = *rc::gen::inRange(1, 10);
  const auto soups = rewarded_soups(rule, profile.rewards, total, initial, mixtures);
  const auto weights = rewarded_soup_weights(profile.rewards.cols(), mixtures);
  RC_ASSERT(soups.size() == weights.size());
  const long n = profile.rewards.cols();
  for (std::size_t k = 0; k < soups.size(); ++k) {
    Vector<F> mixed = Vector<F>::Ones(initial.size());
    for (long i = 0; i < n; ++i) {
      const F t = F(weights[k][static_cast<std::size_t>(i)]) / F(mixtures + 1);
      const Vector<F> single = soups[static_cast<std::size_t>(i)];
      for (Eigen::Index x = 0; x < mixed.size(); ++x) mixed[x] *= pow(single[x], t);
    }
    mixed /= mixed.sum();
    RC_ASSERT((mixed - soups[k]).cwiseAbs().maxCoeff() <= F("1e-80"));
  }
}

// A candidate set holding the exact optimum picks it: the candidate rule agrees with SW-Max
// whenever Θ′ contains ψ^SW, and its objective never exceeds SW-Max's.
RC_GTEST_PROP(CandidateRule, ContainingTheOptimumGivesTheOptimum, ()) {
  gen::InstanceShape shape;
  shape.divergences = {DivergenceKind::chi2, DivergenceKind::tv};
  Instance instance = *gen::instances(shape);
  const MechanismOutcome<Rational> optimum = solve_instance<Rational>(instance);
  instance.rule.type = RuleType::candidates;
  instance.rule.policies = {instance.initial};
  std::vector<Rational> policy;
  for (Eigen::Index x = 0; x < optimum.solution.policy.size(); ++x)
    policy.push_back(optimum.solution.policy[x]);
  instance.rule.policies.push_back(policy);
  validate(instance);
  const MechanismOutcome<Rational> chosen = solve_instance<Rational>(instance);
  RC_ASSERT(chosen.solution.objective == optimum.solution.objective);
  RC_ASSERT(chosen.choice == 1 ||
            optimum.solution.policy == from_rationals<Rational>(instance.initial));
  // Payments over Θ′: ψ(rm₋ᵢ) is the best candidate for the others, never better than the exact
  // optimum, so the candidate payments are at most p^AFF.
  for (Eigen::Index i = 0; i < chosen.payments.size(); ++i)
    RC_ASSERT(chosen.payments[i] <= optimum.payments[i]);
}

}  // namespace
}  // namespace mechcheck

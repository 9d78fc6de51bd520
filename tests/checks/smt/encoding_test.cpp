// The encodings against the exact solver: with every report fixed, the policy Z3 finds must be
// the one solve_chi2 / solve_tv computes, boundary optima and the TV tie-break included.
#include "checks/smt/encoding.hpp"

#include <gtest/gtest.h>

#include "generators/rng.hpp"
#include "generators/samplers.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck::smt {
namespace {

void expect_encoded_policy_matches_solver(DivergenceKind divergence, std::uint64_t seed) {
  Rng rng(seed);
  Instance mechanism;
  mechanism.normalization = rng.coin() ? Normalization::sum : Normalization::max;
  mechanism.max_group_size = 3;
  mechanism.rule = {RuleType::sw_max, divergence, Rational(rng.integer(1, 8), rng.integer(1, 8))};
  GeneratorSpec spec;
  spec.min_outcomes = 2;
  spec.max_outcomes = 5;
  spec.min_groups = 1;
  spec.max_groups = 3;
  spec.reward = RewardShape::mixed;
  const Instance instance = sample_instance(rng, mechanism, spec);

  SmtMechanism smt;
  smt.outcomes = instance.outcome_count();
  smt.groups = instance.group_count();
  smt.normalization = instance.normalization;
  smt.max_group_size = instance.max_group_size;
  smt.rule = divergence == DivergenceKind::tv ? RuleKind::tv : RuleKind::chi2;
  smt.divergence = divergence;
  smt.lambda.value = instance.rule.lambda;
  smt.initial = instance.initial;
  z3::context context;
  Encoder encoder(context, smt);
  std::vector<z3::expr> scores = encoder.zeros();
  for (const Group& group : instance.groups)
    scores = encoder.sum(scores, encoder.fixed_type(group).weighted);
  const PolicyTerms terms = encoder.policy("p", scores);
  z3::solver solver(context);
  for (const z3::expr& constraint : encoder.constraints()) solver.add(constraint);
  ASSERT_EQ(solver.check(), z3::sat) << "seed " << seed;
  const z3::model model = solver.get_model();

  const Mechanism<Rational> exact = mechanism_of<Rational>(instance);
  const PolicySolution<Rational> expected =
      solve_sw_max(exact.rule, aggregate_scores(profile_of<Rational>(instance)), exact.initial);
  for (std::size_t x = 0; x < smt.outcomes; ++x) {
    bool rounded = false;
    EXPECT_EQ(model_value(model, terms.policy[x], rounded),
              expected.policy[static_cast<Eigen::Index>(x)])
        << "seed " << seed << ", outcome " << x;
    EXPECT_FALSE(rounded);
  }
  bool rounded = false;
  EXPECT_EQ(model_value(model, terms.divergence, rounded), expected.divergence) << "seed " << seed;
  // The policy is unique: no other model satisfies the constraints.
  z3::expr_vector differs(context);
  for (std::size_t x = 0; x < smt.outcomes; ++x)
    differs.push_back(terms.policy[x] != model.eval(terms.policy[x], true));
  solver.add(z3::mk_or(differs));
  EXPECT_EQ(solver.check(), z3::unsat) << "seed " << seed;
}

TEST(Encoding, Chi2PolicyIsTheExactSolversIncludingBoundaryOptima) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed)
    expect_encoded_policy_matches_solver(DivergenceKind::chi2, seed);
}

TEST(Encoding, TvPolicyIsTheExactSolversWithItsTieBreak) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed)
    expect_encoded_policy_matches_solver(DivergenceKind::tv, seed);
}

TEST(Encoding, TvTieAtTheCutoffKeepsTheInitialMass) {
  // s = (1, 1/2, 0), λ = 1/4: outcome 1 sits exactly at s_max − 2λ and keeps π; outcome 2 drops.
  SmtMechanism smt;
  smt.outcomes = 3;
  smt.rule = RuleKind::tv;
  smt.divergence = DivergenceKind::tv;
  smt.lambda.value = Rational(1, 4);
  smt.initial = std::vector<Rational>(3, Rational(1, 3));
  z3::context context;
  Encoder encoder(context, smt);
  const PolicyTerms terms =
      encoder.policy("p", {encoder.number(1), encoder.number(Rational(1, 2)), encoder.number(0)});
  z3::solver solver(context);
  for (const z3::expr& constraint : encoder.constraints()) solver.add(constraint);
  ASSERT_EQ(solver.check(), z3::sat);
  bool rounded = false;
  EXPECT_EQ(model_value(solver.get_model(), terms.policy[0], rounded), Rational(2, 3));
  EXPECT_EQ(model_value(solver.get_model(), terms.policy[1], rounded), Rational(1, 3));
  EXPECT_EQ(model_value(solver.get_model(), terms.policy[2], rounded), Rational(0));
}

}  // namespace
}  // namespace mechcheck::smt

// The optimality (KKT) conditions of every SW-Max rule, checked at 100 digits on random
// instances. Written out here independently of the solvers: for f = λf₀ and r = p/π,
//   p(x) > 0  ⇒  s(x) − f′(r(x)) = μ,      p(x) = 0  ⇒  s(x) − f′₊(0) ≤ μ,      Σ p = 1.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "generators/instance_gen.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {
namespace {

using S = Float100;
const S kTolerance("1e-85");

// The multiplier implied at an outcome with positive mass.
S implied_multiplier(const SwMaxRule<S>& rule, const S& score, const S& ratio) {
  const S& lambda = rule.lambda;
  switch (rule.divergence) {
    case DivergenceKind::kl:
      return score - lambda * (log(ratio) + 1);
    case DivergenceKind::chi2:
      return score - 2 * lambda * (ratio - 1);
    case DivergenceKind::reverse_kl:
      return score + lambda / ratio;
    case DivergenceKind::hellinger:
      return score - lambda * (1 - 1 / sqrt(ratio));
    default:
      throw std::logic_error("not a smooth rule");
  }
}

void expect_smooth_kkt(const SwMaxRule<S>& rule, const Vector<S>& scores, const Vector<S>& initial,
                       const Vector<S>& policy) {
  const S scale = std::max(S(1), S(scores.cwiseAbs().maxCoeff()));
  S mu_min = std::numeric_limits<S>::infinity(), mu_max = -mu_min;
  for (Eigen::Index x = 0; x < policy.size(); ++x) {
    if (policy[x] > 0) {
      const S mu = implied_multiplier(rule, scores[x], policy[x] / initial[x]);
      mu_min = std::min(mu_min, mu);
      mu_max = std::max(mu_max, mu);
    }
  }
  RC_ASSERT(mu_max - mu_min <= kTolerance * scale);
  for (Eigen::Index x = 0; x < policy.size(); ++x) {
    if (policy[x] == 0) {
      RC_ASSERT(rule.divergence == DivergenceKind::chi2);  // only χ² has a finite f′₊(0) here
      RC_ASSERT(scores[x] + 2 * rule.lambda <= mu_max + kTolerance * scale);
    }
  }
}

// TV: with μ = s_max − λ, p > π needs s − μ = λ; 0 < p < π needs s − μ = −λ;
// p = π needs |s − μ| ≤ λ; p = 0 needs s − μ ≤ −λ.
void expect_tv_kkt(const SwMaxRule<S>& rule, const Vector<S>& scores, const Vector<S>& initial,
                   const Vector<S>& policy) {
  const S scale = std::max(S(1), S(scores.cwiseAbs().maxCoeff()));
  const S slack = kTolerance * scale;
  const S mu = scores.maxCoeff() - rule.lambda;
  for (Eigen::Index x = 0; x < policy.size(); ++x) {
    const S gap = scores[x] - mu;
    if (policy[x] > initial[x] + slack)
      RC_ASSERT(abs(gap - rule.lambda) <= slack);
    else if (policy[x] < initial[x] - slack && policy[x] > 0)
      RC_ASSERT(abs(gap + rule.lambda) <= slack);
    else if (policy[x] == 0)
      RC_ASSERT(gap <= -rule.lambda + slack);
    else
      RC_ASSERT(abs(gap) <= rule.lambda + slack);
  }
}

RC_GTEST_PROP(Kkt, HoldsAt100DigitsForEveryDivergence, ()) {
  const Instance instance = *gen::instances();
  const Mechanism<S> mechanism = mechanism_of<S>(instance);
  const Vector<S> scores = aggregate_scores(profile_of<S>(instance));
  const auto solution = solve_sw_max(mechanism.rule, scores, mechanism.initial);
  const Vector<S>& p = solution.policy;
  RC_ASSERT(abs(p.sum() - 1) <= kTolerance);
  RC_ASSERT(p.minCoeff() >= 0);
  if (instance.rule.divergence == DivergenceKind::tv)
    expect_tv_kkt(mechanism.rule, scores, mechanism.initial, p);
  else
    expect_smooth_kkt(mechanism.rule, scores, mechanism.initial, p);
  // The reported objective and divergence are those of the returned policy.
  const S divergence = divergence_value(mechanism.rule, p, mechanism.initial);
  RC_ASSERT(abs(divergence - solution.divergence) <= kTolerance * std::max(S(1), divergence));
  RC_ASSERT(abs(p.dot(scores) - divergence - solution.objective) <=
            kTolerance * std::max(S(1), S(abs(solution.objective))));
}

// The rules with a closed form agree with the generic root-finding solver fed the same f.
RC_GTEST_PROP(Kkt, ClosedFormsAgreeWithTheGenericSeparableSolver, ()) {
  gen::InstanceShape shape;
  shape.divergences = {DivergenceKind::kl, DivergenceKind::chi2};
  const Instance instance = *gen::instances(shape);
  const Mechanism<S> mechanism = mechanism_of<S>(instance);
  const Vector<S> scores = aggregate_scores(profile_of<S>(instance));
  const auto closed = solve_sw_max(mechanism.rule, scores, mechanism.initial);
  const auto generic =
      instance.rule.divergence == DivergenceKind::kl
          ? solve_separable(KlGenerator<S>{mechanism.rule.lambda}, scores, mechanism.initial)
          : solve_separable(Chi2Generator<S>{mechanism.rule.lambda}, scores, mechanism.initial);
  RC_ASSERT((closed.policy - generic.policy).cwiseAbs().maxCoeff() <= S("1e-80"));
  RC_ASSERT(abs(closed.objective - generic.objective) <=
            S("1e-80") * std::max(S(1), S(abs(closed.objective))));
}

}  // namespace
}  // namespace mechcheck

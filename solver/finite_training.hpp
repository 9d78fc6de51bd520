#pragma once
// Finite training (the paper's Section 4.4: nobody trains to the exact optimum): T iterations
// from θ₀ = π on the SW-Max objective ⟨s, θ⟩ − D_f(θ‖π).
//
//  mirror descent (KL), 0 < ηλ ≤ 1:  θ_{t+1}(x) ∝ θ_t(x)·exp(η·(s(x) − λ·log(θ_t(x)/π(x)))).
//    With ℓ_t = log(θ_t/π) the step is ℓ_{t+1} = (1 − ηλ)ℓ_t + ηs + const, so from ℓ₀ = 0
//    ℓ_T = c_T·s/λ + const with c_T = 1 − (1 − ηλ)^T: the T-th iterate stays in the exponential
//    family and *is* the KL optimum at the temperature λ_T = λ/c_T ≥ λ (λ_T = λ from T = 1 when
//    ηλ = 1; π itself at T = 0). The rule uses this closed form; mirror_descent_iterates runs
//    the iteration itself, and the tests hold the two together.
//  projected gradient (χ², TV):  θ_{t+1} = Proj_Δ(θ_t + η·(s − ∇D_f(θ_t‖π))), with
//    ∇D = 2λ(θ/π − 1) for χ² and the subgradient λ·sign(θ − π) for TV, taking sign(0) = 0 (at
//    θ(x) = π(x) the regularizer pulls neither way: mechcheck's tie-break). Proj_Δ is the
//    Euclidean projection onto the simplex (sort-based, exact in rationals), so the iterates are
//    exact rationals for rational inputs.
// Both are invariant under adding a constant to s (Σθ = 1), so the exact score gaps s − max s
// give the same iterates as the scores.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "solver/simplex_projection.hpp"
#include "solver/sw_max.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

template <class S>
struct TrainerSteps {
  TrainerMethod method = TrainerMethod::mirror_descent;
  long steps = 0;
  S step_size{1};
};

// One projected (sub)gradient step on ⟨s, θ⟩ − D_f(θ‖π) for χ² or TV.
template <class S>
Vector<S> projected_gradient_step(const SwMaxRule<S>& rule, const Vector<S>& scores,
                                  const Vector<S>& initial, const S& step_size,
                                  const Vector<S>& theta) {
  Vector<S> y(theta.size());
  for (Eigen::Index x = 0; x < theta.size(); ++x) {
    S pull;
    if (rule.divergence == DivergenceKind::chi2)
      pull = 2 * rule.lambda * (theta[x] / initial[x] - 1);
    else
      pull = theta[x] > initial[x] ? rule.lambda : theta[x] < initial[x] ? S(-rule.lambda) : S(0);
    y[x] = theta[x] + step_size * (scores[x] - pull);
  }
  return project_to_simplex(y);
}

// c_T = 1 − (1 − ηλ)^T, computed as −expm1(T·log1p(−ηλ)) so that small ηλ keeps its digits.
template <class S>
S mirror_descent_progress(const S& lambda, const S& step_size, long steps) {
  using std::expm1;
  using std::log1p;
  const S rate = step_size * lambda;
  if (steps == 0) return S(0);
  if (rate >= 1) return S(1);
  return -expm1(S(static_cast<long>(steps)) * log1p(S(-rate)));
}

// The KL temperature of the T-th mirror-descent iterate: λ/c_T (T ≥ 1).
template <class S>
S mirror_descent_temperature(const S& lambda, const S& step_size, long steps) {
  return lambda / mirror_descent_progress(lambda, step_size, steps);
}

// The policy with its objective and divergence at a given θ (not an optimum: multiplier 0).
template <class S>
PolicySolution<S> evaluate_policy(const SwMaxRule<S>& rule, const Vector<S>& scores,
                                  const Vector<S>& initial, Vector<S> policy) {
  PolicySolution<S> out;
  out.divergence = divergence_value(rule, policy, initial);
  out.objective = policy.dot(scores) - out.divergence;
  out.policy = std::move(policy);
  return out;
}

// The t-th iterate for t = 0..T through mirror descent's closed form, or the T + 1 iterates of
// projected gradient: the candidate set of Heuristic 1, and (its last) the trained rule's policy.
template <class S>
std::vector<Vector<S>> training_iterates(const SwMaxRule<S>& rule, const TrainerSteps<S>& trainer,
                                         const Vector<S>& scores, const Vector<S>& initial,
                                         bool last_only = false) {
  std::vector<Vector<S>> iterates;
  const long first = last_only ? trainer.steps : 0;
  if (trainer.method == TrainerMethod::mirror_descent) {
    if constexpr (ScalarTraits<S>::exact) {
      throw UnsupportedPrecision(
          "mirror descent's iterates are irrational; use a floating precision");
    } else {
      for (long t = first; t <= trainer.steps; ++t)
        iterates.push_back(
            t == 0 ? initial
                   : solve_kl(scores, initial,
                              mirror_descent_temperature(rule.lambda, trainer.step_size, t))
                         .policy);
    }
    return iterates;
  }
  Vector<S> theta = initial;
  if (first == 0) iterates.push_back(theta);
  for (long t = 1; t <= trainer.steps; ++t) {
    theta = projected_gradient_step(rule, scores, initial, trainer.step_size, theta);
    if (t >= first) iterates.push_back(theta);
  }
  return iterates;
}

// θ_T: the trained rule's policy.
template <class S>
PolicySolution<S> train(const SwMaxRule<S>& rule, const TrainerSteps<S>& trainer,
                        const Vector<S>& scores, const Vector<S>& initial) {
  return evaluate_policy(rule, scores, initial,
                         std::move(training_iterates(rule, trainer, scores, initial, true).back()));
}

// Mirror descent run step by step in the log domain, ℓ ← (1 − ηλ)ℓ + ηs − log Σ π e^ℓ: the
// iteration the closed form above replaces, kept to test it against (T + 1 iterates).
template <class S>
std::vector<Vector<S>> mirror_descent_iterates(const S& lambda, const S& step_size, long steps,
                                               const Vector<S>& scores, const Vector<S>& initial) {
  using std::exp;
  using std::log;
  const Eigen::Index m = scores.size();
  Vector<S> log_ratio = Vector<S>::Zero(m);  // ℓ = log(θ/π)
  std::vector<Vector<S>> iterates{initial};
  for (long t = 1; t <= steps; ++t) {
    log_ratio = (1 - step_size * lambda) * log_ratio + step_size * scores;
    const S top = log_ratio.maxCoeff();
    S mass = 0;
    for (Eigen::Index x = 0; x < m; ++x) mass += initial[x] * exp(log_ratio[x] - top);
    log_ratio.array() -= top + log(mass);
    Vector<S> theta(m);
    for (Eigen::Index x = 0; x < m; ++x) theta[x] = initial[x] * exp(log_ratio[x]);
    iterates.push_back(std::move(theta));
  }
  return iterates;
}

}  // namespace mechcheck

#pragma once
// The SW-Max training rule ψ = argmax_p Σ_x p(x)s(x) − D_f(p‖π) for every named divergence,
// and D_f itself for any policy (payments and checks evaluate it off the optimum).
#include <cmath>
#include <stdexcept>
#include <string>

#include "solver/chi2_solver.hpp"
#include "solver/kl_solver.hpp"
#include "solver/separable_generators.hpp"
#include "solver/separable_solver.hpp"
#include "solver/tv_solver.hpp"
#include "spec/divergence.hpp"

namespace mechcheck {

template <class S>
struct SwMaxRule {
  DivergenceKind divergence = DivergenceKind::kl;
  S lambda{1};
};

// Thrown when exact arithmetic is asked of a divergence whose optimum is irrational.
class UnsupportedPrecision : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

template <class S>
PolicySolution<S> solve_sw_max(const SwMaxRule<S>& rule, const Vector<S>& scores,
                               const Vector<S>& initial) {
  switch (rule.divergence) {
    case DivergenceKind::chi2:
      return solve_chi2(scores, initial, rule.lambda);
    case DivergenceKind::tv:
      return solve_tv(scores, initial, rule.lambda);
    default:
      break;
  }
  if constexpr (ScalarTraits<S>::exact) {
    throw UnsupportedPrecision(std::string(divergence_name(rule.divergence)) +
                               " has irrational optima; exact precision supports chi2 and tv");
  } else {
    switch (rule.divergence) {
      case DivergenceKind::kl:
        return solve_kl(scores, initial, rule.lambda);
      case DivergenceKind::reverse_kl:
        return solve_separable(ReverseKlGenerator<S>{rule.lambda}, scores, initial);
      case DivergenceKind::hellinger:
        return solve_separable(HellingerGenerator<S>{rule.lambda}, scores, initial);
      default:
        throw std::logic_error("solve_sw_max: unhandled divergence");
    }
  }
}

// D_f(p‖π) = Σ_x π(x) f(p(x)/π(x)) with f = λ·f₀; +∞ where f₀(0) is (reverse KL).
template <class S>
S divergence_value(const SwMaxRule<S>& rule, const Vector<S>& policy, const Vector<S>& initial) {
  S total = 0;
  const Eigen::Index m = policy.size();
  switch (rule.divergence) {
    case DivergenceKind::chi2:
      for (Eigen::Index x = 0; x < m; ++x) {
        const S shift = policy[x] - initial[x];
        total += shift * shift / initial[x];
      }
      return rule.lambda * total;
    case DivergenceKind::tv:
      for (Eigen::Index x = 0; x < m; ++x)
        total += policy[x] > initial[x] ? S(policy[x] - initial[x]) : S(initial[x] - policy[x]);
      return rule.lambda * total;
    default:
      break;
  }
  if constexpr (ScalarTraits<S>::exact) {
    throw UnsupportedPrecision(std::string(divergence_name(rule.divergence)) +
                               " divergence is irrational; exact precision supports chi2 and tv");
  } else {
    auto accumulate = [&](const auto& generator) {
      for (Eigen::Index x = 0; x < m; ++x)
        total += initial[x] * centred_divergence_term(generator, S(policy[x] / initial[x]));
      return total;
    };
    switch (rule.divergence) {
      case DivergenceKind::kl:
        return accumulate(KlGenerator<S>{rule.lambda});
      case DivergenceKind::reverse_kl:
        return accumulate(ReverseKlGenerator<S>{rule.lambda});
      case DivergenceKind::hellinger:
        return accumulate(HellingerGenerator<S>{rule.lambda});
      default:
        throw std::logic_error("divergence_value: unhandled divergence");
    }
  }
}

}  // namespace mechcheck

#pragma once
// What a training-rule solver returns: the policy and the certificate-relevant numbers.
#include <stdexcept>

#include "solver/scalar.hpp"

namespace mechcheck {

// The working precision cannot represent the optimum (e.g. the multiplier sits within rounding
// of a singularity of (f′)⁻¹); instance solving retries with more digits.
class NumericalFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A NumericalFailure that is the working precision's limit, not the method's: the problem's own
// scale (a power-mean rule's dual weights) needs more digits than the precision has.
class PrecisionExhausted : public NumericalFailure {
 public:
  using NumericalFailure::NumericalFailure;
};

template <class S>
struct PolicySolution {
  Vector<S> policy;  // ψ: a distribution over outcomes
  S objective{};     // Σ_x p(x) s(x) − D_f(p‖π): the optimal value
  S divergence{};    // D_f(p‖π)
  S multiplier{};  // μ, the Lagrange multiplier of Σ p = 1 (KKT: s(x) − f′(p/π) = μ on the support)
};

}  // namespace mechcheck

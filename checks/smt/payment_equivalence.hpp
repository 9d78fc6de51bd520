#pragma once
// Payment equivalence on a finite type set as exact optimization (Z3 `optimize`): for every type
// t, the minimum and maximum of p(t) − p(t*) (t* = types[0]) over every DSIC payment, i.e. over
//   p(t*) = 0,  p(b) − p(a) ≤ l(a, b)  for all a ≠ b.
// The feasible set of difference constraints is closed under componentwise max and min, and it is
// bounded (the graph is complete: −l(t, t*) ≤ p(t) ≤ l(t*, t)), so the componentwise maximum U
// and minimum L are themselves DSIC payments; they are the unique optima of max Σ p and min Σ p.
// Strategy::summed asks Z3 exactly that (two optimize calls); Strategy::per_type asks 2(K−1)
// single-objective calls (push/pop), as a cross-check. Z3 4.8's `opt.priority box` is not used:
// it returns wrong values when a term is both minimized and maximized (x ∈ [−3, 5] gives
// min x = max x = 0).
// Every answer is certified exactly before it is returned: U and L satisfy every constraint, and
// every type is reached from t* (for U; into t* for L) along edges that are tight, which makes
// them the shortest-path distances U(t) = V(t*, t), L(t) = −V(t, t*).
#include <optional>
#include <string>
#include <vector>

#include "checks/implementability/implementability.hpp"
#include "checks/smt/cycle_monotonicity.hpp"

namespace mechcheck::smt {

struct PaymentEquivalenceOptions {
  enum class Strategy { summed, per_type };
  Strategy strategy = Strategy::summed;
  unsigned timeout_ms = 60000;  // per optimize call; 0: no limit
};

struct PaymentEquivalenceResult {
  // holds: ranges certified; violated: no DSIC payment (negative cycle attached); inconclusive:
  // Z3 gave up, or its answer failed the exact certificate (reason says which).
  Verdict verdict = Verdict::inconclusive;
  std::string reason;
  std::optional<PaymentRanges> ranges;  // p(t) − p(t*) ∈ [lower[t], upper[t]], both attained
  Rational gap{0};                      // max_t upper[t] − lower[t]
  std::size_t widest = 0;               // a type attaining the gap
  std::vector<std::size_t> cycle;       // violated: from check_cycle_monotonicity
  Rational cycle_total{0};
  std::size_t optimize_calls = 0;
  double seconds = 0;  // Z3 optimize time
};

PaymentEquivalenceResult payment_equivalence_ranges(const Matrix<Rational>& gains,
                                                    const PaymentEquivalenceOptions& options = {});

}  // namespace mechcheck::smt

#pragma once
// Cycle monotonicity on a finite type set as a Z3 query over difference constraints (Rochet):
// with l(a, b) what type b gains by reporting b rather than a, a DSIC payment exists iff
//   ∃ p:  p(types[0]) = 0,  p(b) − p(a) ≤ l(a, b)  for all a ≠ b.
// Every edge constraint is tracked, so `unsat` comes with an unsat core; the core's edges contain
// a negative cycle (Farkas for difference constraints), which is read off with an exact
// Bellman–Ford on the core's edges alone and re-added exactly from the Rational gains.
// `sat` comes with a model whose payment is checked exactly against every constraint. Nothing
// Z3 says is reported without that exact check: a failed check is "inconclusive".
#include <optional>
#include <string>
#include <vector>

#include "checks/verdict.hpp"
#include "solver/scalar.hpp"

namespace mechcheck::smt {

struct CycleMonotonicityOptions {
  unsigned timeout_ms = 10000;  // 0: no limit
  bool smt2 = false;            // attach the query as SMT-LIB 2 text
};

struct CycleMonotonicityResult {
  Verdict verdict = Verdict::inconclusive;
  std::string reason;  // inconclusive: why (Z3's reason for unknown, or a failed exact check)
  // holds: a DSIC payment with payment[0] = 0, satisfying every constraint exactly.
  std::vector<Rational> payment;
  // violated: type indices t₀ → t₁ → … → t₀ (the first is not repeated, the smallest index
  // first) with Σ l(t_j, t_{j+1}) = cycle_total < 0, exactly.
  std::vector<std::size_t> cycle;
  Rational cycle_total{0};
  std::size_t core_size = 0;  // violated: edge constraints in Z3's unsat core
  std::size_t constraints = 0;
  double build_seconds = 0;  // building the query
  double solve_seconds = 0;  // Z3's check()
  std::string smt2;          // when asked for
};

// `gains` is K×K (K ≥ 1) with gains(a, b) = l(a, b); the diagonal is ignored.
CycleMonotonicityResult check_cycle_monotonicity(const Matrix<Rational>& gains,
                                                 const CycleMonotonicityOptions& options = {});

// Σ gains(t_j, t_{j+1}) around the cycle (exact).
Rational cycle_total(const Matrix<Rational>& gains, const std::vector<std::size_t>& cycle);

}  // namespace mechcheck::smt

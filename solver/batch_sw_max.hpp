#pragma once
// Many SW-Max solves at once in double (issue #13): one rule (divergence, λ) and one π, a batch of
// score vectors, vectorized across the batch.
//
// Layout: structure of arrays. Scores, policies and scratch are m × batch Eigen arrays, column b
// being game b, stored row-major so that row x — outcome x of every game — is contiguous. Every
// step of a solve is then a row operation over the whole batch, the reductions over outcomes m row
// additions. The KL hot loops (column extremes, z = (s − top)/λ, exp, the sums, the policy) are
// plain loops (solver/batch_kernel_loops.hpp) compiled as AVX2, SSE2 and scalar variants, one
// chosen at run time (solver/batch_kernels.hpp: select_batch_kernels; all give the same bits, no
// FMA contraction); exp is exp_nonpositive, the one log per column libm's (std::log: Eigen's array
// log would round a column differently at the batch's tail than in its packets). The near-initial
// KL formulas (λ ≥ spread) use libm expm1/log1p on the gathered columns.
//
// Routes. KL and χ² are solved by the batch kernels. KL: a column whose answer the kernel cannot
// certify to agree with the scalar solve_sw_max to 1e-13 relative (non-finite scores, an exp
// argument in the subnormal range, cancellation in the divergence or objective beyond
// `condition_limit` — in particular λ ≫ the score spread, where the scalar's own divergence is
// rounding-dominated) is flagged and recomputed by the scalar path, so its answer is the scalar's
// bit for bit. χ²: the support and multiplier are found per column by the scalar's sort and scan
// (std::sort in workspace buffers), everything else as row operations in the scalar's order, so
// every finite column is the scalar's answer bit for bit, boundary optima included; non-finite
// columns take the scalar path. Other divergences, non-positive or non-finite λ and π with
// non-normal entries take the scalar path for every column. `route` says which path each column
// took.
//
// Allocation: the caller owns the solution and the workspace; both are resized only when the
// batch shape grows, so repeated solves of same-shaped batches allocate nothing on the batch route
// (the χ² sort uses buffers in the workspace too). The scalar route allocates as
// solve_sw_max does.
//
// Accuracy of the vectorized exp/log (tests/solver/batch_sw_max_test.cpp, against MPFR at
// 100 digits): see kExpMaxUlp / kLogMaxUlp below.
#include <cstdint>
#include <utility>
#include <vector>

#include "solver/sw_max.hpp"

namespace mechcheck {
namespace detail {
struct BatchKernelTable;  // solver/batch_kernels.hpp
}

using BatchArray = Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using BatchRow = Eigen::Array<double, 1, Eigen::Dynamic>;

enum class BatchRoute : std::uint8_t { batch = 0, scalar = 1 };

struct BatchSwMaxSolution {
  BatchArray policy;                           // m × batch: ψ of each column
  BatchRow objective, divergence, multiplier;  // 1 × batch, as PolicySolution
  std::vector<BatchRoute> route;               // the path that computed each column
  Eigen::Index scalar_count = 0;               // columns on the scalar route

  Eigen::Index size() const { return policy.cols(); }
  // Column b as the scalar solver returns it (allocates: for tests and occasional callers).
  PolicySolution<double> column(Eigen::Index b) const;
};

// Scratch for BatchSwMaxSolver::solve; reusable across solves and rules, not across threads.
struct BatchSwMaxWorkspace {
  BatchArray a, b;                  // m × batch
  BatchRow r[12];                   // 1 × batch
  BatchRow flag;                    // 1 × batch, nonzero: scalar route
  BatchArray g[4];                  // m × batch, viewed at the width of a subset
  BatchRow q[10];                   // 1 × batch, likewise
  std::vector<Eigen::Index> index;  // the subset's columns
  Vector<double> column_scores;     // a flagged column for the scalar route
  std::vector<std::pair<double, Eigen::Index>> ranked;  // χ² sort
  std::vector<double> outside_mass;
};

// exp(z) for z ≤ 0 as the batch route computes it, by the selected kernel variant
// (solver/batch_kernels.hpp; identical bits in each): within kExpMaxUlp of exp for z ≥
// log(DBL_MIN), 0 below (where exp is subnormal or 0). out may alias z.
void exp_nonpositive(const double* z, double* out, Eigen::Index count);

class BatchSwMaxSolver {
 public:
  // Bounds on the error of the vectorized kernels against MPFR (100 digits), asserted by the
  // tests: exp_nonpositive on [log(DBL_MIN), 0] (the only arguments the batch route
  // exponentiates; measured 1.0 ulp), libm's log on normal positive doubles (glibc documents
  // < 1 ulp; asserted ≤ kLogMaxUlp).
  static constexpr double kExpMaxUlp = 2.0;
  static constexpr double kLogMaxUlp = 2.0;
  // A column goes to the scalar route when an output's rounding-error amplification (the ratio of
  // the magnitudes summed to the result) exceeds this.
  // With a per-term error of a few ε this keeps the batch answers within 1e-13 of the scalar's.
  static constexpr double condition_limit = 32;

  BatchSwMaxSolver(SwMaxRule<double> rule, Vector<double> initial);

  // True when KL and χ² columns of this rule and π can take the batch route at all.
  bool vectorized() const { return vectorized_; }
  const SwMaxRule<double>& rule() const { return rule_; }
  const Vector<double>& initial() const { return initial_; }

  // scores: m × batch, m = initial().size(). Every column solved as solve_sw_max(rule, col, π).
  void solve(const Eigen::Ref<const BatchArray>& scores, BatchSwMaxSolution& out,
             BatchSwMaxWorkspace& work) const;

 private:
  void solve_kl(const detail::BatchKernelTable& kernels, const Eigen::Ref<const BatchArray>& scores,
                BatchSwMaxSolution& out, BatchSwMaxWorkspace& work) const;
  void solve_chi2(const Eigen::Ref<const BatchArray>& scores, BatchSwMaxSolution& out,
                  BatchSwMaxWorkspace& work) const;
  void solve_scalar_column(const Eigen::Ref<const BatchArray>& scores, Eigen::Index b,
                           BatchSwMaxSolution& out, BatchSwMaxWorkspace& work) const;

  SwMaxRule<double> rule_;
  Vector<double> initial_;
  double mass_ = 0;  // Σπ as the scalar solvers sum it
  bool vectorized_ = false;
};

}  // namespace mechcheck

#include "solver/batch_sw_max.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mechcheck {
namespace {

// exp(z) is a normal double for z ≥ log(DBL_MIN) and rounds to 0 below kExpZero. Eigen's pexp
// clamps its argument at −709.78 (it never returns a subnormal or 0), so the batch route sets
// exp(z) = 0 below kExpZero and sends a column with any z in between to the scalar route.
constexpr double kLogMinNormal = -708.3964185322641;  // log(2^−1022), rounded down
constexpr double kExpZero = -745.2;                   // exp(z) < 2^−1075 below this

// Grows (never shrinks) a scratch array to at least rows × cols and views it at that shape.
// Eigen's resize reallocates on any change of size, so a shape change is the only allocation.
void fit(BatchArray& array, Eigen::Index rows, Eigen::Index cols) {
  if (array.rows() != rows || array.cols() != cols) array.resize(rows, cols);
}
void fit(BatchRow& row, Eigen::Index cols) {
  if (row.cols() != cols) row.resize(cols);
}

}  // namespace

PolicySolution<double> BatchSwMaxSolution::column(Eigen::Index b) const {
  PolicySolution<double> solution;
  solution.policy = policy.col(b).matrix();
  solution.objective = objective[b];
  solution.divergence = divergence[b];
  solution.multiplier = multiplier[b];
  return solution;
}

BatchSwMaxSolver::BatchSwMaxSolver(SwMaxRule<double> rule, Vector<double> initial)
    : rule_(rule), initial_(std::move(initial)) {
  mass_ = initial_.sum();
  bool normal_initial = initial_.size() > 0;
  for (Eigen::Index x = 0; x < initial_.size(); ++x)
    normal_initial = normal_initial && std::isfinite(initial_[x]) &&
                     initial_[x] >= std::numeric_limits<double>::min();
  vectorized_ =
      (rule_.divergence == DivergenceKind::kl || rule_.divergence == DivergenceKind::chi2) &&
      normal_initial && std::isfinite(rule_.lambda) &&
      rule_.lambda >= std::numeric_limits<double>::min();
}

void BatchSwMaxSolver::solve(const Eigen::Ref<const BatchArray>& scores, BatchSwMaxSolution& out,
                             BatchSwMaxWorkspace& work) const {
  const Eigen::Index m = scores.rows(), batch = scores.cols();
  if (m != initial_.size())
    throw std::invalid_argument("BatchSwMaxSolver::solve: scores have " + std::to_string(m) +
                                " outcomes, the initial model " + std::to_string(initial_.size()));
  fit(out.policy, m, batch);
  fit(out.objective, batch);
  fit(out.divergence, batch);
  fit(out.multiplier, batch);
  out.route.assign(static_cast<std::size_t>(batch), BatchRoute::batch);
  fit(work.flag, batch);
  work.flag.setZero();
  if (batch == 0) {
    out.scalar_count = 0;
    return;
  }
  if (!vectorized_) {
    work.flag.setOnes();
  } else {
    // Non-finite scores anywhere in a column make Σ s·0 NaN: scalar route.
    BatchRow& finite = work.r[0];
    fit(finite, batch);
    finite.setZero();
    for (Eigen::Index x = 0; x < m; ++x) finite += scores.row(x) * 0.0;
    work.flag = (finite == 0.0).select(work.flag, 1.0);
    if (rule_.divergence == DivergenceKind::kl)
      solve_kl(scores, out, work);
    else
      solve_chi2(scores, out, work);
  }
  out.scalar_count = 0;
  for (Eigen::Index b = 0; b < batch; ++b)
    if (!(work.flag[b] == 0.0)) {
      out.route[static_cast<std::size_t>(b)] = BatchRoute::scalar;
      ++out.scalar_count;
      solve_scalar_column(scores, b, out, work);
    }
}

void BatchSwMaxSolver::solve_scalar_column(const Eigen::Ref<const BatchArray>& scores,
                                           Eigen::Index b, BatchSwMaxSolution& out,
                                           BatchSwMaxWorkspace& work) const {
  work.column_scores = scores.col(b).matrix();
  const PolicySolution<double> solution = solve_sw_max(rule_, work.column_scores, initial_);
  out.policy.col(b) = solution.policy.array();
  out.objective[b] = solution.objective;
  out.divergence[b] = solution.divergence;
  out.multiplier[b] = solution.multiplier;
}

// solve_kl (solver/kl_solver.hpp) column by column, as row operations. Columns whose spread is at
// most λ take solve_kl_near_initial's formulas, the others the top-shifted softmax; when both kinds
// are present both are computed for the whole batch and selected per column. Comparisons and
// selects are plain loops over a contiguous row (Eigen 3.4 does not vectorize them inside
// expressions, and an expression holding one would evaluate its exp coefficient by coefficient).
void BatchSwMaxSolver::solve_kl(const Eigen::Ref<const BatchArray>& scores, BatchSwMaxSolution& out,
                                BatchSwMaxWorkspace& work) const {
  const Eigen::Index m = scores.rows(), batch = scores.cols();
  const double lambda = rule_.lambda, limit = condition_limit;
  for (BatchRow& row : work.r) fit(row, batch);
  BatchRow &top = work.r[0], &low = work.r[1], &total = work.r[2], &log_total = work.r[3],
           &sum1 = work.r[4], &sum2 = work.r[5], &sum3 = work.r[6], &sum4 = work.r[7],
           &flag_far = work.r[8], &flag_near = work.r[9], &near = work.r[10];
  top = scores.row(0);
  low = scores.row(0);
  for (Eigen::Index x = 1; x < m; ++x) {
    top = top.max(scores.row(x));
    low = low.min(scores.row(x));
  }
  // Non-finite columns hold NaN/inf from here on; they are flagged and their values discarded.
  bool any_near = false, any_far = false;
  for (Eigen::Index b = 0; b < batch; ++b) {
    near[b] = (top[b] - low[b]) <= lambda ? 1.0 : 0.0;
    any_near = any_near || near[b] != 0.0;
    any_far = any_far || near[b] == 0.0;
  }
  BatchArray &z = work.b, &weight = work.a, &growth = work.c;
  fit(z, m, batch);
  fit(weight, m, batch);
  const double min_normal = std::numeric_limits<double>::min();
  flag_far.setZero();
  flag_near.setZero();

  if (any_far) {
    // weight(x) = π(x)·exp((s(x) − s_max)/λ), z divided as the scalar divides it (so it is the
    // same double and only exp's rounding differs); exp(z) is 0 below log(DBL_MIN) (the column is
    // flagged when that is not exp's rounding to 0).
    total.setZero();
    for (Eigen::Index x = 0; x < m; ++x) {
      z.row(x) = (scores.row(x) - top) / lambda;
      weight.row(x) = initial_[x] * z.row(x).exp();
      const double* zr = z.row(x).data();
      double* wr = weight.row(x).data();
      double* fr = flag_far.data();
      for (Eigen::Index b = 0; b < batch; ++b) {
        const bool tiny = zr[b] < kLogMinNormal;
        wr[b] = tiny ? 0.0 : wr[b];
        fr[b] = tiny && zr[b] >= kExpZero ? 1.0 : fr[b];
      }
      total += weight.row(x);
    }
    log_total = total.log();
    BatchRow& gap_sum = sum1;
    gap_sum.setZero();
    for (Eigen::Index x = 0; x < m; ++x) {
      out.policy.row(x) = weight.row(x) / total;
      gap_sum += out.policy.row(x) * (scores.row(x) - top);
    }
    // D = Σ p·(s − s_max) − λL', OPT = s_max + λL', μ = s_max + λ(L' − 1).
    out.divergence = gap_sum - lambda * log_total;
    out.objective = top + lambda * log_total;
    out.multiplier = top + lambda * (log_total - 1.0);
    for (Eigen::Index b = 0; b < batch; ++b) {
      const double spread = lambda * std::abs(log_total[b]);
      const bool certain = total[b] >= min_normal &&
                           -gap_sum[b] + spread <= limit * out.divergence[b] &&
                           std::abs(top[b]) + spread <= limit * std::abs(out.objective[b]);
      flag_far[b] = certain ? flag_far[b] : 1.0;
    }
  }

  if (any_near) {
    // solve_kl_near_initial: u = z − E_π z, growth = e^u − 1, Z − 1 = E_π growth.
    BatchRow &mean = sum1, &excess = sum2, &first = sum3, &second = sum4;
    BatchRow &log_excess = total, &absolute = log_total;  // the far path is done with these
    BatchArray& policy = weight;
    mean.setZero();
    for (Eigen::Index x = 0; x < m; ++x) {
      z.row(x) = (scores.row(x) - top) / lambda;
      mean += initial_[x] * z.row(x);
    }
    mean /= mass_;
    excess.setZero();
    first.setZero();
    second.setZero();
    absolute.setZero();
    fit(growth, m, batch);
    for (Eigen::Index x = 0; x < m; ++x) {
      z.row(x) -= mean;
      growth.row(x) = z.row(x).expm1();
      excess += initial_[x] * growth.row(x);
      first += initial_[x] * z.row(x);
      second += initial_[x] * (growth.row(x) * z.row(x));
      absolute += initial_[x] * z.row(x).abs();
    }
    excess /= mass_;
    first /= mass_;
    second /= mass_;
    absolute /= mass_;
    log_excess = excess.log1p();
    BatchRow &divergence = flag_near, &welfare = low;  // flag_near is set after their last use
    BatchRow& abs_welfare = top;                       // top's last use is the multiplier below
    welfare.setZero();
    for (Eigen::Index x = 0; x < m; ++x) {
      policy.row(x) = initial_[x] * (growth.row(x) + 1.0) / (mass_ * (1.0 + excess));
      welfare += policy.row(x) * scores.row(x);
    }
    divergence = lambda * ((first + second) / (1.0 + excess) - log_excess);
    for (Eigen::Index b = 0; b < batch; ++b) {
      if (near[b] == 0.0) continue;
      for (Eigen::Index x = 0; x < m; ++x) out.policy(x, b) = policy(x, b);
      out.divergence[b] = divergence[b];
      out.objective[b] = welfare[b] - divergence[b];
      out.multiplier[b] = top[b] + lambda * (mean[b] + log_excess[b] - 1.0);
    }
    // Conditions: the divergence is λ·(first + second)/(1 + excess) − λ·log1p(excess) with first
    // the rounding residue of E_π u (≈ ε·E_π|u|); the objective ⟨p, s⟩ − D. (A rounding of the
    // mean shifts every u alike, which D does not see to first order.)
    abs_welfare.setZero();
    for (Eigen::Index x = 0; x < m; ++x) abs_welfare += policy.row(x) * scores.row(x).abs();
    for (Eigen::Index b = 0; b < batch; ++b) {
      if (near[b] == 0.0) continue;
      const double d = out.divergence[b];
      const bool certain =
          lambda * (absolute[b] + second[b] + std::abs(log_excess[b])) <= limit * d &&
          abs_welfare[b] + d <= limit * std::abs(out.objective[b]);
      flag_near[b] = certain ? 0.0 : 1.0;
    }
  }
  for (Eigen::Index b = 0; b < batch; ++b) {
    const double route_flag = near[b] != 0.0 ? flag_near[b] : flag_far[b];
    work.flag[b] = route_flag != 0.0 ? 1.0 : work.flag[b];
  }
}

// solve_chi2 (solver/chi2_solver.hpp) column by column. The support and multiplier come from the
// scalar's own algorithm on each column — one std::sort of (score, index) pairs and the prefix
// scan, in workspace buffers — so τ and μ are the scalar's doubles; the policy, divergence and
// objective are then row operations over the batch in the scalar's order, so every column equals
// the scalar answer bit for bit (boundary optima, p = 0 exactly, included). A sort-free support
// search (the O(m²) maximum over the linear pieces τ_A) sums in another order and would need a
// certification step near the threshold; not done (issue #13).
void BatchSwMaxSolver::solve_chi2(const Eigen::Ref<const BatchArray>& scores,
                                  BatchSwMaxSolution& out, BatchSwMaxWorkspace& work) const {
  const Eigen::Index m = scores.rows(), batch = scores.cols();
  const double lambda = rule_.lambda, two_lambda = 2 * lambda;
  for (BatchRow& row : work.r) fit(row, batch);
  BatchRow &top = work.r[0], &threshold = work.r[1], &multiplier = work.r[2],
           &divergence = work.r[3], &welfare = work.r[4];
  BatchArray& shifted = work.b;
  fit(shifted, m, batch);
  top = scores.row(0);
  for (Eigen::Index x = 1; x < m; ++x) top = top.max(scores.row(x));
  for (Eigen::Index x = 0; x < m; ++x) shifted.row(x) = scores.row(x) - top;

  auto& ranked = work.ranked;
  auto& outside_mass = work.outside_mass;
  ranked.resize(static_cast<std::size_t>(m));
  outside_mass.resize(static_cast<std::size_t>(m) + 1);
  for (Eigen::Index b = 0; b < batch; ++b) {
    threshold[b] = multiplier[b] = 0;
    if (work.flag[b] != 0.0) continue;  // non-finite: the scalar route
    for (Eigen::Index x = 0; x < m; ++x) ranked[static_cast<std::size_t>(x)] = {scores(x, b), x};
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& u, const auto& v) { return u.first > v.first; });
    outside_mass[static_cast<std::size_t>(m)] = 0;
    for (std::size_t k = ranked.size(); k-- > 0;)
      outside_mass[k] = outside_mass[k + 1] + initial_[ranked[k].second];
    double mass = 0, weighted = 0, mu = 0, tau = 0;
    std::size_t k = 0;
    while (k < ranked.size()) {
      const double level = shifted(ranked[k].second, b);
      while (k < ranked.size() && shifted(ranked[k].second, b) == level) {
        mass += initial_[ranked[k].second];
        weighted += initial_[ranked[k].second] * shifted(ranked[k].second, b);
        ++k;
      }
      mu = (weighted - two_lambda * outside_mass[k]) / mass;
      tau = mu - two_lambda;
      if (k == ranked.size() || shifted(ranked[k].second, b) <= tau) break;
    }
    threshold[b] = tau;
    multiplier[b] = mu;
  }

  // p = π·(h − τ)/2λ on h > τ; D = λ·Σ π (r − 1)² with r − 1 = (h − μ)/2λ there and −1 elsewhere.
  divergence.setZero();
  welfare.setZero();
  for (Eigen::Index x = 0; x < m; ++x) {
    const double p0 = initial_[x];
    const double *h = shifted.row(x).data(), *s = scores.row(x).data();
    const double *ts = threshold.data(), *us = multiplier.data();
    double* policy = out.policy.row(x).data();
    double *ds = divergence.data(), *ws = welfare.data();
    for (Eigen::Index b = 0; b < batch; ++b) {
      const bool active = h[b] > ts[b];
      const double deviation = active ? (h[b] - us[b]) / two_lambda : -1.0;
      policy[b] = active ? p0 * (h[b] - ts[b]) / two_lambda : 0.0;
      ds[b] += p0 * deviation * deviation;
      ws[b] += policy[b] * s[b];
    }
  }
  out.divergence = lambda * divergence;
  out.objective = welfare - out.divergence;
  out.multiplier = top + multiplier;
}

}  // namespace mechcheck

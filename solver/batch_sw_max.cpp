#include "solver/batch_sw_max.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "solver/batch_kernels.hpp"

namespace mechcheck {
namespace {

// Grows (never shrinks) a scratch array to at least rows × cols and views it at that shape.
// Eigen's resize reallocates on any change of size, so a shape change is the only allocation.
void fit(BatchArray& array, Eigen::Index rows, Eigen::Index cols) {
  if (array.rows() != rows || array.cols() != cols) array.resize(rows, cols);
}
void fit(BatchRow& row, Eigen::Index cols) {
  if (row.cols() != cols) row.resize(cols);
}

}  // namespace

void exp_nonpositive(const double* z, double* out, Eigen::Index count) {
  detail::batch_kernel_table().exp_nonpositive(z, out, count);
}

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
    // One variant for the whole solve (solver/batch_kernels.hpp), whatever is selected meanwhile.
    const detail::BatchKernelTable& kernels = detail::batch_kernel_table();
    // work.r[0], r[1]: each column's top and bottom score; non-finite columns: scalar route.
    for (BatchRow& row : work.r) fit(row, batch);
    kernels.column_extremes(scores.data(), scores.outerStride(), m, batch, work.r[0].data(),
                            work.r[1].data(), work.r[11].data(), work.flag.data());
    if (rule_.divergence == DivergenceKind::kl)
      solve_kl(kernels, scores, out, work);
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
void BatchSwMaxSolver::solve_kl(const detail::BatchKernelTable& kernels,
                                const Eigen::Ref<const BatchArray>& scores, BatchSwMaxSolution& out,
                                BatchSwMaxWorkspace& work) const {
  const Eigen::Index m = scores.rows(), batch = scores.cols();
  const double lambda = rule_.lambda, limit = condition_limit;
  for (BatchRow& row : work.r) fit(row, batch);
  BatchRow &top = work.r[0], &low = work.r[1], &total = work.r[2], &log_total = work.r[3],
           &sum1 = work.r[4], &flag_far = work.r[8], &flag_near = work.r[9], &near = work.r[10];
  // top, low: from solve(). Non-finite columns hold NaN/inf from here on; they are flagged and
  // their values discarded.
  double near_count = 0;
  for (Eigen::Index b = 0; b < batch; ++b) {
    near[b] = (top[b] - low[b]) <= lambda ? 1.0 : 0.0;
    near_count += near[b];
  }
  const bool any_near = near_count > 0, any_far = near_count < static_cast<double>(batch);
  BatchArray &z = work.b, &weight = work.a;
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
    kernels.kl_weights(scores.data(), scores.outerStride(), m, batch, initial_.data(), lambda,
                       top.data(), z.data(), weight.data(), batch, total.data(), flag_far.data());
    // libm's log, column by column: Eigen's array log takes its packet path for the first
    // columns and std::log for the tail, so a column's bits would depend on its position in the
    // batch — and a report's gain on which batch the regret search put it in.
    for (Eigen::Index b = 0; b < batch; ++b) log_total[b] = std::log(total[b]);
    BatchRow& gap_sum = sum1;
    gap_sum.setZero();
    kernels.kl_policy(scores.data(), scores.outerStride(), m, batch, top.data(), weight.data(),
                      batch, total.data(), out.policy.data(), batch, gap_sum.data());
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
    // solve_kl_near_initial on the near columns, gathered (in the experiments they are a minority,
    // and its expm1/log1p are libm calls: Eigen 3.4 has no double packet expm1 under SSE2).
    // u = z − E_π z, growth = e^u − 1, Z − 1 = E_π growth.
    auto& index = work.index;
    index.clear();
    for (Eigen::Index b = 0; b < batch; ++b)
      if (near[b] != 0.0) index.push_back(b);
    const auto k = static_cast<Eigen::Index>(index.size());
    // Fixed-shape scratch (m × batch) viewed at k columns: no reallocation as k varies.
    for (BatchArray& array : work.g) fit(array, m, batch);
    for (BatchRow& row : work.q) fit(row, batch);
    auto s = work.g[0].leftCols(k);
    auto u = work.g[1].leftCols(k);
    auto growth = work.g[2].leftCols(k);
    auto policy = work.g[3].leftCols(k);
    auto top_k = work.q[0].head(k);
    auto mean = work.q[1].head(k);
    auto excess = work.q[2].head(k);
    auto first = work.q[3].head(k);
    auto second = work.q[4].head(k);
    auto absolute = work.q[5].head(k);
    auto log_excess = work.q[6].head(k);
    auto divergence = work.q[7].head(k);
    auto welfare = work.q[8].head(k);
    auto abs_welfare = work.q[9].head(k);
    for (Eigen::Index x = 0; x < m; ++x)
      for (Eigen::Index j = 0; j < k; ++j) s(x, j) = scores(x, index[static_cast<std::size_t>(j)]);
    for (Eigen::Index j = 0; j < k; ++j) top_k[j] = top[index[static_cast<std::size_t>(j)]];
    mean.setZero();
    for (Eigen::Index x = 0; x < m; ++x) {
      u.row(x) = (s.row(x) - top_k) / lambda;
      mean += initial_[x] * u.row(x);
    }
    mean /= mass_;
    excess.setZero();
    first.setZero();
    second.setZero();
    absolute.setZero();
    for (Eigen::Index x = 0; x < m; ++x) {
      u.row(x) -= mean;
      growth.row(x) = u.row(x).expm1();
      excess += initial_[x] * growth.row(x);
      first += initial_[x] * u.row(x);
      second += initial_[x] * (growth.row(x) * u.row(x));
      absolute += initial_[x] * u.row(x).abs();
    }
    excess /= mass_;
    first /= mass_;
    second /= mass_;
    absolute /= mass_;
    for (Eigen::Index b = 0; b < excess.size(); ++b)  // libm, as log_total above
      log_excess[b] = std::log1p(excess[b]);
    welfare.setZero();
    abs_welfare.setZero();
    for (Eigen::Index x = 0; x < m; ++x) {
      policy.row(x) = initial_[x] * (growth.row(x) + 1.0) / (mass_ * (1.0 + excess));
      welfare += policy.row(x) * s.row(x);
      abs_welfare += policy.row(x) * s.row(x).abs();
    }
    divergence = lambda * ((first + second) / (1.0 + excess) - log_excess);
    // Conditions: the divergence is λ·(first + second)/(1 + excess) − λ·log1p(excess) with first
    // the rounding residue of E_π u (≈ ε·E_π|u|); the objective ⟨p, s⟩ − D. (A rounding of the
    // mean shifts every u alike, which D does not see to first order.)
    for (Eigen::Index j = 0; j < k; ++j) {
      const Eigen::Index b = index[static_cast<std::size_t>(j)];
      for (Eigen::Index x = 0; x < m; ++x) out.policy(x, b) = policy(x, j);
      const double d = divergence[j], objective = welfare[j] - d;
      out.divergence[b] = d;
      out.objective[b] = objective;
      out.multiplier[b] = top_k[j] + lambda * (mean[j] + log_excess[j] - 1.0);
      const bool certain =
          lambda * (absolute[j] + second[j] + std::abs(log_excess[j])) <= limit * d &&
          abs_welfare[j] + d <= limit * std::abs(objective);
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
  // top: from solve().
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

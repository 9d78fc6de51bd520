// rewarded_soups in double as one batch solve (issue #13): a candidates rule with rewarded soups
// solves its lattice for every evaluation of a report, the regret search's inner loop.
#include <algorithm>

#include "solver/batch_sw_max.hpp"
#include "solver/candidate_rule.hpp"

namespace mechcheck {
namespace {

// Per thread and kept between calls: a check evaluates thousands of reports of one shape, so the
// lattice, the score array and the solver's buffers are built once.
struct SoupScratch {
  long groups = -1, mixtures = -1;
  std::vector<std::vector<long>> lattice;
  BatchArray coefficients, scores;
  BatchSwMaxSolution solution;
  BatchSwMaxWorkspace work;
};

}  // namespace

std::vector<Vector<double>> rewarded_soups_batched(const SwMaxRule<double>& rule,
                                                   const Matrix<double>& rewards, double total_size,
                                                   const Vector<double>& initial, long mixtures) {
  thread_local SoupScratch scratch;
  const long n = rewards.cols();
  if (scratch.groups != n || scratch.mixtures != mixtures) {
    scratch.lattice = rewarded_soup_weights(n, mixtures);
    scratch.groups = n;
    scratch.mixtures = mixtures;
  }
  const Eigen::Index m = rewards.rows(), count = static_cast<Eigen::Index>(scratch.lattice.size());
  // Each group's coefficient W·a_i/(K + 1) in every soup, 0 where a_i = 0.
  BatchArray& coefficients = scratch.coefficients;
  if (coefficients.rows() != n || coefficients.cols() != count) coefficients.resize(n, count);
  for (Eigen::Index k = 0; k < count; ++k)
    for (long i = 0; i < n; ++i) {
      const long a = scratch.lattice[static_cast<std::size_t>(k)][static_cast<std::size_t>(i)];
      coefficients(i, k) = a == 0 ? 0.0 : total_size * double(a) / double(mixtures + 1);
    }
  // In chunks of at most kChunkEntries scores: the solver's scratch is several arrays of the
  // chunk's shape, kept per thread, and Θ′ may hold 10⁴ soups of 10⁵ outcomes. A column's answer
  // does not depend on the chunk it is solved in (tests/solver/batch_sw_max_test.cpp).
  constexpr Eigen::Index kChunkEntries = Eigen::Index{1} << 16;
  const Eigen::Index chunk = std::clamp<Eigen::Index>(kChunkEntries / std::max<Eigen::Index>(m, 1),
                                                      1, std::max<Eigen::Index>(count, 1));
  const BatchSwMaxSolver solver(rule, initial);
  std::vector<Vector<double>> candidates(static_cast<std::size_t>(count));
  BatchArray& scores = scratch.scores;
  for (Eigen::Index first = 0; first < count; first += chunk) {
    const Eigen::Index width = std::min(chunk, count - first);
    if (scores.rows() != m || scores.cols() != width) scores.resize(m, width);
    // rewarded_soup_scores's arithmetic per entry, a row (one outcome of every soup) at a time: 0
    // plus each group's term in group order. A zero coefficient adds ±0, which leaves the sum's
    // bits as skipping the term does (rewards are finite).
    for (Eigen::Index x = 0; x < m; ++x) {
      scores.row(x).setZero();
      for (long i = 0; i < n; ++i)
        scores.row(x) += coefficients.row(i).segment(first, width) * rewards(x, i);
    }
    solver.solve(scores, scratch.solution, scratch.work);
    for (Eigen::Index k = 0; k < width; ++k)
      candidates[static_cast<std::size_t>(first + k)] = scratch.solution.policy.col(k).matrix();
  }
  return candidates;
}

}  // namespace mechcheck

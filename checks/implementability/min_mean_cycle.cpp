#include "checks/implementability/min_mean_cycle.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace mechcheck {

// Why Howard rather than Karp: Karp's O(K³) is tight on every input and keeps a (K+1)×K table
// of walk weights (2.4 GB at K = 5,000 in 100 digits). Howard's rounds cost O(K²) on a dense
// graph — here O(K) for the mean step, because on a complete graph the best other mean is the
// global minimum or the runner-up — and take a handful of rounds in practice (Dasdan 2004's
// comparison: the fastest of the minimum-mean algorithms). No known polynomial bound, hence the
// guard. It is exact with rationals: means and potentials are sums and one division per cycle.
//
// Policy: one out-edge per node. Value determination: every node of the policy graph leads to
// one cycle; its mean is η(v), and the potential x(v) = w(v, π(v)) − η + x(π(v)), with x at one
// reference node of each cycle kept from the previous round (so an unchanged cycle keeps its
// potentials: what makes the iteration terminate, Cochet-Terrasson et al. §4). Improvement:
// first move any node to a strictly smaller η; only when none can, to a strictly smaller
// w(v, u) − η(v) + x(u) than x(v). Stop when no node moves.
template <class S>
std::optional<MeanCycle<S>> minimum_mean_cycle(const Matrix<S>& weights, const S& tolerance) {
  const Eigen::Index k = weights.rows();
  if (weights.cols() != k)
    throw std::invalid_argument("minimum_mean_cycle: the weight matrix is not square");
  if (k < 2) return std::nullopt;
  const auto n = static_cast<std::size_t>(k);
  auto at = [](Eigen::Index i) { return static_cast<std::size_t>(i); };

  // Start from every node's cheapest out-edge (columns outermost: Eigen is column-major).
  std::vector<Eigen::Index> policy(n, -1);
  std::vector<S> best(n);
  for (Eigen::Index b = 0; b < k; ++b)
    for (Eigen::Index a = 0; a < k; ++a)
      if (a != b && (policy[at(a)] < 0 || weights(a, b) < best[at(a)]))
        best[at(a)] = weights(a, b), policy[at(a)] = b;

  std::vector<S> eta(n), x(n, S(0));
  std::vector<Eigen::Index> choice(n), path;
  std::vector<int> state(n);             // 0 unvisited, 1 on the current walk, 2 done
  std::vector<Eigen::Index> references;  // one node per cycle of the policy graph
  const long limit = 10 * static_cast<long>(k) + 1000;
  int round = 0;
  for (;; ++round) {
    if (round > limit)
      throw std::runtime_error("minimum_mean_cycle: no convergence after " + std::to_string(limit) +
                               " rounds");
    // Value determination.
    std::fill(state.begin(), state.end(), 0);
    references.clear();
    for (Eigen::Index start = 0; start < k; ++start) {
      if (state[at(start)] != 0) continue;
      path.clear();
      Eigen::Index v = start;
      while (state[at(v)] == 0) state[at(v)] = 1, path.push_back(v), v = policy[at(v)];
      std::size_t tree_end = path.size();  // path[0, tree_end) hangs off a known node
      if (state[at(v)] == 1) {             // a new cycle: path[position of v ..]
        tree_end = static_cast<std::size_t>(std::find(path.begin(), path.end(), v) - path.begin());
        S total = 0;
        for (std::size_t j = tree_end; j < path.size(); ++j)
          total += weights(path[j], policy[at(path[j])]);
        const S mean = total / S(static_cast<long>(path.size() - tree_end));
        references.push_back(v);
        eta[at(v)] = mean;  // x[v] keeps its previous value
        for (std::size_t j = path.size() - 1; j > tree_end; --j) {
          const Eigen::Index u = path[j], next = policy[at(u)];
          eta[at(u)] = mean;
          x[at(u)] = weights(u, next) - mean + x[at(next)];
        }
      }
      for (std::size_t j = tree_end; j-- > 0;) {
        const Eigen::Index u = path[j], next = policy[at(u)];
        eta[at(u)] = eta[at(next)];
        x[at(u)] = weights(u, next) - eta[at(u)] + x[at(next)];
      }
      for (Eigen::Index u : path) state[at(u)] = 2;
    }

    // Improvement by the mean: the best other node is the argmin of η, or the runner-up.
    Eigen::Index first = 0, second = 1;
    if (eta[1] < eta[0]) std::swap(first, second);
    for (Eigen::Index v = 2; v < k; ++v) {
      if (eta[at(v)] < eta[at(first)])
        second = first, first = v;
      else if (eta[at(v)] < eta[at(second)])
        second = v;
    }
    bool changed = false;
    for (Eigen::Index v = 0; v < k; ++v) {
      const Eigen::Index u = v == first ? second : first;
      if (eta[at(u)] < eta[at(v)] - tolerance) policy[at(v)] = u, changed = true;
    }
    if (changed) continue;

    // Improvement by the potential.
    for (Eigen::Index a = 0; a < k; ++a) {
      choice[at(a)] = policy[at(a)];
      best[at(a)] = weights(a, policy[at(a)]) + x[at(policy[at(a)])];
    }
    S candidate;
    for (Eigen::Index b = 0; b < k; ++b)
      for (Eigen::Index a = 0; a < k; ++a) {
        if (a == b) continue;
        candidate = weights(a, b);
        candidate += x[at(b)];
        if (candidate < best[at(a)]) best[at(a)] = candidate, choice[at(a)] = b;
      }
    for (Eigen::Index a = 0; a < k; ++a)
      if (choice[at(a)] != policy[at(a)] && best[at(a)] - eta[at(a)] < x[at(a)] - tolerance)
        policy[at(a)] = choice[at(a)], changed = true;
    if (!changed) break;
  }

  // The policy graph's cycle of smallest mean, from its smallest node.
  Eigen::Index reference = references.front();
  for (Eigen::Index r : references)
    if (eta[at(r)] < eta[at(reference)]) reference = r;
  MeanCycle<S> result;
  Eigen::Index v = reference;
  do result.cycle.push_back(v), v = policy[at(v)];
  while (v != reference);
  std::rotate(result.cycle.begin(), std::min_element(result.cycle.begin(), result.cycle.end()),
              result.cycle.end());
  result.total = 0;
  for (std::size_t j = 0; j < result.cycle.size(); ++j)
    result.total += weights(result.cycle[j], result.cycle[(j + 1) % result.cycle.size()]);
  result.mean = result.total / S(static_cast<long>(result.cycle.size()));
  result.potential = std::move(x);
  result.iterations = round + 1;
  return result;
}

#define MECHCHECK_MIN_MEAN_CYCLE(S) \
  template std::optional<MeanCycle<S>> minimum_mean_cycle<S>(const Matrix<S>&, const S&);
MECHCHECK_MIN_MEAN_CYCLE(double)
MECHCHECK_MIN_MEAN_CYCLE(Float50)
MECHCHECK_MIN_MEAN_CYCLE(Float100)
MECHCHECK_MIN_MEAN_CYCLE(Float200)
MECHCHECK_MIN_MEAN_CYCLE(Rational)

}  // namespace mechcheck

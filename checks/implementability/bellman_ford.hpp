#pragma once
// Bellman–Ford on a dense graph of K nodes with weights(a, b), over the edges `allowed` keeps
// (all by default): the one copy behind implementability's exact payment ranges and the SMT
// cross-check of a Z3 unsat core. `source` < 0 means a virtual source joined to every node.
// Returns a negative cycle (node list) if one is reachable, else fills `distance`.
#include <algorithm>
#include <limits>
#include <vector>

#include "solver/scalar.hpp"

namespace mechcheck {

struct AllEdges {
  bool operator()(Eigen::Index, Eigen::Index) const { return true; }
};

template <class S, class Allowed = AllEdges>
std::vector<Eigen::Index> bellman_ford(const Matrix<S>& weights, Eigen::Index source,
                                       const S& tolerance, std::vector<S>& distance,
                                       Allowed allowed = {}) {
  const Eigen::Index k = weights.rows();
  distance.assign(static_cast<std::size_t>(k), source < 0 ? S(0) : std::numeric_limits<S>::max());
  std::vector<Eigen::Index> parent(static_cast<std::size_t>(k), -1);
  std::vector<bool> reached(static_cast<std::size_t>(k), source < 0);
  if (source >= 0)
    distance[static_cast<std::size_t>(source)] = 0,
    reached[static_cast<std::size_t>(source)] = true;
  Eigen::Index last = -1;
  for (Eigen::Index round = 0; round < k; ++round) {
    last = -1;
    for (Eigen::Index a = 0; a < k; ++a) {
      if (!reached[static_cast<std::size_t>(a)]) continue;
      const S from = distance[static_cast<std::size_t>(a)];
      for (Eigen::Index b = 0; b < k; ++b) {
        if (a == b || !allowed(a, b)) continue;
        const S candidate = from + weights(a, b);
        if (!reached[static_cast<std::size_t>(b)] ||
            candidate < distance[static_cast<std::size_t>(b)] - tolerance) {
          distance[static_cast<std::size_t>(b)] = candidate;
          parent[static_cast<std::size_t>(b)] = a;
          reached[static_cast<std::size_t>(b)] = true;
          last = b;
        }
      }
    }
    if (last < 0) return {};
  }
  // Still relaxing after K rounds: walk back K steps to land on the cycle, then read it off.
  Eigen::Index node = last;
  for (Eigen::Index step = 0; step < k; ++step) node = parent[static_cast<std::size_t>(node)];
  std::vector<Eigen::Index> cycle{node};
  for (Eigen::Index at = parent[static_cast<std::size_t>(node)]; at != node;
       at = parent[static_cast<std::size_t>(at)])
    cycle.push_back(at);
  std::reverse(cycle.begin(), cycle.end());
  return cycle;
}

}  // namespace mechcheck

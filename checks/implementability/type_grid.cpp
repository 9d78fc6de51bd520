#include "checks/implementability/type_grid.hpp"

#include <cmath>
#include <set>
#include <stdexcept>

namespace mechcheck {

std::vector<std::vector<Rational>> lattice_rewards(std::size_t m, Normalization normalization,
                                                   int q, std::size_t limit) {
  if (q < 1) throw std::invalid_argument("resolution must be >= 1");
  // Count first (in long double: no overflow) so an oversized grid is refused before it is built.
  long double count = 1;
  if (normalization == Normalization::sum) {
    for (std::size_t k = 1; k < m; ++k)
      count = count * static_cast<long double>(q + static_cast<int>(k)) / k;  // C(q+m−1, m−1)
  } else {
    count = std::pow(static_cast<long double>(q + 1), m) - std::pow(static_cast<long double>(q), m);
  }
  if (count > static_cast<long double>(limit))
    throw std::invalid_argument("the grid would have " +
                                std::to_string(static_cast<double>(count)) +
                                " reward models (limit " + std::to_string(limit) + ")");
  std::vector<std::vector<Rational>> out;
  std::vector<int> k(m, 0);
  // Depth-first over entries; sum: the last entry takes what is left; max: some entry equals q.
  auto emit = [&] {
    std::vector<Rational> reward;
    for (int v : k) reward.emplace_back(v, q);
    out.push_back(std::move(reward));
  };
  auto walk = [&](auto&& self, std::size_t x, int used, bool has_top) -> void {
    if (x + 1 == m && normalization == Normalization::sum) {
      k[x] = q - used;
      emit();
      return;
    }
    if (x == m) {
      if (has_top) emit();
      return;
    }
    const int high = normalization == Normalization::sum ? q - used : q;
    for (int v = 0; v <= high; ++v) {
      k[x] = v;
      self(self, x + 1, used + v, has_top || v == q);
    }
  };
  if (m > 0) walk(walk, 0, 0, false);
  return out;
}

std::vector<Group> type_grid(std::size_t m, Normalization normalization, int q,
                             const std::vector<long>& sizes, const std::vector<Group>& extra) {
  std::vector<Group> types;
  std::set<std::pair<std::vector<Rational>, Rational>> seen;
  auto add = [&](const Group& g) {
    if (seen.insert({g.reward, g.size}).second) types.push_back(g);
  };
  const std::vector<Rational> uniform = uniform_reward(normalization, m);
  for (long w : sizes) add(Group{uniform, w});  // the reference types first
  for (const auto& reward : lattice_rewards(m, normalization, q))
    for (long w : sizes) add(Group{reward, w});
  for (const Group& g : extra) add(g);
  return types;
}

}  // namespace mechcheck

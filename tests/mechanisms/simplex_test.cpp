// Keeping searched reports legal (mechanisms/rlhf_game/simplex.hpp): the projections give legal
// reports, the simplex projection is the nearest point (its optimality condition), and the
// in-place form the ascent uses on a point's reward head gives project_report's bits and leaves
// the rest of the point alone.
#include "mechanisms/rlhf_game/simplex.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <vector>

#include "generators/rng.hpp"

namespace mechcheck {
namespace {

Vector<double> random_vector(Rng& rng, Eigen::Index m) {
  Vector<double> v(m);
  for (Eigen::Index x = 0; x < m; ++x) v[x] = rng.uniform(-1.5, 2.5);
  return v;
}

TEST(Simplex, ProjectionsAreLegalAndTheSimplexOneIsNearest) {
  Rng rng(7);
  for (int trial = 0; trial < 2000; ++trial) {
    const Eigen::Index m = 1 + trial % 12;
    const Vector<double> v = random_vector(rng, m);
    const Vector<double> p = project_report(v, Normalization::sum);
    EXPECT_NEAR(p.sum(), 1.0, 1e-12) << trial;
    EXPECT_GE(p.minCoeff(), 0.0) << trial;
    // Nearest point of a convex set: ⟨v − p, q − p⟩ ≤ 0 for every q in it (here its vertices).
    for (Eigen::Index x = 0; x < m; ++x) {
      const Vector<double> vertex = Vector<double>::Unit(m, x);
      EXPECT_LE((v - p).dot(vertex - p), 1e-12) << trial << " vertex " << x;
    }
    const Vector<double> q = project_report(v, Normalization::max);
    EXPECT_EQ(q.maxCoeff(), 1.0) << trial;
    EXPECT_GE(q.minCoeff(), 0.0) << trial;
  }
}

TEST(Simplex, InPlaceOnAPointsHeadGivesTheSameBits) {
  Rng rng(11);
  std::vector<double> scratch;
  for (int trial = 0; trial < 2000; ++trial) {
    const Eigen::Index m = 1 + trial % 12;
    for (Normalization normalization : {Normalization::sum, Normalization::max}) {
      const Vector<double> v = random_vector(rng, m);
      Vector<double> point(m + 1);
      point.head(m) = v;
      point[m] = 7.0;  // the size
      project_report_in_place(point.head(m), normalization, scratch);
      const Vector<double> expected = project_report(v, normalization);
      for (Eigen::Index x = 0; x < m; ++x)
        ASSERT_EQ(std::bit_cast<std::uint64_t>(point[x]), std::bit_cast<std::uint64_t>(expected[x]))
            << trial << " entry " << x;
      ASSERT_EQ(point[m], 7.0);
    }
  }
}

}  // namespace
}  // namespace mechcheck

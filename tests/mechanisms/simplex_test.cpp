// Keeping searched reports legal (mechanisms/rlhf_game/simplex.hpp): the projections give legal
// reports, the simplex projection is the nearest point (its optimality condition), and the
// in-place form the ascent uses on a point's reward head is the nearest legal report found by
// brute force (an independent computation: every face of the set tried) and leaves the rest of
// the point alone.
#include "mechanisms/rlhf_game/simplex.hpp"

#include <gtest/gtest.h>

#include <limits>
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

// The nearest legal report by enumeration. Sum: the projection lies in the relative interior of
// one face of the simplex, where it is the projection onto that face's affine hull; of the faces
// whose affine projection is non-negative the nearest wins. Max: the set is the union over k of
// {r_k = 1, the rest in [0, 1]}, whose nearest point clamps the rest; the nearest k wins.
Vector<double> brute_force_nearest(const Vector<double>& v, Normalization normalization) {
  const Eigen::Index m = v.size();
  Vector<double> best;
  double best_distance = std::numeric_limits<double>::infinity();
  auto consider = [&](const Vector<double>& candidate) {
    const double distance = (candidate - v).squaredNorm();
    if (distance < best_distance) best_distance = distance, best = candidate;
  };
  if (normalization == Normalization::sum) {
    for (unsigned face = 1; face < (1u << m); ++face) {
      double sum = 0;
      int size = 0;
      for (Eigen::Index x = 0; x < m; ++x)
        if (face >> x & 1u) sum += v[x], ++size;
      Vector<double> candidate = Vector<double>::Zero(m);
      bool feasible = true;
      for (Eigen::Index x = 0; x < m; ++x) {
        if (!(face >> x & 1u)) continue;
        candidate[x] = v[x] - (sum - 1) / size;
        feasible = feasible && candidate[x] >= 0;
      }
      if (feasible) consider(candidate);
    }
  } else {
    for (Eigen::Index k = 0; k < m; ++k) {
      Vector<double> candidate = v.cwiseMax(0.0).cwiseMin(1.0);
      candidate[k] = 1;
      consider(candidate);
    }
  }
  return best;
}

TEST(Simplex, InPlaceOnAPointsHeadIsTheBruteForceNearestReport) {
  Rng rng(11);
  std::vector<double> scratch;
  for (int trial = 0; trial < 2000; ++trial) {
    const Eigen::Index m = 1 + trial % 10;
    for (Normalization normalization : {Normalization::sum, Normalization::max}) {
      const Vector<double> v = random_vector(rng, m);
      Vector<double> point(m + 1);
      point.head(m) = v;
      point[m] = 7.0;  // the size
      project_report_in_place(point.head(m), normalization, scratch);
      const Vector<double> nearest = brute_force_nearest(v, normalization);
      // Ties between faces (max) have equal distances: compare the distance, then the point.
      EXPECT_NEAR((point.head(m) - v).squaredNorm(), (nearest - v).squaredNorm(), 1e-12)
          << trial << " " << normalization_name(normalization);
      for (Eigen::Index x = 0; x < m; ++x)
        ASSERT_NEAR(point[x], nearest[x], 1e-12) << trial << " entry " << x;
      ASSERT_EQ(point[m], 7.0);
    }
  }
}

}  // namespace
}  // namespace mechcheck

// Howard's minimum-mean cycle on dense complete graphs: hand-built graphs with a known answer,
// brute force over every simple cycle on small random rational graphs, the potentials as an
// optimality certificate on larger ones, and double / multiprecision agreeing with the exact run.
#include "checks/implementability/min_mean_cycle.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>

namespace mechcheck {
namespace {

using Index = Eigen::Index;

template <class S>
Matrix<S> matrix_of(const std::vector<std::vector<Rational>>& rows) {
  const auto k = static_cast<Index>(rows.size());
  Matrix<S> out = Matrix<S>::Zero(k, k);
  for (Index a = 0; a < k; ++a)
    for (Index b = 0; b < k; ++b) out(a, b) = from_rational<S>(rows[a][b]);
  return out;
}

// Weights `fill` everywhere, then the listed edges.
Matrix<Rational> graph(Index k, Rational fill,
                       const std::vector<std::tuple<Index, Index, int>>& edges) {
  Matrix<Rational> w = Matrix<Rational>::Constant(k, k, fill);
  for (Index v = 0; v < k; ++v) w(v, v) = 0;
  for (const auto& [a, b, weight] : edges) w(a, b) = weight;
  return w;
}

template <class S>
S total_of(const Matrix<S>& w, const std::vector<Index>& cycle) {
  S total = 0;
  for (std::size_t j = 0; j < cycle.size(); ++j)
    total += w(cycle[j], cycle[(j + 1) % cycle.size()]);
  return total;
}

// The exact minimum cycle mean by enumerating every simple cycle (smallest node first).
Rational brute_force_minimum_mean(const Matrix<Rational>& w) {
  const Index k = w.rows();
  std::optional<Rational> best;
  std::vector<Index> path;
  std::vector<bool> used(static_cast<std::size_t>(k), false);
  std::function<void(Index, Rational)> extend = [&](Index start, Rational total) {
    const Index last = path.back();
    if (path.size() >= 2) {
      const Rational mean = (total + w(last, start)) / static_cast<long>(path.size());
      if (!best || mean < *best) best = mean;
    }
    for (Index next = start + 1; next < k; ++next) {
      if (used[static_cast<std::size_t>(next)]) continue;
      used[static_cast<std::size_t>(next)] = true;
      path.push_back(next);
      extend(start, total + w(last, next));
      path.pop_back();
      used[static_cast<std::size_t>(next)] = false;
    }
  };
  for (Index start = 0; start < k; ++start) {
    path = {start};
    used.assign(static_cast<std::size_t>(k), false);
    used[static_cast<std::size_t>(start)] = true;
    extend(start, Rational(0));
  }
  return *best;
}

// The answer is a simple cycle of the graph with the stated total and mean, starting at its
// smallest node, and the potentials certify that no cycle has a smaller mean.
template <class S>
void expect_well_formed(const Matrix<S>& w, const MeanCycle<S>& result, const S& tolerance) {
  ASSERT_GE(result.cycle.size(), 2u);
  EXPECT_EQ(std::set<Index>(result.cycle.begin(), result.cycle.end()).size(), result.cycle.size());
  EXPECT_EQ(*std::min_element(result.cycle.begin(), result.cycle.end()), result.cycle.front());
  for (Index v : result.cycle) {
    EXPECT_GE(v, 0);
    EXPECT_LT(v, w.rows());
  }
  EXPECT_EQ(result.total, total_of(w, result.cycle));
  EXPECT_EQ(result.mean, result.total / S(static_cast<long>(result.cycle.size())));
  ASSERT_EQ(result.potential.size(), static_cast<std::size_t>(w.rows()));
  for (Index a = 0; a < w.rows(); ++a)
    for (Index b = 0; b < w.rows(); ++b)
      if (a != b) {
        EXPECT_LE(result.potential[a] - result.potential[b], w(a, b) - result.mean + tolerance)
            << a << " -> " << b;
      }
}

TEST(MinimumMeanCycle, NoCycleBelowTwoNodes) {
  EXPECT_FALSE(minimum_mean_cycle(Matrix<Rational>(0, 0)).has_value());
  EXPECT_FALSE(minimum_mean_cycle(Matrix<double>(Matrix<double>::Zero(1, 1))).has_value());
  EXPECT_THROW(minimum_mean_cycle(Matrix<double>(Matrix<double>::Zero(2, 3))),
               std::invalid_argument);
}

TEST(MinimumMeanCycle, TwoNodes) {
  const Matrix<Rational> w = graph(2, 0, {{0, 1, 3}, {1, 0, -7}});
  const auto result = minimum_mean_cycle(w);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->cycle, (std::vector<Index>{0, 1}));
  EXPECT_EQ(result->total, -4);
  EXPECT_EQ(result->mean, -2);
  expect_well_formed(w, *result, Rational(0));
}

TEST(MinimumMeanCycle, PrefersTheSmallestMeanOverTheSmallestTotal) {
  // 0→1→0 has total −4 (mean −2); 2→3→4→2 has total −9 (mean −3); 5→6→7→8→9→5 has total −10
  // (the most negative total, mean −2); everything else costs 10.
  const Matrix<Rational> w = graph(10, 10,
                                   {{0, 1, -1},
                                    {1, 0, -3},
                                    {2, 3, -3},
                                    {3, 4, -3},
                                    {4, 2, -3},
                                    {5, 6, -2},
                                    {6, 7, -2},
                                    {7, 8, -2},
                                    {8, 9, -2},
                                    {9, 5, -2}});
  const auto result = minimum_mean_cycle(w);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->cycle, (std::vector<Index>{2, 3, 4}));
  EXPECT_EQ(result->total, -9);
  EXPECT_EQ(result->mean, -3);
  expect_well_formed(w, *result, Rational(0));
}

TEST(MinimumMeanCycle, LongCycleAgainstCheapFirstEdges) {
  // Every node's cheapest out-edge leads into 0↔1 (mean 1/2), but the Hamiltonian cycle
  // 0→2→3→4→5→0 has mean 1/5 with no cheap single edge.
  Matrix<Rational> w = graph(6, 5, {{0, 1, 0}, {1, 0, 1}});
  for (Index v = 2; v < 6; ++v) w(v, 0) = w(v, 1) = Rational(-1, 10), w(v, 1) = 0;
  w(0, 2) = 1, w(2, 3) = 0, w(3, 4) = 0, w(4, 5) = 0, w(5, 0) = 0;
  // 2→3→4→5→0→2 = 0 + 0 + 0 + 0 + 1 = 1 over 5 edges; 2→0→2 = −1/10 + 1 = 9/10 over 2.
  const Rational expected = brute_force_minimum_mean(w);
  const auto result = minimum_mean_cycle(w);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->mean, expected);
  EXPECT_EQ(result->mean, Rational(1, 5));
  EXPECT_EQ(result->cycle, (std::vector<Index>{0, 2, 3, 4, 5}));
  expect_well_formed(w, *result, Rational(0));
}

TEST(MinimumMeanCycle, NonNegativeMeanGivesDijkstraPotentials) {
  // A monotone-looking graph: w(a, b) = |a − b|, minimum mean 1 (any 2-cycle of neighbours).
  Matrix<Rational> w(7, 7);
  for (Index a = 0; a < 7; ++a)
    for (Index b = 0; b < 7; ++b) w(a, b) = a > b ? a - b : b - a;
  const auto result = minimum_mean_cycle(w);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->mean, 1);
  expect_well_formed(w, *result, Rational(0));
  for (Index a = 0; a < 7; ++a)
    for (Index b = 0; b < 7; ++b)
      if (a != b) {
        EXPECT_GE(w(a, b) - result->potential[a] + result->potential[b], 0);
      }
}

TEST(MinimumMeanCycle, IgnoresTheDiagonal) {
  Matrix<Rational> w = graph(3, 4, {});
  w.diagonal().setConstant(-100);
  const auto result = minimum_mean_cycle(w);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->mean, 4);
}

template <class S>
class MinimumMeanCycleFloating : public ::testing::Test {};
using FloatingScalars = ::testing::Types<double, Float50, Float100, Float200>;
TYPED_TEST_SUITE(MinimumMeanCycleFloating, FloatingScalars);

TYPED_TEST(MinimumMeanCycleFloating, AgreesWithExactOnRandomGraphs) {
  using S = TypeParam;
  std::mt19937_64 engine(20261122);
  for (int trial = 0; trial < 20; ++trial) {
    const auto k = static_cast<Index>(2 + engine() % 40);
    Matrix<Rational> exact(k, k);
    for (Index a = 0; a < k; ++a)
      for (Index b = 0; b < k; ++b)
        exact(a, b) = Rational(static_cast<long>(engine() % 2001) - 900, 1 + engine() % 97);
    const auto truth = minimum_mean_cycle(exact);
    ASSERT_TRUE(truth.has_value());
    expect_well_formed(exact, *truth, Rational(0));
    Matrix<S> w(k, k);
    for (Index a = 0; a < k; ++a)
      for (Index b = 0; b < k; ++b) w(a, b) = from_rational<S>(exact(a, b));
    const S tolerance = ScalarTraits<S>::tolerance() * 100;
    const auto result = minimum_mean_cycle(w, tolerance);
    ASSERT_TRUE(result.has_value());
    expect_well_formed(w, *result, S(tolerance * 10));
    const S difference = result->mean - from_rational<S>(truth->mean);
    EXPECT_LE(difference < 0 ? S(-difference) : difference, tolerance * 10) << "K = " << k;
    // The floating cycle, measured exactly, is minimal too (up to ties within the tolerance).
    const Rational exact_mean =
        total_of(exact, result->cycle) / static_cast<long>(result->cycle.size());
    EXPECT_LE(Float100(exact_mean - truth->mean), Float100(tolerance * 10));
  }
}

TEST(MinimumMeanCycle, CertifiedOnLargerExactGraphs) {
  std::mt19937_64 engine(7);
  for (Index k : {50, 120}) {
    Matrix<Rational> w(k, k);
    for (Index a = 0; a < k; ++a)
      for (Index b = 0; b < k; ++b)
        w(a, b) = Rational(static_cast<long>(engine() % 1000) + (a + b) % 7 * 50 - 500,
                           1 + engine() % 13);
    const auto result = minimum_mean_cycle(w);
    ASSERT_TRUE(result.has_value());
    expect_well_formed(w, *result, Rational(0));  // the potentials prove minimality
  }
}

RC_GTEST_PROP(MinimumMeanCycle, MatchesBruteForceOnSmallRationalGraphs, ()) {
  const auto k = *rc::gen::inRange<Index>(2, 7);
  const int spread = *rc::gen::element(1, 3, 20);
  Matrix<Rational> w(k, k);
  for (Index a = 0; a < k; ++a)
    for (Index b = 0; b < k; ++b)
      w(a, b) = Rational(*rc::gen::inRange(-spread, spread + 1), *rc::gen::inRange(1, 6));
  const auto result = minimum_mean_cycle(w);
  RC_ASSERT(result.has_value());
  RC_ASSERT(result->mean == brute_force_minimum_mean(w));
  RC_ASSERT(result->total == total_of(w, result->cycle));
  RC_ASSERT(std::set<Index>(result->cycle.begin(), result->cycle.end()).size() ==
            result->cycle.size());
  for (Index a = 0; a < k; ++a)
    for (Index b = 0; b < k; ++b)
      if (a != b) RC_ASSERT(result->potential[a] - result->potential[b] <= w(a, b) - result->mean);

  // double agrees with the exact answer on the same graph.
  Matrix<double> approximate(k, k);
  for (Index a = 0; a < k; ++a)
    for (Index b = 0; b < k; ++b) approximate(a, b) = from_rational<double>(w(a, b));
  const auto in_double = minimum_mean_cycle(approximate, 1e-12);
  RC_ASSERT(in_double.has_value());
  RC_ASSERT(std::abs(in_double->mean - from_rational<double>(result->mean)) <= 1e-9);
}

}  // namespace
}  // namespace mechcheck

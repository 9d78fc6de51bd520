// The batch SW-Max solver (solver/batch_sw_max.hpp) against the scalar solve_sw_max, column by
// column, its vectorized exp/log against MPFR at 100 digits, and its kernel variants
// (solver/batch_kernels.hpp: avx2, sse2, off) against each other bit for bit.
#include "solver/batch_sw_max.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "generators/instance_gen.hpp"
#include "generators/rng.hpp"
#include "solver/batch_kernels.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {
namespace {

constexpr double kAgreement = 1e-13;  // relative, per policy entry, objective and divergence

constexpr BatchKernels kAllKernels[] = {BatchKernels::avx2, BatchKernels::sse2, BatchKernels::off};

// Restores the kernel selection a test started with (run together, the tests share a process).
class RestoreKernels {
 public:
  RestoreKernels() : saved_(active_batch_kernels()) {}
  ~RestoreKernels() { select_batch_kernels(saved_); }
  RestoreKernels(const RestoreKernels&) = delete;
  RestoreKernels& operator=(const RestoreKernels&) = delete;

 private:
  BatchKernels saved_;
};

// What this build and CPU should offer: the variants solver/CMakeLists.txt compiled
// (MECHCHECK_COMPILED_BATCH_KERNELS, from tests/CMakeLists.txt), avx2 only on an AVX2 CPU.
bool compiled(BatchKernels kernels) {
  // Appended, not "," + …: GCC 12 reports a false -Wrestrict on that operator+.
  std::string list = ",", name = ",";
  list += MECHCHECK_COMPILED_BATCH_KERNELS;
  list += ",";
  name += batch_kernels_name(kernels);
  name += ",";
  return list.find(name) != std::string::npos;
}
bool cpu_has_avx2() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

// Index of the first element whose bits differ (NaNs included), or −1.
Eigen::Index first_bit_difference(const double* a, const double* b, Eigen::Index count) {
  for (Eigen::Index i = 0; i < count; ++i)
    if (std::memcmp(a + i, b + i, sizeof(double)) != 0) return i;
  return -1;
}

// Distance in units in the last place of the double nearest to `exact`.
double ulp_error(double computed, const Float100& exact) {
  const double nearest = exact.convert_to<double>();
  if (nearest == 0) return computed == 0 ? 0 : std::numeric_limits<double>::infinity();
  const double ulp = std::nextafter(std::abs(nearest), std::numeric_limits<double>::infinity()) -
                     std::abs(nearest);
  return std::abs((Float100(computed) - exact).convert_to<double>()) / ulp;
}

// The arguments the batch route exponentiates: z = (s − s_max)/λ ∈ [log(DBL_MIN), 0] (far path),
// uniformly, log-uniformly near 0, at the ends, and at multiples of log 2 (range reduction).
std::vector<double> exp_arguments() {
  Rng rng = Rng::stream(13, 1);
  std::vector<double> z{0.0,           -0.0, -1e-300, -1e-17,  -1e-8,
                        -0.5,          -1.0, -700.,   -708.39, -708.3964185322641,
                        -std::log(2.0)};
  for (int k = 1; k <= 1021; ++k) {
    const double at = -k * std::log(2.0);
    z.insert(z.end(), {at, std::nextafter(at, 0.0), std::nextafter(at, -1e9)});
  }
  for (int i = 0; i < 200000; ++i) z.push_back(-708.39 * rng.uniform());
  for (int i = 0; i < 100000; ++i) z.push_back(-std::pow(10.0, rng.uniform(-300, 0)));
  return z;
}

TEST(BatchSwMaxAccuracy, VectorizedExpIsWithinItsStatedUlpBoundOfMpfr) {
  const std::vector<double> z = exp_arguments();
  std::vector<double> e(z.size());
  exp_nonpositive(z.data(), e.data(), static_cast<Eigen::Index>(z.size()));  // as the batch route
  double worst = 0;
  double at = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double error = ulp_error(e[i], exp(Float100(z[i])));
    if (error > worst) worst = error, at = z[i];
  }
  std::cout << "exp: max error " << worst << " ulp at z = " << at << " over " << z.size()
            << " arguments in [log DBL_MIN, 0]\n";
  EXPECT_LE(worst, BatchSwMaxSolver::kExpMaxUlp);
  // Below log(DBL_MIN): 0 (the batch route sends columns with z above exp's underflow to the
  // scalar path).
  const double below[] = {-708.4, -745.0, -800.0, -1e300, -std::numeric_limits<double>::infinity()};
  double zeros[5];
  exp_nonpositive(below, zeros, 5);
  for (double value : zeros) EXPECT_EQ(value, 0.0);
}

// Every available kernel variant gives the scalar variant's bits, on the accuracy test's
// arguments and below log(DBL_MIN).
TEST(BatchKernels, EveryVariantGivesTheScalarExpBits) {
  RestoreKernels restore;
  std::vector<double> z = exp_arguments();
  z.insert(z.end(), {-708.4, -745.0, -800.0, -1e300, -std::numeric_limits<double>::infinity()});
  const auto count = static_cast<Eigen::Index>(z.size());
  std::vector<double> reference(z.size()), values(z.size());
  ASSERT_TRUE(select_batch_kernels(BatchKernels::off));
  exp_nonpositive(z.data(), reference.data(), count);
  for (BatchKernels kernels : available_batch_kernels()) {
    ASSERT_TRUE(select_batch_kernels(kernels));
    ASSERT_EQ(active_batch_kernels(), kernels);
    exp_nonpositive(z.data(), values.data(), count);
    const Eigen::Index at = first_bit_difference(values.data(), reference.data(), count);
    ASSERT_EQ(at, -1) << batch_kernels_name(kernels) << ": exp(" << z[static_cast<std::size_t>(at)]
                      << ") = " << values[static_cast<std::size_t>(at)] << ", off gives "
                      << reference[static_cast<std::size_t>(at)];
  }
}

TEST(BatchKernels, NamesParseBack) {
  for (BatchKernels kernels : kAllKernels)
    EXPECT_EQ(parse_batch_kernels(batch_kernels_name(kernels)), kernels);
  for (const char* text : {"", "AVX2", "avx", "avx512", "scalar", "on", " off"})
    EXPECT_EQ(parse_batch_kernels(text), std::nullopt) << text;
}

// The variants offered are exactly those compiled in and runnable here; the default is the fastest
// of them; selecting one that is not offered fails and changes nothing.
TEST(BatchKernels, AvailabilityFollowsTheBuildAndTheCpu) {
  RestoreKernels restore;
  const std::vector<BatchKernels> available = available_batch_kernels();
  ASSERT_FALSE(available.empty());
  EXPECT_EQ(available.back(), BatchKernels::off);
  EXPECT_EQ(active_batch_kernels(), available.front());  // nothing selected yet in this process
  std::cout << "batch kernels compiled: " << MECHCHECK_COMPILED_BATCH_KERNELS << "; available:";
  for (BatchKernels kernels : available) std::cout << " " << batch_kernels_name(kernels);
  std::cout << "\n";
  for (BatchKernels kernels : kAllKernels) {
    const bool expected = compiled(kernels) && (kernels != BatchKernels::avx2 || cpu_has_avx2());
    EXPECT_EQ(batch_kernels_available(kernels), expected) << batch_kernels_name(kernels);
    ASSERT_TRUE(select_batch_kernels(BatchKernels::off));
    EXPECT_EQ(select_batch_kernels(kernels), expected) << batch_kernels_name(kernels);
    EXPECT_EQ(active_batch_kernels(), expected ? kernels : BatchKernels::off);
  }
}

TEST(BatchKernels, Avx2RunsWhereTheCpuHasIt) {
  RestoreKernels restore;
  if (!compiled(BatchKernels::avx2)) {
    EXPECT_FALSE(select_batch_kernels(BatchKernels::avx2));
    GTEST_SKIP() << "avx2 is not compiled in this build (" << MECHCHECK_COMPILED_BATCH_KERNELS
                 << ")";
  }
  if (!cpu_has_avx2()) {
    EXPECT_FALSE(select_batch_kernels(BatchKernels::avx2));
    GTEST_SKIP() << "this CPU has no AVX2";
  }
  EXPECT_TRUE(select_batch_kernels(BatchKernels::avx2));
  EXPECT_EQ(active_batch_kernels(), BatchKernels::avx2);
}

TEST(BatchSwMaxAccuracy, TheBatchRoutesLogIsWithinItsStatedUlpBoundOfMpfr) {
  // Totals Σ π exp(z) are in [min π, m]: all normal positive doubles, plus a dense [0.5, 2].
  Rng rng = Rng::stream(13, 2);
  std::vector<double> t{
      1.0, std::nextafter(1.0, 2.0),           std::nextafter(1.0, 0.0),          2.0,
      0.5, std::numeric_limits<double>::min(), std::numeric_limits<double>::max()};
  for (int i = 0; i < 200000; ++i)
    t.push_back(std::ldexp(1 + rng.uniform(), rng.integer(-1022, 1022)));
  for (int i = 0; i < 100000; ++i) t.push_back(0.5 + 1.5 * rng.uniform());
  // libm's, one per column (solver/batch_sw_max.cpp: Eigen's array log rounds a column by its
  // place in the batch).
  BatchRow l(static_cast<Eigen::Index>(t.size()));
  for (std::size_t i = 0; i < t.size(); ++i) l[static_cast<Eigen::Index>(i)] = std::log(t[i]);
  double worst = 0, at = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double error = ulp_error(l[static_cast<Eigen::Index>(i)], log(Float100(t[i])));
    if (error > worst) worst = error, at = t[i];
  }
  std::cout << "log: max error " << worst << " ulp at t = " << at << " over " << t.size()
            << " arguments\n";
  EXPECT_LE(worst, BatchSwMaxSolver::kLogMaxUlp);
}

// |a − b| ≤ tol·|b| (NaN only against NaN).
::testing::AssertionResult relatively_close(double a, double b, double tolerance, const char* what,
                                            Eigen::Index column) {
  if (std::isnan(a) && std::isnan(b)) return ::testing::AssertionSuccess();
  if (a == b || std::abs(a - b) <= tolerance * std::abs(b)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << what << " of column " << column << ": batch " << a << " scalar " << b << " (relative "
         << std::abs(a - b) / std::abs(b) << ")";
}

// Every column of `solution` against solve_sw_max on that column; the route counts.
struct RouteCount {
  long batch = 0, scalar = 0;
};

::testing::AssertionResult agrees_with_scalar(const SwMaxRule<double>& rule,
                                              const Vector<double>& initial,
                                              const BatchArray& scores,
                                              const BatchSwMaxSolution& solution,
                                              RouteCount* count = nullptr) {
  for (Eigen::Index b = 0; b < scores.cols(); ++b) {
    const Vector<double> column = scores.col(b).matrix();
    const PolicySolution<double> expected = solve_sw_max(rule, column, initial);
    const bool scalar = solution.route[static_cast<std::size_t>(b)] == BatchRoute::scalar;
    if (count) ++(scalar ? count->scalar : count->batch);
    for (Eigen::Index x = 0; x < column.size(); ++x)
      if (auto r = relatively_close(solution.policy(x, b), expected.policy[x], kAgreement,
                                    "policy entry", b);
          !r)
        return r << " at outcome " << x << (scalar ? " (scalar route)" : " (batch route)");
    if (auto r =
            relatively_close(solution.objective[b], expected.objective, kAgreement, "objective", b);
        !r)
      return r;
    if (auto r = relatively_close(solution.divergence[b], expected.divergence, kAgreement,
                                  "divergence", b);
        !r)
      return r;
    // The multiplier (not used by payments) is a difference of terms of the scores' size.
    const double scale = std::abs(expected.multiplier) + column.cwiseAbs().maxCoeff() +
                         rule.lambda * (1 + std::abs(expected.objective - column.maxCoeff()));
    if (!(std::abs(solution.multiplier[b] - expected.multiplier) <= kAgreement * scale) &&
        !(std::isnan(expected.multiplier) && std::isnan(solution.multiplier[b])))
      return ::testing::AssertionFailure()
             << "multiplier of column " << b << ": batch " << solution.multiplier[b] << " scalar "
             << expected.multiplier;
    if (scalar && !(solution.objective[b] == expected.objective ||
                    (std::isnan(expected.objective) && std::isnan(solution.objective[b]))))
      return ::testing::AssertionFailure() << "scalar-route column " << b << " is not the scalar's";
  }
  return ::testing::AssertionSuccess();
}

// The solve under every available kernel variant is the `off` variant's solve bit for bit: every
// output and the route of every column.
::testing::AssertionResult variants_agree(const SwMaxRule<double>& rule,
                                          const Vector<double>& initial, const BatchArray& scores) {
  RestoreKernels restore;
  const BatchSwMaxSolver solver(rule, initial);
  BatchSwMaxSolution reference, solution;
  BatchSwMaxWorkspace work;
  select_batch_kernels(BatchKernels::off);
  solver.solve(scores, reference, work);
  for (BatchKernels kernels : available_batch_kernels()) {
    select_batch_kernels(kernels);
    solver.solve(scores, solution, work);
    const auto differs = [&](const char* what, const auto& a, const auto& b) {
      const Eigen::Index at = first_bit_difference(a.data(), b.data(), b.size());
      if (at < 0) return false;
      std::cout << batch_kernels_name(kernels) << ": " << what << " entry " << at << " is "
                << a.data()[at] << ", off gives " << b.data()[at] << "\n";
      return true;
    };
    if (differs("policy", solution.policy, reference.policy) ||
        differs("objective", solution.objective, reference.objective) ||
        differs("divergence", solution.divergence, reference.divergence) ||
        differs("multiplier", solution.multiplier, reference.multiplier))
      return ::testing::AssertionFailure()
             << batch_kernels_name(kernels) << " differs from off ("
             << divergence_name(rule.divergence) << ", λ = " << rule.lambda
             << ", m = " << scores.rows() << ")";
    if (solution.route != reference.route)
      return ::testing::AssertionFailure()
             << batch_kernels_name(kernels) << " routes columns differently from off";
  }
  return ::testing::AssertionSuccess();
}

BatchArray columns(const std::vector<Vector<double>>& scores) {
  BatchArray out(scores.front().size(), static_cast<Eigen::Index>(scores.size()));
  for (std::size_t b = 0; b < scores.size(); ++b)
    out.col(static_cast<Eigen::Index>(b)) = scores[b].array();
  return out;
}

// The score vectors a deviation search solves on one generated instance: the truthful profile,
// each leave-one-out profile, and group 0's misreports.
std::vector<Vector<double>> instance_columns(const Instance& instance) {
  const Profile<double> profile = profile_of<double>(instance);
  std::vector<Vector<double>> out{aggregate_scores(profile)};
  for (Eigen::Index i = 0; i < profile.group_count(); ++i)
    out.push_back(aggregate_scores(profile, i));
  const Group& truth = instance.groups.front();
  for (int k = 0; k < 4; ++k) {
    const Group report =
        *gen::misreport(truth, truth.reward, instance.normalization,
                        static_cast<long>(instance.max_group_size.template convert_to<double>()));
    out.push_back(aggregate_scores(profile, 0) +
                  from_rational<double>(report.size) * from_rationals<double>(report.reward));
  }
  return out;
}

RouteCount property_routes;

void check_instance(const Instance& instance) {
  const Mechanism<double> mechanism = mechanism_of<double>(instance);
  const BatchArray scores = columns(instance_columns(instance));
  const BatchSwMaxSolver solver(mechanism.rule, mechanism.initial);
  BatchSwMaxSolution solution;
  BatchSwMaxWorkspace work;
  solver.solve(scores, solution, work);
  RC_ASSERT(
      agrees_with_scalar(mechanism.rule, mechanism.initial, scores, solution, &property_routes));
  // Solving again in the same (now sized) workspace and solution gives the same numbers.
  const BatchArray first = solution.policy;
  solver.solve(scores, solution, work);
  RC_ASSERT((solution.policy == first).all());
  RC_ASSERT(variants_agree(mechanism.rule, mechanism.initial, scores));
}

RC_GTEST_PROP(BatchSwMax, AgreesWithTheScalarSolverOnGeneratedInstances, ()) {
  gen::InstanceShape shape;
  shape.divergences = {DivergenceKind::kl, DivergenceKind::chi2};
  check_instance(*gen::instances(shape));
}

RC_GTEST_PROP(BatchSwMax, AgreesWithTheScalarSolverOnSortedChi2Instances, ()) {
  gen::InstanceShape shape;  // m > 16: the χ² support by sorting each column
  shape.divergences = {DivergenceKind::chi2, DivergenceKind::kl};
  shape.min_outcomes = 17;
  shape.max_outcomes = 60;
  check_instance(*gen::instances(shape));
}

RC_GTEST_PROP(BatchSwMax, AgreesWithTheScalarSolverForOtherDivergencesByTheScalarRoute, ()) {
  gen::InstanceShape shape;
  shape.divergences = {DivergenceKind::tv, DivergenceKind::reverse_kl, DivergenceKind::hellinger};
  const Instance instance = *gen::instances(shape);
  const Mechanism<double> mechanism = mechanism_of<double>(instance);
  const BatchArray scores = columns(instance_columns(instance));
  BatchSwMaxSolution solution;
  BatchSwMaxWorkspace work;
  BatchSwMaxSolver(mechanism.rule, mechanism.initial).solve(scores, solution, work);
  RC_ASSERT(solution.scalar_count == scores.cols());
  RC_ASSERT(agrees_with_scalar(mechanism.rule, mechanism.initial, scores, solution));
}

// Random games in the Appendix F regime and beyond: both kernels must carry almost all columns
// (a batch path that flagged everything would pass the agreement tests vacuously).
TEST(BatchSwMax, TheBatchRouteCarriesGenericColumns) {
  for (DivergenceKind kind : {DivergenceKind::kl, DivergenceKind::chi2})
    for (int m : {10, 40}) {
      Rng rng = Rng::stream(7, static_cast<std::uint64_t>(m));
      Vector<double> initial(m);
      for (int x = 0; x < m; ++x) initial[x] = rng.uniform() + 1e-3;
      initial /= initial.sum();
      BatchArray scores(m, 2000);
      for (Eigen::Index b = 0; b < scores.cols(); ++b)
        for (int x = 0; x < m; ++x) scores(x, b) = rng.uniform(0, 5) * (1 + b % 3);
      for (double lambda : {0.1, 1.0, 3.0}) {
        const SwMaxRule<double> rule{kind, lambda};
        BatchSwMaxSolution solution;
        BatchSwMaxWorkspace work;
        BatchSwMaxSolver(rule, initial).solve(scores, solution, work);
        RouteCount count;
        EXPECT_TRUE(agrees_with_scalar(rule, initial, scores, solution, &count));
        EXPECT_TRUE(variants_agree(rule, initial, scores));
        std::cout << divergence_name(kind) << " m=" << m << " lambda=" << lambda << ": "
                  << count.scalar << " of " << scores.cols() << " columns on the scalar route\n";
        EXPECT_LE(count.scalar, scores.cols() / 20) << divergence_name(kind) << " λ=" << lambda;
      }
    }
  std::cout << "generated instances so far: " << property_routes.batch << " batch, "
            << property_routes.scalar << " scalar columns\n";
}

// λ = 1e-6 with sizes up to 1000 (scores in the thousands, exact ties and zeros) and λ = 1e6,
// m up to 1000: agreement whichever route each column takes.
TEST(BatchSwMax, AgreesAtExtremeLambdas) {
  for (DivergenceKind kind : {DivergenceKind::kl, DivergenceKind::chi2})
    for (double lambda : {1e-6, 1e6})
      for (int m : {3, 10, 200, 1000}) {
        Rng rng = Rng::stream(11, static_cast<std::uint64_t>(m));
        Vector<double> initial(m);
        for (int x = 0; x < m; ++x) initial[x] = x == 0 ? 1.0 : (x % 7 == 0 ? 1e-6 : 0.5);
        initial /= initial.sum();
        BatchArray scores(m, 24);
        for (Eigen::Index b = 0; b < scores.cols(); ++b)
          for (int x = 0; x < m; ++x) {
            // Max-normalized rewards with ties and zeros, sizes up to 1000, 1–5 groups.
            double s = 0;
            for (int i = 0; i <= b % 5; ++i)
              s += (1000 - 37 * i) * (((x * 7 + i * 3 + b) % 11) / 10.0);
            scores(x, b) = b % 2 ? s : s + rng.uniform(0, 1e-3);
          }
        const SwMaxRule<double> rule{kind, lambda};
        BatchSwMaxSolution solution;
        BatchSwMaxWorkspace work;
        BatchSwMaxSolver(rule, initial).solve(scores, solution, work);
        RouteCount count;
        EXPECT_TRUE(agrees_with_scalar(rule, initial, scores, solution, &count))
            << divergence_name(kind) << " λ=" << lambda << " m=" << m;
        EXPECT_TRUE(variants_agree(rule, initial, scores));
        std::cout << divergence_name(kind) << " lambda=" << lambda << " m=" << m << ": "
                  << count.scalar << " of " << scores.cols() << " on the scalar route\n";
      }
}

// χ² takes the scalar's support search per column: exact boundary optima (a score exactly at the
// threshold, p = 0 there) stay on the batch route and every finite column is the scalar's answer
// bit for bit.
TEST(BatchSwMax, Chi2ColumnsAreTheScalarAnswersBitForBit) {
  Vector<double> initial(2);
  initial << 0.5, 0.5;
  const SwMaxRule<double> rule{DivergenceKind::chi2, 0.25};
  BatchArray scores(2, 2);
  scores.col(0) << 1.0, 0.0;  // τ = 0 = s(1): p = (1, 0) exactly
  scores.col(1) << 1.0, 0.8;  // both outcomes inside the support
  BatchSwMaxSolution solution;
  BatchSwMaxWorkspace work;
  BatchSwMaxSolver(rule, initial).solve(scores, solution, work);
  EXPECT_EQ(solution.scalar_count, 0);
  EXPECT_EQ(solution.policy(1, 0), 0.0);
  EXPECT_EQ(solution.policy(0, 0), 1.0);
  EXPECT_TRUE(agrees_with_scalar(rule, initial, scores, solution));
  for (int m : {5, 16, 17, 300}) {
    Rng rng = Rng::stream(5, static_cast<std::uint64_t>(m));
    Vector<double> pi(m);
    for (int x = 0; x < m; ++x) pi[x] = rng.uniform() + 1e-3;
    pi /= pi.sum();
    BatchArray many(m, 300);
    for (Eigen::Index b = 0; b < many.cols(); ++b)
      for (int x = 0; x < m; ++x) many(x, b) = b % 4 ? rng.uniform(0, 10) : rng.integer(0, 3);
    for (double lambda : {1e-6, 0.3, 1e6}) {
      const SwMaxRule<double> chi2{DivergenceKind::chi2, lambda};
      BatchSwMaxSolver(chi2, pi).solve(many, solution, work);
      EXPECT_EQ(solution.scalar_count, 0);
      for (Eigen::Index b = 0; b < many.cols(); ++b) {
        const PolicySolution<double> expected =
            solve_sw_max(chi2, Vector<double>(many.col(b).matrix()), pi);
        ASSERT_TRUE((solution.policy.col(b).matrix() == expected.policy))
            << "m=" << m << " b=" << b;
        ASSERT_EQ(solution.objective[b], expected.objective);
        ASSERT_EQ(solution.divergence[b], expected.divergence);
        ASSERT_EQ(solution.multiplier[b], expected.multiplier);
      }
    }
  }
}

// Non-finite scores and exp arguments in the subnormal range take the scalar route; an argument
// below exp's underflow is an exact 0 on the batch route.
TEST(BatchSwMax, NonFiniteAndSubnormalColumnsTakeTheScalarRoute) {
  Vector<double> initial(3);
  initial << 0.25, 0.25, 0.5;
  const SwMaxRule<double> rule{DivergenceKind::kl, 1.0};
  BatchArray scores(3, 5);
  scores.col(0) << 1.0, std::numeric_limits<double>::quiet_NaN(), 0.0;
  scores.col(1) << 1.0, std::numeric_limits<double>::infinity(), 0.0;
  scores.col(2) << 0.0, -720.0, -1.0;  // exp(−720) is subnormal
  scores.col(3) << 0.0, -800.0, -1.0;  // exp(−800) is 0
  scores.col(4) << 0.3, 2.0, -1.0;
  BatchSwMaxSolution solution;
  BatchSwMaxWorkspace work;
  BatchSwMaxSolver(rule, initial).solve(scores, solution, work);
  EXPECT_EQ(solution.route[0], BatchRoute::scalar);
  EXPECT_EQ(solution.route[1], BatchRoute::scalar);
  EXPECT_EQ(solution.route[2], BatchRoute::scalar);
  EXPECT_EQ(solution.route[3], BatchRoute::batch);
  EXPECT_EQ(solution.route[4], BatchRoute::batch);
  EXPECT_EQ(solution.policy(1, 3), 0.0);
  EXPECT_GT(solution.policy(1, 2), 0.0);
  EXPECT_EQ(solution.scalar_count, 3);
  EXPECT_TRUE(agrees_with_scalar(rule, initial, scores, solution));
  EXPECT_TRUE(variants_agree(rule, initial, scores));
}

// λ far above the score spread: the scalar's KL divergence is itself rounding-dominated there
// (relative error ≈ ε/(spread/λ)), so those columns are the scalar's; χ² stays on the batch route.
TEST(BatchSwMax, HugeLambdaRoutes) {
  Vector<double> initial = Vector<double>::Constant(4, 0.25);
  BatchArray scores(4, 1);
  scores.col(0) << 1.0, 0.5, 0.25, 0.0;
  BatchSwMaxSolution solution;
  BatchSwMaxWorkspace work;
  BatchSwMaxSolver({DivergenceKind::kl, 1e6}, initial).solve(scores, solution, work);
  EXPECT_EQ(solution.route[0], BatchRoute::scalar);
  EXPECT_TRUE(agrees_with_scalar({DivergenceKind::kl, 1e6}, initial, scores, solution));
  BatchSwMaxSolver({DivergenceKind::kl, 2.0}, initial).solve(scores, solution, work);
  EXPECT_EQ(solution.route[0], BatchRoute::batch);  // the near-initial formulas, batched
  EXPECT_TRUE(agrees_with_scalar({DivergenceKind::kl, 2.0}, initial, scores, solution));
  BatchSwMaxSolver({DivergenceKind::chi2, 1e6}, initial).solve(scores, solution, work);
  EXPECT_EQ(solution.route[0], BatchRoute::batch);
  EXPECT_TRUE(agrees_with_scalar({DivergenceKind::chi2, 1e6}, initial, scores, solution));
}

TEST(BatchSwMax, RejectsScoresOfTheWrongLength) {
  BatchSwMaxSolution solution;
  BatchSwMaxWorkspace work;
  EXPECT_THROW(BatchSwMaxSolver({DivergenceKind::kl, 1.0}, Vector<double>::Constant(3, 1.0 / 3))
                   .solve(BatchArray::Zero(4, 2), solution, work),
               std::invalid_argument);
}

}  // namespace
}  // namespace mechcheck

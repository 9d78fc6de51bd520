// Solver benchmarks (bench/README.md): SW-Max solves and full mechanism runs for KL and χ² at
// every scalar, the cost of the exponentials a KL solve needs, and MPFR vs cpp_bin_float.
//
// Every instance is generated from a fixed-seed std::mt19937_64 as exact rationals (rewards
// k/100 normalized to sum 1, π likewise, sizes 1..10, λ = 1/m) and then converted to each scalar,
// so all scalars solve the same instances. For m ≤ 1000 each benchmark cycles through 16
// instances (seeds): solving one instance over and over lets the branch predictor learn χ²'s
// sort (a 1000-outcome sort runs ~3× faster than on fresh data), which no real run sees. Benchmark
// names: `solve/<div>/<scalar>/m:<m>/n:<n>`, `mechanism/...`, `exps/<scalar>/m:<m>`,
// `backend/<div>/<backend>/m:1000/n:3`, `op/<op>/<backend>`, and the batch solver (issue #13):
// `batch/<div>/double/m:<m>/b:<batch>` against `scalar/<div>/double/m:<m>` on the same precomputed
// score vectors (n = 3), and `vexps/double/m:<m>/b:<batch>`, the batch route's exp alone on a
// batch's exponents (the physical floor of a KL batch solve). MECHCHECK_SIMD=avx2|sse2|off picks
// the batch kernels they run (solver/batch_kernels.hpp), as for mechcheck; unset: the fastest.
#include <benchmark/benchmark.h>

#include <array>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "solver/batch_kernels.hpp"
#include "solver/batch_sw_max.hpp"
#include "solver/candidate_rule.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {

// Boost's own binary floats, for the MPFR side-by-side only (same digits as Float50/Float100;
// cpp_bin_float has no allocator so expression templates are off, as for the MPFR types).
using BinFloat50 = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<50>,
                                                 boost::multiprecision::et_off>;
using BinFloat100 = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<100>,
                                                  boost::multiprecision::et_off>;

template <>
struct ScalarTraits<BinFloat50> {
  static constexpr bool exact = false;
  static constexpr int digits10 = 50;
  static constexpr std::string_view name = "bin50";
  static BinFloat50 tolerance() { return BinFloat50("1e-45"); }
};
template <>
struct ScalarTraits<BinFloat100> {
  static constexpr bool exact = false;
  static constexpr int digits10 = 100;
  static constexpr std::string_view name = "bin100";
  static BinFloat100 tolerance() { return BinFloat100("1e-95"); }
};

// Float50 with heap-allocated limbs (MPFR's default, mechcheck's before it moved to
// allocate_stack), to show what one malloc per temporary costs in the solvers.
using HeapFloat50 = boost::multiprecision::number<
    boost::multiprecision::mpfr_float_backend<50, boost::multiprecision::allocate_dynamic>,
    boost::multiprecision::et_off>;

template <>
struct ScalarTraits<HeapFloat50> {
  static constexpr bool exact = false;
  static constexpr int digits10 = 50;
  static constexpr std::string_view name = "mpfr50heap";
  static HeapFloat50 tolerance() { return HeapFloat50("1e-45"); }
};

namespace {

// ---------------------------------------------------------------------------------------------
// Deterministic instances

// An integer uniform in [0, bound) from the raw 64-bit output (the modulo bias, < 1e-16 here,
// is irrelevant; what matters is that the stream does not depend on the standard library).
std::uint64_t below(std::mt19937_64& rng, std::uint64_t bound) { return rng() % bound; }

// Normalizes non-negative integer weights exactly to sum 1.
std::vector<Rational> normalized(const std::vector<std::uint64_t>& weights) {
  std::uint64_t sum = 0;
  for (std::uint64_t w : weights) sum += w;
  std::vector<Rational> out;
  out.reserve(weights.size());
  for (std::uint64_t w : weights) out.push_back(Rational(w) / Rational(sum));
  return out;
}

struct ExactInstance {
  std::vector<std::vector<Rational>> rewards;  // n groups × m outcomes, each sums to 1
  std::vector<Rational> sizes;                 // w_i ∈ 1..10
  std::vector<Rational> initial;               // π > 0, sums to 1
  Rational lambda;                             // 1/m: keeps s/λ = O(Σw) for every m
};

ExactInstance make_instance(std::int64_t m, std::int64_t n, std::size_t variant) {
  std::mt19937_64 rng(20261122u + static_cast<std::uint64_t>(m) * 1000003u +
                      static_cast<std::uint64_t>(n) * 1009u + variant);
  const auto outcomes = static_cast<std::size_t>(m);
  ExactInstance instance;
  for (std::int64_t i = 0; i < n; ++i) {
    std::vector<std::uint64_t> reward(outcomes);
    std::uint64_t sum = 0;
    for (auto& k : reward) sum += (k = below(rng, 101));  // k/100, k ∈ 0..100
    if (sum == 0) reward[0] = 1;
    instance.rewards.push_back(normalized(reward));
    instance.sizes.push_back(Rational(1 + below(rng, 10)));
  }
  std::vector<std::uint64_t> initial(outcomes);
  for (auto& k : initial) k = 1 + below(rng, 100);  // k/100, k ∈ 1..100
  instance.initial = normalized(initial);
  instance.lambda = Rational(1) / Rational(m);
  return instance;
}

// How many distinct instances a benchmark at m cycles through (see the top of the file); at
// m = 100000 one sort has ~2M data-dependent branches, far more than a predictor can learn.
std::size_t variant_count(std::int64_t m) { return m <= 1000 ? 16 : 1; }

using InstanceKey = std::tuple<std::int64_t, std::int64_t, std::size_t>;  // m, n, variant

const ExactInstance& exact_instance(std::int64_t m, std::int64_t n, std::size_t variant) {
  static std::map<InstanceKey, ExactInstance> cache;
  auto it = cache.find({m, n, variant});
  if (it == cache.end())
    it = cache.emplace(InstanceKey{m, n, variant}, make_instance(m, n, variant)).first;
  return it->second;
}

template <class S>
S to_scalar(const Rational& value) {
  if constexpr (std::is_same_v<S, BinFloat50> || std::is_same_v<S, BinFloat100> ||
                std::is_same_v<S, HeapFloat50>) {
    return S(Float100(value));  // 100 correctly rounded digits, then rounded to S
  } else {
    return from_rational<S>(value);
  }
}

template <class S>
struct ScalarInstance {
  Mechanism<S> mechanism;  // rule.divergence is set per benchmark
  Profile<S> profile;
};

template <class S>
const ScalarInstance<S>& scalar_instance(std::int64_t m, std::int64_t n, std::size_t variant = 0) {
  static std::map<InstanceKey, ScalarInstance<S>> cache;
  auto it = cache.find({m, n, variant});
  if (it == cache.end()) {
    const ExactInstance& exact = exact_instance(m, n, variant);
    ScalarInstance<S> instance;
    instance.mechanism.rule.lambda = to_scalar<S>(exact.lambda);
    instance.mechanism.payment = PaymentType::affine_maximizer;
    instance.mechanism.initial = Vector<S>(m);
    for (Eigen::Index x = 0; x < m; ++x)
      instance.mechanism.initial[x] = to_scalar<S>(exact.initial[static_cast<std::size_t>(x)]);
    instance.profile.rewards = Matrix<S>(m, n);
    instance.profile.sizes = Vector<S>(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const auto& reward = exact.rewards[static_cast<std::size_t>(i)];
      for (Eigen::Index x = 0; x < m; ++x)
        instance.profile.rewards(x, i) = to_scalar<S>(reward[static_cast<std::size_t>(x)]);
      instance.profile.sizes[i] = to_scalar<S>(exact.sizes[static_cast<std::size_t>(i)]);
    }
    it = cache.emplace(InstanceKey{m, n, variant}, std::move(instance)).first;
  }
  return it->second;
}

// The instances a benchmark at (m, n) cycles through, with the divergence set.
template <class S>
std::vector<ScalarInstance<S>> instance_set(std::int64_t m, std::int64_t n,
                                            DivergenceKind divergence) {
  std::vector<ScalarInstance<S>> set;
  for (std::size_t variant = 0; variant < variant_count(m); ++variant) {
    set.push_back(scalar_instance<S>(m, n, variant));
    set.back().mechanism.rule.divergence = divergence;
  }
  return set;
}

// Cycles through a set: `const auto& item = next(set, k);`.
template <class T>
const T& next(const std::vector<T>& set, std::size_t& k) {
  const T& item = set[k];
  k = k + 1 == set.size() ? 0 : k + 1;
  return item;
}

// The arguments (s(x) − s_max)/λ of the exponentials of a KL solve of an (m, 3) instance.
template <class S>
Vector<S> kl_exponents(std::int64_t m, std::size_t variant = 0) {
  const ScalarInstance<S>& instance = scalar_instance<S>(m, 3, variant);
  const Vector<S> scores = aggregate_scores(instance.profile);
  const S top = scores.maxCoeff();
  Vector<S> out(m);
  for (Eigen::Index x = 0; x < m; ++x) out[x] = (scores[x] - top) / instance.mechanism.rule.lambda;
  return out;
}

void count_solves(benchmark::State& state) {
  state.counters["solves_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// ---------------------------------------------------------------------------------------------
// Benchmarks

// What run_mechanism's solve step does: aggregate the scores, then solve SW-Max.
template <class S>
void solve_step(benchmark::State& state, DivergenceKind divergence, std::int64_t m,
                std::int64_t n) {
  const std::vector<ScalarInstance<S>> set = instance_set<S>(m, n, divergence);
  std::size_t k = 0;
  for (auto _ : state) {
    const ScalarInstance<S>& instance = next(set, k);
    PolicySolution<S> solution = solve_sw_max(
        instance.mechanism.rule, aggregate_scores(instance.profile), instance.mechanism.initial);
    benchmark::DoNotOptimize(solution.policy.data());
    benchmark::DoNotOptimize(solution.objective);
  }
  count_solves(state);
}

// The full mechanism with affine-maximizer payments: n + 1 solves and the valuations.
template <class S>
void mechanism_run(benchmark::State& state, DivergenceKind divergence, std::int64_t m,
                   std::int64_t n) {
  const std::vector<ScalarInstance<S>> set = instance_set<S>(m, n, divergence);
  std::size_t k = 0;
  for (auto _ : state) {
    const ScalarInstance<S>& instance = next(set, k);
    MechanismOutcome<S> outcome = run_mechanism(instance.mechanism, instance.profile);
    benchmark::DoNotOptimize(outcome.payments.data());
    benchmark::DoNotOptimize(outcome.welfare);
  }
  count_solves(state);
}

// Baseline: the m exponentials a KL solve evaluates, nothing else.
template <class S>
void exps(benchmark::State& state, std::int64_t m) {
  std::vector<Vector<S>> set;
  for (std::size_t variant = 0; variant < variant_count(m); ++variant)
    set.push_back(kl_exponents<S>(m, variant));
  std::size_t k = 0;
  for (auto _ : state) {
    const Vector<S>& arguments = next(set, k);
    for (Eigen::Index x = 0; x < m; ++x) {
      using std::exp;
      S value = exp(arguments[x]);
      benchmark::DoNotOptimize(value);
    }
  }
  state.counters["exps_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * m), benchmark::Counter::kIsRate);
}

// The score vectors of the (m, 3) instances, each column one variant (cycled to `batch` columns).
BatchArray batch_scores(std::int64_t m, Eigen::Index batch) {
  BatchArray out(m, batch);
  for (Eigen::Index b = 0; b < batch; ++b) {
    const auto variant = static_cast<std::size_t>(b) % variant_count(m);
    out.col(b) = aggregate_scores(scalar_instance<double>(m, 3, variant).profile).array();
  }
  return out;
}

Eigen::Index batch_width(std::int64_t m) { return m <= 10 ? 1024 : m <= 1000 ? 64 : 4; }

// BatchSwMaxSolver on a batch of the instances' scores (π of variant 0 for all; λ = 1/m).
void batch_solve(benchmark::State& state, DivergenceKind divergence, std::int64_t m) {
  const Eigen::Index width = batch_width(m);
  const BatchArray scores = batch_scores(m, width);
  const ScalarInstance<double>& instance = scalar_instance<double>(m, 3);
  const BatchSwMaxSolver solver({divergence, instance.mechanism.rule.lambda},
                                instance.mechanism.initial);
  BatchSwMaxSolution solution;
  BatchSwMaxWorkspace work;
  for (auto _ : state) {
    solver.solve(scores, solution, work);
    benchmark::DoNotOptimize(solution.policy.data());
    benchmark::DoNotOptimize(solution.objective.data());
  }
  state.counters["solves_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * width), benchmark::Counter::kIsRate);
  state.counters["scalar_route"] = static_cast<double>(solution.scalar_count);
}

// solve_sw_max on the same score vectors, one at a time.
void scalar_solve(benchmark::State& state, DivergenceKind divergence, std::int64_t m) {
  const Eigen::Index width = batch_width(m);
  const BatchArray scores = batch_scores(m, width);
  std::vector<Vector<double>> columns;
  for (Eigen::Index b = 0; b < width; ++b) columns.emplace_back(scores.col(b).matrix());
  const ScalarInstance<double>& instance = scalar_instance<double>(m, 3);
  const SwMaxRule<double> rule{divergence, instance.mechanism.rule.lambda};
  std::size_t k = 0;
  for (auto _ : state) {
    PolicySolution<double> solution =
        solve_sw_max(rule, next(columns, k), instance.mechanism.initial);
    benchmark::DoNotOptimize(solution.policy.data());
    benchmark::DoNotOptimize(solution.objective);
  }
  count_solves(state);
}

// The batch route's exp (exp_nonpositive) on the exponents of a KL batch (m × batch), nothing else.
void vectorized_exps(benchmark::State& state, std::int64_t m) {
  const Eigen::Index width = batch_width(m);
  BatchArray arguments(m, width), values(m, width);
  for (Eigen::Index b = 0; b < width; ++b)
    arguments.col(b) =
        kl_exponents<double>(m, static_cast<std::size_t>(b) % variant_count(m)).array();
  for (auto _ : state) {
    exp_nonpositive(arguments.data(), values.data(), arguments.size());
    benchmark::DoNotOptimize(values.data());
  }
  state.counters["exps_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * m * width), benchmark::Counter::kIsRate);
  state.counters["solves_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * width), benchmark::Counter::kIsRate);
}

// A Rewarded-Soups candidate set (n = 3 groups of the scalar instance, K mixtures: C(K + 3, 2)
// soups), solved as rewarded_soups<double> does (one batch) or one soup at a time
// (rewarded_soups_one_by_one: the path every other scalar takes, and double's before issue #13):
// the work a candidates rule repeats for every evaluated report.
void soups(benchmark::State& state, DivergenceKind divergence, std::int64_t m, long mixtures,
           bool batched) {
  const ScalarInstance<double>& instance = scalar_instance<double>(m, 3);
  const SwMaxRule<double> rule{divergence, instance.mechanism.rule.lambda};
  const Matrix<double>& rewards = instance.profile.rewards;
  const double total = instance.profile.sizes.sum();
  for (auto _ : state) {
    auto candidates =
        batched
            ? rewarded_soups(rule, rewards, total, instance.mechanism.initial, mixtures)
            : rewarded_soups_one_by_one(rule, rewards, total, instance.mechanism.initial, mixtures);
    benchmark::DoNotOptimize(candidates.data());
  }
  state.counters["sets_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// KL or χ² solve compiled in this translation unit for any floating scalar (MPFR or
// cpp_bin_float): the same template code and compiler flags for every backend.
template <class S>
void backend_solve(benchmark::State& state, DivergenceKind divergence, std::int64_t m,
                   std::int64_t n) {
  const std::vector<ScalarInstance<S>> set = instance_set<S>(m, n, divergence);
  std::size_t k = 0;
  for (auto _ : state) {
    const ScalarInstance<S>& instance = next(set, k);
    const Vector<S>& initial = instance.mechanism.initial;
    const S& lambda = instance.mechanism.rule.lambda;
    PolicySolution<S> solution =
        divergence == DivergenceKind::kl
            ? solve_kl(aggregate_scores(instance.profile), initial, lambda)
            : solve_chi2(aggregate_scores(instance.profile), initial, lambda);
    benchmark::DoNotOptimize(solution.policy.data());
    benchmark::DoNotOptimize(solution.objective);
  }
  count_solves(state);
}

// Single operations on 64 operands taken from the (64, 3) instance: exp of KL exponents, log of
// π values, sums, products and quotients of π values and scores. Each result is a fresh number,
// as in the solvers' expressions.
enum class Op { exp, log, mul, div, add };

template <class S, class F>
void op_loop(benchmark::State& state, const Vector<S>& a, const Vector<S>& b, F f) {
  for (auto _ : state) {
    for (Eigen::Index x = 0; x < a.size(); ++x) {
      S value = f(a[x], b[x]);
      benchmark::DoNotOptimize(value);
    }
  }
  state.counters["ops_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * a.size()), benchmark::Counter::kIsRate);
}

template <class S>
void op(benchmark::State& state, Op which) {
  using std::exp;
  using std::log;
  constexpr std::int64_t kCount = 64;
  const Vector<S> exponents = kl_exponents<S>(kCount);
  const Vector<S>& initial = scalar_instance<S>(kCount, 3).mechanism.initial;
  const Vector<S> scores = aggregate_scores(scalar_instance<S>(kCount, 3).profile);
  switch (which) {
    case Op::exp:
      return op_loop<S>(state, exponents, exponents,
                        [](const S& a, const S&) { return S(exp(a)); });
    case Op::log:
      return op_loop<S>(state, initial, initial, [](const S& a, const S&) { return S(log(a)); });
    case Op::mul:
      return op_loop<S>(state, initial, scores, [](const S& a, const S& b) { return S(a * b); });
    case Op::div:
      return op_loop<S>(state, scores, initial, [](const S& a, const S& b) { return S(a / b); });
    case Op::add:
      return op_loop<S>(state, initial, scores, [](const S& a, const S& b) { return S(a + b); });
  }
}

// ---------------------------------------------------------------------------------------------
// Registration

constexpr std::array<std::int64_t, 3> kOutcomes{10, 1000, 100000};
constexpr std::array<std::int64_t, 2> kGroups{3, 10};

std::string grid_name(const char* kind, const char* divergence, std::string_view scalar,
                      std::int64_t m, std::int64_t n) {
  return std::string(kind) + "/" + divergence + "/" + std::string(scalar) +
         "/m:" + std::to_string(m) + "/n:" + std::to_string(n);
}

struct Div {
  DivergenceKind kind;
  const char* name;
};
constexpr std::array<Div, 2> kDivergences{Div{DivergenceKind::kl, "kl"},
                                          Div{DivergenceKind::chi2, "chi2"}};

template <class S>
void register_solves(std::int64_t max_m, bool kl) {
  for (const Div& div : kDivergences) {
    if (div.kind == DivergenceKind::kl && !kl) continue;
    for (std::int64_t m : kOutcomes) {
      if (m > max_m) continue;
      for (std::int64_t n : kGroups) {
        auto* bench = benchmark::RegisterBenchmark(
            grid_name("solve", div.name, ScalarTraits<S>::name, m, n).c_str(), solve_step<S>,
            div.kind, m, n);
        // Exact χ² at m = 100000 takes ~a second per solve: a few iterations are enough.
        if (ScalarTraits<S>::exact && m >= 100000) bench->Iterations(3);
      }
    }
  }
}

template <class S>
void register_mechanisms(std::int64_t max_m, bool kl) {
  for (const Div& div : kDivergences) {
    if (div.kind == DivergenceKind::kl && !kl) continue;
    for (std::int64_t m : kOutcomes) {
      if (m > max_m) continue;
      for (std::int64_t n : kGroups)
        benchmark::RegisterBenchmark(
            grid_name("mechanism", div.name, ScalarTraits<S>::name, m, n).c_str(), mechanism_run<S>,
            div.kind, m, n);
    }
  }
}

template <class S>
void register_ops(const char* backend) {
  const std::array<std::pair<Op, const char*>, 5> ops{
      std::pair{Op::exp, "exp"}, std::pair{Op::log, "log"}, std::pair{Op::mul, "mul"},
      std::pair{Op::div, "div"}, std::pair{Op::add, "add"}};
  for (const auto& [which, name] : ops)
    benchmark::RegisterBenchmark((std::string("op/") + name + "/" + backend).c_str(), op<S>, which);
}

void register_all() {
  constexpr std::int64_t kAll = 100000;
  // 1. Solves: double and 50 digits everywhere, 100 digits for m ≤ 1000, exact for χ².
  register_solves<double>(kAll, true);
  register_solves<Float50>(kAll, true);
  register_solves<Float100>(1000, true);
  register_solves<Rational>(kAll, false);
  // 2. The full mechanism (n + 1 solves).
  register_mechanisms<double>(kAll, true);
  register_mechanisms<Float50>(kAll, true);
  register_mechanisms<Rational>(1000, false);
  // 3. Baseline: the exponentials alone.
  for (std::int64_t m : {std::int64_t{10}, std::int64_t{1000}}) {
    benchmark::RegisterBenchmark(("exps/double/m:" + std::to_string(m)).c_str(), exps<double>, m);
    benchmark::RegisterBenchmark(("exps/50/m:" + std::to_string(m)).c_str(), exps<Float50>, m);
    benchmark::RegisterBenchmark(("exps/bin50/m:" + std::to_string(m)).c_str(), exps<BinFloat50>,
                                 m);
  }
  // 4. MPFR vs cpp_bin_float (and MPFR without malloc): KL and χ² solves at m = 1000, n = 3, and
  // the single operations.
  for (const Div& div : kDivergences) {
    auto name = [&](const char* backend) {
      return std::string("backend/") + div.name + "/" + backend + "/m:1000/n:3";
    };
    benchmark::RegisterBenchmark(name("mpfr50").c_str(), backend_solve<Float50>, div.kind, 1000, 3);
    benchmark::RegisterBenchmark(name("bin50").c_str(), backend_solve<BinFloat50>, div.kind, 1000,
                                 3);
    benchmark::RegisterBenchmark(name("mpfr50heap").c_str(), backend_solve<HeapFloat50>, div.kind,
                                 1000, 3);
    benchmark::RegisterBenchmark(name("mpfr100").c_str(), backend_solve<Float100>, div.kind, 1000,
                                 3);
    benchmark::RegisterBenchmark(name("bin100").c_str(), backend_solve<BinFloat100>, div.kind, 1000,
                                 3);
  }
  // 5. The batch solver against the scalar one on the same scores, and the vectorized exp floor.
  for (const Div& div : kDivergences)
    for (std::int64_t m : {std::int64_t{10}, std::int64_t{1000}, std::int64_t{100000}}) {
      const std::string suffix = "/double/m:" + std::to_string(m);
      benchmark::RegisterBenchmark(
          ("batch/" + std::string(div.name) + suffix + "/b:" + std::to_string(batch_width(m)))
              .c_str(),
          batch_solve, div.kind, m);
      benchmark::RegisterBenchmark(("scalar/" + std::string(div.name) + suffix).c_str(),
                                   scalar_solve, div.kind, m);
    }
  for (std::int64_t m : {std::int64_t{10}, std::int64_t{1000}, std::int64_t{100000}})
    benchmark::RegisterBenchmark(
        ("vexps/double/m:" + std::to_string(m) + "/b:" + std::to_string(batch_width(m))).c_str(),
        vectorized_exps, m);
  // 6. Rewarded soups (n = 3, K = 9: 66 soups) batched and one by one.
  for (const Div& div : kDivergences)
    for (std::int64_t m : {std::int64_t{10}, std::int64_t{1000}})
      for (bool batched : {true, false})
        benchmark::RegisterBenchmark(
            (std::string("soups/") + div.name + "/" + (batched ? "batched" : "one-by-one") +
             "/double/m:" + std::to_string(m) + "/K:9")
                .c_str(),
            soups, div.kind, m, 9L, batched);
  register_ops<double>("double");
  register_ops<Float50>("mpfr50");
  register_ops<BinFloat50>("bin50");
  register_ops<HeapFloat50>("mpfr50heap");
  register_ops<Float100>("mpfr100");
  register_ops<BinFloat100>("bin100");
}

// Guards the figures: every scalar must solve the same instance to the same optimum (else a
// conversion is wrong and the comparison meaningless). Returns false with a message on stderr.
bool instances_agree() {
  using boost::multiprecision::abs;
  const std::int64_t m = 1000, n = 3;
  auto kl = [&](auto scalar) {
    using S = decltype(scalar);
    const ScalarInstance<S>& instance = scalar_instance<S>(m, n);
    return Float100(solve_kl(aggregate_scores(instance.profile), instance.mechanism.initial,
                             instance.mechanism.rule.lambda)
                        .objective);
  };
  auto chi2 = [&](auto scalar) {
    using S = decltype(scalar);
    const ScalarInstance<S>& instance = scalar_instance<S>(m, n);
    return solve_chi2(aggregate_scores(instance.profile), instance.mechanism.initial,
                      instance.mechanism.rule.lambda)
        .objective;
  };
  const Float100 reference = kl(Float100{});
  const Float100 kl_errors[] = {abs(kl(double{}) - reference), abs(kl(Float50{}) - reference),
                                abs(kl(BinFloat50{}) - reference),
                                abs(kl(BinFloat100{}) - reference),
                                abs(kl(HeapFloat50{}) - reference)};
  const Float100 kl_bounds[] = {Float100("1e-10"), Float100("1e-44"), Float100("1e-44"),
                                Float100("1e-94"), Float100("1e-44")};
  for (std::size_t k = 0; k < std::size(kl_errors); ++k) {
    if (kl_errors[k] > kl_bounds[k] * abs(reference)) {
      std::fprintf(stderr, "solver_bench: KL optimum #%zu disagrees with 100 digits by %s\n", k,
                   kl_errors[k].str(5).c_str());
      return false;
    }
  }
  const Rational exact = chi2(Rational{});
  const Float100 chi2_values[] = {Float100(chi2(Float50{})), Float100(chi2(BinFloat50{})),
                                  Float100(chi2(HeapFloat50{}))};
  for (std::size_t k = 0; k < std::size(chi2_values); ++k) {
    if (abs(Float100(exact) - chi2_values[k]) > Float100("1e-44") * abs(Float100(exact))) {
      std::fprintf(stderr, "solver_bench: chi2 optimum #%zu at 50 digits disagrees with exact\n",
                   k);
      return false;
    }
  }
  return true;
}

}  // namespace
}  // namespace mechcheck

int main(int argc, char** argv) {
  if (!mechcheck::instances_agree()) return 1;
  if (const char* simd = std::getenv("MECHCHECK_SIMD"); simd && *simd) {
    const auto kernels = mechcheck::parse_batch_kernels(simd);
    if (!kernels || !mechcheck::select_batch_kernels(*kernels)) {
      std::fprintf(stderr,
                   "solver_bench: MECHCHECK_SIMD=%s: not avx2, sse2 or off available here\n", simd);
      return 2;
    }
  }
  benchmark::AddCustomContext(
      "batch_kernels",
      std::string(mechcheck::batch_kernels_name(mechcheck::active_batch_kernels())));
  mechcheck::register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

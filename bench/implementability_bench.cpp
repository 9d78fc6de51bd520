// Implementability on large type grids (issue #4; bench/README.md, "Implementability"):
// m = 10 outcomes, n = 3 groups, KL SW-Max (λ = 1), sum normalization, w̄ = 3; group 0's types
// are the lattice of resolution 1 × sizes {1, 2, 3} (30), the uniform report × sizes (3), the
// truthful report, and seeded random reports (sample_reward, uniform shape, random sizes) up
// to exactly K types. One configuration per process, so the peak RSS is that configuration's.
//
//   implementability_bench --types K [--precision double|50|100] [--threads T] [--seed S]
//                          [--mode full|phases] [--skip-bellman-ford]
//
// full:   analyze_implementability(instance, {resolution 1, sizes 1..3, extra types, threads}) —
//         what `mechcheck implementability` does — timed end to end.
// phases: the same steps, re-implemented here from the library's public solver functions
//         (mechanism_of, profile_of, aggregate_scores, solve_sw_max — the committed
//         implementability.cpp's code, copied) and timed one by one:
//           solve       K SW-Max solves (tbb, T threads)
//           weights     the K×K gain matrix (one K×m by m×K product + a pass)
//           weak        the most negative 2-cycle
//           bf_decide   Bellman–Ford from a virtual source (the negative-cycle decision)
//           bf_rochet   Bellman–Ford from t* on L and on Lᵀ (Rochet's payment and the ranges)
//         and the proposed replacement:
//           howard      minimum_mean_cycle(L) (checks/implementability/min_mean_cycle.hpp)
//           dijkstra    with Howard's potentials as Johnson potentials (mean ≥ 0), two dense
//                       O(K²) Dijkstras for the same shortest paths as bf_rochet
//         plus bf_decide_rowwise: the same Bellman–Ford on a row-contiguous copy of L (the
//         committed loop reads L(a, ·) along a row of a column-major matrix: stride K).
// Prints one JSON object: seconds per phase, rounds, verdicts, agreement, peak RSS (MB).
#include <sys/resource.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "checks/implementability/implementability.hpp"
#include "checks/implementability/min_mean_cycle.hpp"
#include "checks/implementability/type_grid.hpp"
#include "generators/rng.hpp"
#include "generators/samplers.hpp"
#include "solver/instance_solver.hpp"

namespace mechcheck {
namespace {

constexpr std::size_t kOutcomes = 10;
constexpr std::size_t kGroups = 3;
constexpr long kMaxSize = 3;
constexpr int kResolution = 1;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

Instance bench_instance(std::uint64_t seed) {
  Rng rng = Rng::stream(seed, 0);
  Instance instance;
  instance.outcomes = indexed_outcomes(kOutcomes);
  instance.normalization = Normalization::sum;
  instance.initial = sample_initial(rng, kOutcomes, InitialShape::random);
  instance.max_group_size = kMaxSize;
  instance.rule.type = RuleType::sw_max;
  instance.rule.divergence = DivergenceKind::kl;
  instance.rule.lambda = 1;
  instance.payment.type = PaymentType::affine_maximizer;
  for (std::size_t i = 0; i < kGroups; ++i)
    instance.groups.push_back(
        Group{sample_reward(rng, kOutcomes, Normalization::sum, RewardShape::uniform),
              Rational(rng.integer(1, kMaxSize))});
  validate(instance);
  return instance;
}

std::vector<long> sizes() { return {1, 2, 3}; }

// Random extra types so that type_grid(lattice ∪ uniform ∪ truthful ∪ extra) has exactly k.
std::vector<Group> extra_types(const Instance& instance, std::size_t k, std::uint64_t seed) {
  std::vector<Group> extra;
  Rng rng = Rng::stream(seed, 1);
  for (;;) {
    std::vector<Group> with_truth = extra;
    with_truth.push_back(instance.groups[0]);
    const std::size_t have =
        type_grid(kOutcomes, Normalization::sum, kResolution, sizes(), with_truth).size();
    if (have >= k) {
      if (have > k) throw std::runtime_error("K is below the lattice's own size");
      return extra;
    }
    for (std::size_t j = have; j < k; ++j)
      extra.push_back(Group{sample_reward(rng, kOutcomes, Normalization::sum, RewardShape::uniform),
                            Rational(rng.integer(1, kMaxSize))});
  }
}

// ---- the committed implementability.cpp's steps, copied (phases mode) ----

template <class S>
Matrix<S> policies_for(const Instance& instance, const std::vector<Group>& types, int threads) {
  const Mechanism<S> mechanism = mechanism_of<S>(instance);
  const Profile<S> profile = profile_of<S>(instance);
  const Vector<S> others = aggregate_scores(profile, 0);
  Matrix<S> policies(others.size(), static_cast<Eigen::Index>(types.size()));
  tbb::task_arena arena(std::max(1, threads));
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, types.size(), [&](std::size_t t) {
      const Vector<S> scores =
          mechanism.score_sign *
          (others + from_rational<S>(types[t].size) * from_rationals<S>(types[t].reward));
      policies.col(static_cast<Eigen::Index>(t)) =
          solve_sw_max(mechanism.rule, scores, mechanism.initial).policy;
    });
  });
  return policies;
}

template <class S>
Matrix<S> gain_matrix(const std::vector<Group>& types, const Matrix<S>& policies) {
  const auto k = static_cast<Eigen::Index>(types.size());
  Matrix<S> weighted(k, policies.rows());
  for (Eigen::Index t = 0; t < k; ++t)
    weighted.row(t) = (from_rational<S>(types[static_cast<std::size_t>(t)].size) *
                       from_rationals<S>(types[static_cast<std::size_t>(t)].reward))
                          .transpose();
  const Matrix<S> value = weighted * policies;
  Matrix<S> gains(k, k);
  for (Eigen::Index a = 0; a < k; ++a)
    for (Eigen::Index b = 0; b < k; ++b) gains(a, b) = value(b, b) - value(b, a);
  return gains;
}

// Bellman–Ford as committed; `transposed` = true reads weights(a, b) as stored(b, a) (a
// contiguous column per source node a). Returns the rounds run; `cycle` set if still relaxing.
template <class S>
int bellman_ford(const Matrix<S>& stored, bool transposed, Eigen::Index source, const S& tolerance,
                 std::vector<S>& distance, bool& cycle) {
  const Eigen::Index k = stored.rows();
  distance.assign(static_cast<std::size_t>(k), source < 0 ? S(0) : std::numeric_limits<S>::max());
  std::vector<bool> reached(static_cast<std::size_t>(k), source < 0);
  if (source >= 0)
    distance[static_cast<std::size_t>(source)] = 0,
    reached[static_cast<std::size_t>(source)] = true;
  cycle = false;
  for (Eigen::Index round = 0; round < k; ++round) {
    bool relaxed = false;
    for (Eigen::Index a = 0; a < k; ++a) {
      if (!reached[static_cast<std::size_t>(a)]) continue;
      const S from = distance[static_cast<std::size_t>(a)];
      for (Eigen::Index b = 0; b < k; ++b) {
        if (a == b) continue;
        const S candidate = from + (transposed ? stored(b, a) : stored(a, b));
        if (!reached[static_cast<std::size_t>(b)] ||
            candidate < distance[static_cast<std::size_t>(b)] - tolerance) {
          distance[static_cast<std::size_t>(b)] = candidate;
          reached[static_cast<std::size_t>(b)] = true;
          relaxed = true;
        }
      }
    }
    if (!relaxed) return static_cast<int>(round + 1);
  }
  cycle = true;
  return static_cast<int>(k);
}

// Dense Dijkstra on weights(a, b) + h(a) − h(b) ≥ 0 (h = −potential); distances returned in the
// original weights. `transposed` as above.
template <class S>
std::vector<S> dijkstra(const Matrix<S>& stored, bool transposed, Eigen::Index source,
                        const std::vector<S>& potential) {
  const auto k = static_cast<std::size_t>(stored.rows());
  std::vector<S> reduced(k, std::numeric_limits<S>::max());
  std::vector<bool> done(k, false);
  reduced[static_cast<std::size_t>(source)] = 0;
  for (std::size_t step = 0; step < k; ++step) {
    std::size_t a = k;
    for (std::size_t v = 0; v < k; ++v)
      if (!done[v] && (a == k || reduced[v] < reduced[a])) a = v;
    done[a] = true;
    for (std::size_t b = 0; b < k; ++b) {
      if (done[b]) continue;
      const auto ia = static_cast<Eigen::Index>(a), ib = static_cast<Eigen::Index>(b);
      // w(a, b) − x(a) + x(b) ≥ mean ≥ 0 by Howard's certificate.
      const S candidate =
          reduced[a] + (transposed ? stored(ib, ia) : stored(ia, ib)) - potential[a] + potential[b];
      if (candidate < reduced[b]) reduced[b] = candidate;
    }
  }
  // A path's reduced weight telescopes to its weight − potential(source) + potential(end).
  std::vector<S> distance(k);
  for (std::size_t v = 0; v < k; ++v)
    distance[v] = reduced[v] - potential[v] + potential[static_cast<std::size_t>(source)];
  return distance;
}

template <class S>
double as_double(const S& value) {
  if constexpr (std::is_same_v<S, double>)
    return value;
  else
    return static_cast<double>(value);
}

template <class S>
nlohmann::json phases(const Instance& instance, const std::vector<Group>& extra, int threads,
                      bool skip_bellman_ford) {
  nlohmann::json out;
  auto start = std::chrono::steady_clock::now();
  std::vector<Group> with_truth = extra;
  with_truth.push_back(instance.groups[0]);
  const std::vector<Group> types =
      type_grid(kOutcomes, Normalization::sum, kResolution, sizes(), with_truth);
  out["types_s"] = seconds_since(start);
  out["K"] = types.size();

  start = std::chrono::steady_clock::now();
  const Matrix<S> policies = policies_for<S>(instance, types, threads);
  out["solve_s"] = seconds_since(start);

  start = std::chrono::steady_clock::now();
  const Matrix<S> gains = gain_matrix(types, policies);
  out["weights_s"] = seconds_since(start);

  double scale = 1;
  for (const Group& g : instance.groups) scale += g.size.convert_to<double>();
  const S tolerance = ScalarTraits<S>::tolerance() * S(1000 * scale);
  const auto k = gains.rows();

  start = std::chrono::steady_clock::now();
  S worst_pair = std::numeric_limits<S>::max();
  for (Eigen::Index a = 0; a < k; ++a)
    for (Eigen::Index b = a + 1; b < k; ++b)
      if (const S total = gains(a, b) + gains(b, a); total < worst_pair) worst_pair = total;
  out["weak_s"] = seconds_since(start);
  out["min_two_cycle"] = as_double(worst_pair);

  std::vector<S> from_bf, to_bf, scratch;
  bool cycle = false;
  if (!skip_bellman_ford) {
    start = std::chrono::steady_clock::now();
    out["bf_decide_rounds"] = bellman_ford<S>(gains, false, -1, tolerance, scratch, cycle);
    out["bf_decide_s"] = seconds_since(start);
    out["bf_negative_cycle"] = cycle;

    start = std::chrono::steady_clock::now();
    const Matrix<S> rowwise = gains.transpose();
    bellman_ford<S>(rowwise, true, -1, tolerance, scratch, cycle);
    out["bf_decide_rowwise_s"] = seconds_since(start);

    start = std::chrono::steady_clock::now();
    const int r1 = bellman_ford<S>(gains, false, 0, tolerance, from_bf, cycle);
    const Matrix<S> reversed = gains.transpose();
    const int r2 = bellman_ford<S>(reversed, false, 0, tolerance, to_bf, cycle);
    out["bf_rochet_s"] = seconds_since(start);
    out["bf_rochet_rounds"] = {r1, r2};
  }

  start = std::chrono::steady_clock::now();
  const auto howard = minimum_mean_cycle(gains, tolerance);
  out["howard_s"] = seconds_since(start);
  out["howard_rounds"] = howard->iterations;
  out["howard_mean"] = as_double(howard->mean);
  out["howard_cycle_length"] = howard->cycle.size();
  out["howard_negative_cycle"] = howard->mean < -tolerance;

  if (howard->mean >= -tolerance) {
    start = std::chrono::steady_clock::now();
    const std::vector<S> from_dijkstra = dijkstra(gains, false, 0, howard->potential);
    // Shortest paths to t*: on Lᵀ, read in place; potentials negate.
    std::vector<S> negated(howard->potential.size());
    for (std::size_t v = 0; v < negated.size(); ++v) negated[v] = -howard->potential[v];
    const std::vector<S> to_dijkstra = dijkstra(gains, true, 0, negated);
    out["dijkstra_s"] = seconds_since(start);
    if (!skip_bellman_ford) {
      double worst = 0;
      for (std::size_t v = 0; v < from_bf.size(); ++v)
        worst = std::max({worst, std::abs(as_double(S(from_bf[v] - from_dijkstra[v]))),
                          std::abs(as_double(S(to_bf[v] - to_dijkstra[v])))});
      out["dijkstra_vs_bf_max_difference"] = worst;
    }
  }
  return out;
}

}  // namespace
}  // namespace mechcheck

int main(int argc, char** argv) {
  using namespace mechcheck;
  std::size_t k = 1000;
  std::string precision = "double", mode = "full";
  int threads = 2;
  std::uint64_t seed = 4;
  bool skip_bellman_ford = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&] {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return std::string(argv[++i]);
    };
    if (arg == "--types")
      k = std::stoul(value());
    else if (arg == "--precision")
      precision = value();
    else if (arg == "--threads")
      threads = std::stoi(value());
    else if (arg == "--seed")
      seed = std::stoull(value());
    else if (arg == "--mode")
      mode = value();
    else if (arg == "--skip-bellman-ford")
      skip_bellman_ford = true;
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  const auto parsed = parse_precision(precision);
  if (!parsed || (mode != "full" && mode != "phases")) {
    std::fprintf(stderr, "bad --precision or --mode\n");
    return 2;
  }
  const Instance instance = bench_instance(seed);
  const std::vector<Group> extra = extra_types(instance, k, seed);
  nlohmann::json out;
  const auto start = std::chrono::steady_clock::now();
  if (mode == "full") {
    ImplementabilityOptions options;
    options.resolution = kResolution;
    options.sizes = sizes();
    options.extra_types = extra;
    options.threads = threads;
    options.precision = *parsed;
    const ImplementabilityResult result = analyze_implementability(instance, options);
    out["K"] = result.types;
    out["verdict"] = std::string(verdict_name(result.verdict));
    out["payment_equivalence_gap"] = result.payment_equivalence_gap.value_or(-1);
    out["distance_to_affine_maximizer"] = result.distance_to_affine_maximizer.value_or(-1);
  } else {
    out = with_scalar(*parsed, [&]<class S>() -> nlohmann::json {
      if constexpr (std::is_same_v<S, Rational>)
        throw std::invalid_argument("KL has no exact mode");
      else
        return phases<S>(instance, extra, threads, skip_bellman_ford);
    });
  }
  out["total_s"] = seconds_since(start);
  out["mode"] = mode;
  out["precision"] = precision;
  out["threads"] = threads;
  out["max_rss_mb"] = peak_rss_mb();
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

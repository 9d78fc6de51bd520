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
// phases: the library's own steps (checks/implementability/phases.hpp, bellman_ford.hpp,
//         min_mean_cycle.hpp), timed one by one:
//           solve       K SW-Max solves (tbb, T threads)
//           weights     the K×K gain matrix (one K×m by m×K product + a pass)
//           weak        the most negative 2-cycle
//           bf_decide   Bellman–Ford from a virtual source (the negative-cycle decision)
//           bf_rochet   Bellman–Ford from t* on L and on Lᵀ (Rochet's payment and the ranges)
//         and the proposed replacement:
//           howard      minimum_mean_cycle(L) (checks/implementability/min_mean_cycle.hpp)
//           dijkstra    with Howard's potentials as Johnson potentials (mean ≥ 0), two dense
//                       O(K²) Dijkstras for the same shortest paths as bf_rochet
// Prints one JSON object: seconds per phase, verdicts, agreement, peak RSS (MB).
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "checks/implementability/bellman_ford.hpp"
#include "checks/implementability/implementability.hpp"
#include "checks/implementability/min_mean_cycle.hpp"
#include "checks/implementability/phases.hpp"
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
  const Matrix<S> policies = policies_for<S>(instance, 0, types, threads);
  out["solve_s"] = seconds_since(start);

  start = std::chrono::steady_clock::now();
  const Matrix<S> gains = gain_matrix(types, policies, threads);
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
  if (!skip_bellman_ford) {
    start = std::chrono::steady_clock::now();
    out["bf_negative_cycle"] = !bellman_ford<S>(gains, -1, tolerance, scratch).empty();
    out["bf_decide_s"] = seconds_since(start);

    start = std::chrono::steady_clock::now();
    bellman_ford<S>(gains, 0, tolerance, from_bf);
    const Matrix<S> reversed = gains.transpose();
    bellman_ford<S>(reversed, 0, tolerance, to_bf);
    out["bf_rochet_s"] = seconds_since(start);
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
    // The library's shortest paths (Johnson heights from Howard's potentials), as in
    // analyze_implementability: from t* on L, and to t* on Lᵀ read in place.
    std::vector<S> height(howard->potential.size());
    for (std::size_t v = 0; v < height.size(); ++v) height[v] = -howard->potential[v];
    std::vector<std::optional<S>> from_reference_only(height.size());
    from_reference_only[0] = S(0);
    const std::vector<S> from_dijkstra = shortest_paths(gains, false, from_reference_only, height);
    const std::vector<S> to_dijkstra =
        shortest_paths(gains, true, from_reference_only, howard->potential);
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

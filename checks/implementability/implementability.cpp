#include "checks/implementability/implementability.hpp"

#include <limits>

#include "checks/implementability/bellman_ford.hpp"
#include "checks/implementability/gain_matrix.hpp"
#include "checks/implementability/min_mean_cycle.hpp"
#include "checks/implementability/phases.hpp"
#include "checks/implementability/type_grid.hpp"
#include "checks/parallel.hpp"
#include "solver/instance_solver.hpp"
#include "spec/exact_number.hpp"

namespace mechcheck {
namespace {

template <class S>
std::string text_of(const S& value) {
  if constexpr (ScalarTraits<S>::exact)
    return value.str();
  else if constexpr (std::is_same_v<S, double>)
    return std::to_string(value);
  else
    return value.str(30);
}

template <class S>
double to_double(const S& value) {
  if constexpr (std::is_same_v<S, double>)
    return value;
  else
    return Float100(value).template convert_to<double>();
}

template <class S>
S cycle_total(const Matrix<S>& weights, const std::vector<Eigen::Index>& cycle) {
  S total = 0;
  for (std::size_t j = 0; j < cycle.size(); ++j)
    total += weights(cycle[j], cycle[(j + 1) % cycle.size()]);
  return total;
}

// A cycle's total recomputed at 100 digits (or exactly) from its types alone.
Float100 confirm_cycle(const Instance& instance, std::size_t group,
                       const std::vector<Group>& cycle_types) {
  if (exact_arithmetic_applies(instance)) {
    const Matrix<Rational> weights =
        gain_matrix(cycle_types, policies_for<Rational>(instance, group, cycle_types, 1));
    std::vector<Eigen::Index> order(cycle_types.size());
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    return Float100(cycle_total(weights, order));
  }
  const Matrix<Float100> weights =
      gain_matrix(cycle_types, policies_for<Float100>(instance, group, cycle_types, 1));
  std::vector<Eigen::Index> order(cycle_types.size());
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  return cycle_total(weights, order);
}

// What the graph alone says (any family): weak monotonicity, the most negative cycle, and when
// there is none, Rochet's shortest paths from the reference type types[0].
template <class S>
struct GraphAnalysis {
  std::vector<Eigen::Index> cycle;  // empty: monotone
  std::vector<S> from_reference;    // V(t*, t)
  std::vector<S> to_anywhere;       // min_u V(t, u): p₀(t) = −to_anywhere[t]
  std::vector<S> forward_height;    // Johnson heights for more shortest paths on `gains`
};

template <class S>
GraphAnalysis<S> analyze_graph(const Matrix<S>& gains, const S& tolerance,
                               ImplementabilityResult& result) {
  GraphAnalysis<S> out;
  const auto k = gains.rows();
  // Weak monotonicity: the most negative 2-cycle.
  S worst_pair = std::numeric_limits<S>::max();
  Eigen::Index pair_a = 0, pair_b = 0;
  for (Eigen::Index a = 0; a < k; ++a)
    for (Eigen::Index b = a + 1; b < k; ++b)
      if (const S total = gains(a, b) + gains(b, a); total < worst_pair)
        worst_pair = total, pair_a = a, pair_b = b;
  if (k > 1) result.evidence.min_two_cycle = to_double(worst_pair);

  // The witness is the cycle of most negative mean (Howard's policy iteration); the most negative
  // 2-cycle stands in only if its mean is within the tolerance band Howard ignores.
  const auto most_negative =
      k > 1 ? minimum_mean_cycle<S>(gains, tolerance) : std::optional<MeanCycle<S>>{};
  if (most_negative) result.evidence.min_cycle_mean = to_double(most_negative->mean);
  if (most_negative && most_negative->mean < -tolerance)
    out.cycle = most_negative->cycle;
  else if (k > 1 && worst_pair < -tolerance)
    out.cycle = {pair_a, pair_b};
  if (!out.cycle.empty()) {
    result.cycle_total = text_of(cycle_total(gains, out.cycle));
    result.evidence.cycle_length = out.cycle.size();
    return out;
  }

  // Monotone: Rochet payments from t* = types[0] and the range of every DSIC payment. Howard's
  // potentials x satisfy x(a) − x(b) ≤ l(a, b) − mean with mean ≥ 0, so −x (and x on the reversed
  // graph) are Johnson heights and the shortest paths are dense Dijkstras instead of Bellman–Ford.
  std::vector<S> potential(static_cast<std::size_t>(k), S(0));
  if (most_negative) potential = most_negative->potential;
  std::vector<S>& forward_height = out.forward_height;
  forward_height.resize(potential.size());
  for (std::size_t t = 0; t < potential.size(); ++t) forward_height[t] = -potential[t];
  std::vector<std::optional<S>> from_reference_only(potential.size());
  from_reference_only[0] = S(0);
  out.from_reference = shortest_paths(gains, false, from_reference_only, forward_height);
  const std::vector<S> to_reference = shortest_paths(gains, true, from_reference_only, potential);
  S gap = 0;
  for (Eigen::Index t = 0; t < k; ++t)
    gap = std::max(gap, S(out.from_reference[static_cast<std::size_t>(t)] +
                          to_reference[static_cast<std::size_t>(t)]));
  result.payment_equivalence_gap = to_double(gap);
  // The least non-negative DSIC payment on the grid is p₀(t) = −min_u V(t, u) (u = t included):
  // shortest paths into a virtual sink, i.e. from a virtual source on the reversed graph.
  out.to_anywhere =
      shortest_paths(gains, true, std::vector<std::optional<S>>(potential.size(), S(0)), potential);
  return out;
}

template <class S>
ImplementabilityResult analyze(const Instance& instance, const ImplementabilityOptions& options,
                               std::vector<Group> types) {
  ImplementabilityResult result;
  result.types = types.size();
  result.precision = std::string(ScalarTraits<S>::name);
  // λ = 1e4000 is +inf in double (and π < DBL_MIN is 0): every payment would be NaN. Said so
  // (inconclusive, exit 3) rather than answered with numbers that are not the instance's.
  if (std::is_same_v<S, double> && !fits_double(instance))
    throw NumericalFailure(
        "rule.lambda, initial or max_group_size is outside double's range at precision double; "
        "rerun with --precision 50 or 100");
  const Matrix<S> policies = policies_for<S>(instance, options.group, types, options.threads);
  const Matrix<S> gains = gain_matrix(types, policies, options.threads);
  const auto k = gains.rows();
  double scale = 1;
  for (const Group& g : instance.groups) scale += g.size.convert_to<double>();
  const S tolerance = ScalarTraits<S>::tolerance() * S(1000 * scale);
  const GraphAnalysis<S> graph = analyze_graph(gains, tolerance, result);

  if (!graph.cycle.empty()) {
    for (Eigen::Index t : graph.cycle)
      result.negative_cycle.push_back(types[static_cast<std::size_t>(t)]);
    if constexpr (ScalarTraits<S>::exact) {
      result.verdict = Verdict::violated;
    } else {
      const Float100 confirmed = confirm_cycle(instance, options.group, result.negative_cycle);
      result.evidence.confirmed_total = confirmed.str(30);
      result.verdict = confirmed < -Float100("1e-60") * Float100(scale) ? Verdict::violated
                                                                        : Verdict::inconclusive;
    }
    return result;
  }
  const std::vector<S>& from_reference = graph.from_reference;
  const std::vector<S>& to_anywhere = graph.to_anywhere;

  if (instance.rule.type == RuleType::sw_max) {
    // p^AFF(t) = OPT₋ᵢ − (ASW₋ᵢ at ψ(t)); the Rochet payment should match it up to a constant.
    // Taken in the leave-one-out frame (the others' exact scores less their top, which cancels
    // as Σψ = 1), as solve_instance does.
    const Mechanism<S> mechanism = mechanism_of<S>(instance);
    const Vector<S> others =
        from_rationals<S>(score_gaps(others_scores(instance, options.group)).gaps);
    const S best_without = solve_sw_max(mechanism.rule, others, mechanism.initial).objective;
    // The largest DSIC payment under IR: p_IR(t) = min_u [w_u·v(ψ(u); rm_u) + V(u, t)], shortest
    // paths from every type started at its truthful valuation (the most it can be charged).
    std::vector<std::optional<S>> truthful_value(static_cast<std::size_t>(k));
    for (Eigen::Index u = 0; u < k; ++u) {
      const Group& type = types[static_cast<std::size_t>(u)];
      truthful_value[static_cast<std::size_t>(u)] =
          S(from_rational<S>(type.size) *
            from_rationals<S>(type.reward).dot(Vector<S>(policies.col(u))));
    }
    const std::vector<S> largest_ir =
        shortest_paths(gains, false, truthful_value, graph.forward_height);
    S low = std::numeric_limits<S>::max(), high = -std::numeric_limits<S>::max();
    S shortfall_low = std::numeric_limits<S>::max(), shortfall_high = -shortfall_low;
    S excess_high = -std::numeric_limits<S>::max(), room_low = std::numeric_limits<S>::max();
    bool finite = true;  // a NaN would be skipped by min/max and leave the sentinels above
    auto is_finite = [](const S& x) { return S(x - x) == S(0); };  // false for NaN and ±inf
    for (Eigen::Index t = 0; t < k; ++t) {
      const Vector<S> policy = policies.col(t);
      const S affine = affine_maximizer_payment(
          best_without, others, policy, divergence_value(mechanism.rule, policy, mechanism.initial),
          S(0));
      const S difference = from_reference[static_cast<std::size_t>(t)] - affine;
      low = std::min(low, difference);
      high = std::max(high, difference);
      // Thm 4.11 on the grid: p^AFF is one non-negative DSIC payment, so p₀ ≤ p^AFF; the theorem
      // says p₀ → p^AFF as the grid refines.
      const S shortfall = affine + to_anywhere[static_cast<std::size_t>(t)];
      // Cor 4.13 on the grid: p^AFF is IR, so p_IR ≥ p^AFF; the corollary squeezes the two.
      const S excess = largest_ir[static_cast<std::size_t>(t)] - affine;
      const S room =
          largest_ir[static_cast<std::size_t>(t)] + to_anywhere[static_cast<std::size_t>(t)];
      finite = finite && is_finite(difference) && is_finite(shortfall) && is_finite(excess);
      shortfall_low = std::min(shortfall_low, shortfall);
      shortfall_high = std::max(shortfall_high, shortfall);
      excess_high = std::max(excess_high, excess);
      room_low = std::min(room_low, room);
    }
    if (finite && k > 0) {
      result.distance_to_affine_maximizer = to_double(S((high - low) / 2));
      result.least_nonnegative_shortfall = to_double(shortfall_high);
      result.evidence.least_nonnegative_shortfall_min = to_double(shortfall_low);
      result.largest_ir_excess = to_double(excess_high);
      result.evidence.ir_nonnegative_room_min = to_double(room_low);
    } else if (!finite) {
      result.evidence.error = "p^AFF is not finite at precision " + result.precision +
                              ": no distance to it or shortfall is reported";
    }
  }
  return result;
}

// Types: the lattice × sizes, the uniform reference types first, then the explicit ones and the
// group's own report.
std::vector<Group> resolve_types(const Instance& instance, const ImplementabilityOptions& options) {
  if (options.group >= instance.group_count())
    throw SpecError("group", "is " + std::to_string(options.group) + ", the instance has " +
                                 std::to_string(instance.group_count()) + " groups");
  if (options.resolution < 1) throw SpecError("resolution", "expected >= 1");
  std::vector<long> sizes = options.sizes;
  const long cap = instance.max_group_size.convert_to<long>();
  if (sizes.empty())
    for (long w = 1; w <= cap; ++w) sizes.push_back(w);
  for (long w : sizes)
    if (w < 1 || w > cap) throw SpecError("sizes", "expected sizes in 1.." + std::to_string(cap));
  std::vector<Group> extra = options.extra_types;
  extra.push_back(instance.groups[options.group]);
  if (!options.lattice)
    return type_grid(instance.outcome_count(), instance.normalization, 1, {}, extra);
  try {
    return type_grid(instance.outcome_count(), instance.normalization, options.resolution, sizes,
                     extra);
  } catch (const std::invalid_argument& error) {
    throw SpecError("resolution", error.what());
  }
}

}  // namespace

ImplementabilityResult analyze_implementability(const Instance& instance,
                                                const ImplementabilityOptions& options) {
  const std::vector<Group> types = resolve_types(instance, options);
  const Precision precision = options.precision.value_or(
      exact_arithmetic_applies(instance) ? Precision::exact : Precision::digits100);
  require_precision_supported(instance, precision);
  try {
    return with_scalar(precision, [&]<class S>() { return analyze<S>(instance, options, types); });
  } catch (const NumericalFailure& failure) {
    // A type whose outcome the working precision cannot represent: no verdict, with the reason.
    ImplementabilityResult result;
    result.verdict = Verdict::inconclusive;
    result.types = types.size();
    result.precision =
        with_scalar(precision, []<class S>() { return std::string(ScalarTraits<S>::name); });
    result.evidence.error = failure.what();
    return result;
  }
}

ImplementabilityResult analyze_game_implementability(const Game& game,
                                                     const GameImplementabilityOptions& options) {
  if (options.agent >= game.agent_count())
    throw SpecError("group", "is " + std::to_string(options.agent) + ", the instance has " +
                                 std::to_string(game.agent_count()) + " " +
                                 std::string(game.agent_noun()) + "s");
  if (options.resolution < 1) throw SpecError("resolution", "expected >= 1");
  const std::vector<ExactPoint> types =
      game.type_grid(options.agent, options.resolution, options.range);
  const auto values = game.exact_type_values(options.agent, types);
  if (!values)
    throw SpecError("family", "the " + std::string(game.family()) +
                                  " family has no exact type values for this command");
  const auto k = static_cast<Eigen::Index>(types.size());
  Matrix<Rational> value_matrix(k, k);
  for (Eigen::Index a = 0; a < k; ++a)
    for (Eigen::Index b = 0; b < k; ++b)
      value_matrix(a, b) = (*values)[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
  ImplementabilityResult result;
  result.types = types.size();
  result.precision = "exact";
  const GraphAnalysis<Rational> graph =
      analyze_graph(gains_from_values(std::move(value_matrix)), Rational(0), result);
  for (Eigen::Index t : graph.cycle)
    result.cycle_points.push_back(types[static_cast<std::size_t>(t)]);
  result.verdict = graph.cycle.empty() ? Verdict::holds : Verdict::violated;
  if (graph.cycle.empty()) {
    // Rochet's payment from the lowest type, p(t) = V(t*, t): a DSIC payment on the grid.
    for (const Rational& p : graph.from_reference)
      result.rochet_payment.push_back(to_exact_string(p));
  }
  return result;
}

namespace {

// A typical exact entry: GMP's 32-byte mpq_t plus a numerator and a denominator of a few limbs
// in malloc chunks (measured: bench/README.md, "Memory limits"); larger numbers take more.
constexpr long double kRationalEntryBytes = 160;

std::uint64_t saturated(long double bytes) {
  constexpr auto most = static_cast<long double>(std::numeric_limits<std::uint64_t>::max());
  return bytes >= most ? std::numeric_limits<std::uint64_t>::max()
                       : static_cast<std::uint64_t>(bytes);
}

long double with_slack(long double bytes) { return bytes * 1.05L + 16.0L * 1024 * 1024; }

}  // namespace

ImplementabilityMemory implementability_memory(const Instance& instance,
                                               const ImplementabilityOptions& options,
                                               std::size_t types) {
  const Precision precision = options.precision.value_or(
      exact_arithmetic_applies(instance) ? Precision::exact : Precision::digits100);
  const auto [entry, name] = with_scalar(precision, []<class S>() {
    if constexpr (ScalarTraits<S>::exact)
      return std::pair<long double, std::string>(kRationalEntryBytes, "exact rationals");
    else if constexpr (std::is_same_v<S, double>)
      return std::pair<long double, std::string>(sizeof(S), "doubles");
    else
      return std::pair<long double, std::string>(
          sizeof(S), std::string(ScalarTraits<S>::name) + "-digit floats");
  });
  const auto k = static_cast<long double>(types);
  const auto m = static_cast<long double>(instance.outcome_count());
  const auto threads = static_cast<long double>(std::max(options.threads, 1));
  const long double matrix = k * k * entry;
  const long double vectors = (2 * m + threads + 16) * k * entry;
  const long double type_set = k * ((m + 1) * kRationalEntryBytes + 64);
  ImplementabilityMemory out;
  out.bytes = saturated(with_slack(matrix + vectors + type_set));
  out.layout = "one " + std::to_string(types) + "×" + std::to_string(types) + " matrix of " + name;
  return out;
}

ImplementabilityMemory game_implementability_memory(std::size_t types) {
  const auto k = static_cast<long double>(types);
  ImplementabilityMemory out;
  out.bytes = saturated(with_slack(2 * k * k * kRationalEntryBytes + 20 * k * kRationalEntryBytes));
  out.layout =
      "two " + std::to_string(types) + "×" + std::to_string(types) + " matrices of exact rationals";
  return out;
}

ExactGainGraph exact_gain_graph(const Instance& instance, const ImplementabilityOptions& options) {
  if (!exact_arithmetic_applies(instance))
    throw SpecError("rule", "exact gain graphs need an sw-max rule with chi2 or tv");
  ExactGainGraph graph;
  graph.types = resolve_types(instance, options);
  graph.gains = gain_matrix(
      graph.types, policies_for<Rational>(instance, options.group, graph.types, options.threads));
  return graph;
}

std::optional<PaymentRanges> exact_payment_ranges(const Matrix<Rational>& gains) {
  std::vector<Rational> from_reference, to_reference;
  if (!bellman_ford<Rational>(gains, 0, Rational(0), from_reference).empty()) return std::nullopt;
  const Matrix<Rational> reversed = gains.transpose();
  bellman_ford<Rational>(reversed, 0, Rational(0), to_reference);
  PaymentRanges ranges;
  for (std::size_t t = 0; t < from_reference.size(); ++t) {
    ranges.lower.push_back(-to_reference[t]);
    ranges.upper.push_back(from_reference[t]);
  }
  return ranges;
}

}  // namespace mechcheck

#pragma once
// Which payments exist for a training rule, on a finite type set of one group (others fixed):
//  * l(a, b) = w_b·v(ψ(b); rm_b) − w_b·v(ψ(a); rm_b) is what type b gains by reporting b rather
//    than a; a DSIC payment needs p(b) − p(a) ≤ l(a, b) on every edge, which is feasible iff the
//    complete graph with weights l has no negative cycle (cycle monotonicity, Rochet);
//  * weak monotonicity (2-cycles) as evidence, then the cycle of most negative mean (Howard's
//    policy iteration, min_mean_cycle.hpp) as the witness;
//  * when monotone, Rochet's payment p(t) = V(t*, t) (shortest paths from the reference type
//    t* = uniform report) and the exact range p(t) − p(t*) ∈ [−V(t, t*), V(t*, t)] of every DSIC
//    payment; the payment-equivalence gap is the widest range, and the constructed payment's
//    distance to p^AFF up to a constant is reported for SW-Max rules.
// Exact for χ² and TV, 100 digits otherwise (or as asked); a floating-point negative cycle is
// re-measured at 100 digits before it is reported.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checks/verdict.hpp"
#include "mechanisms/game.hpp"
#include "solver/precision.hpp"
#include "solver/scalar.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

struct ImplementabilityOptions {
  std::size_t group = 0;
  int resolution = 4;
  std::vector<long> sizes;             // empty: 1..w̄
  std::optional<Precision> precision;  // empty: exact for χ²/TV, 100 digits otherwise
  std::vector<Group> extra_types;
  bool lattice = true;  // false: only the explicit types and the group's own report
  int threads = 1;
};

struct ImplementabilityEvidence {
  std::optional<double> min_two_cycle;   // weak monotonicity: the most negative 2-cycle total
  std::optional<double> min_cycle_mean;  // Howard: the most negative cycle mean
  std::optional<std::size_t> cycle_length;
  std::optional<std::string> confirmed_total;  // a float cycle re-measured at 100 digits
  std::optional<double> least_nonnegative_shortfall_min;
  // min_t p_IR(t) − p₀(t): below 0, no payment on the grid is DSIC, IR and non-negative at once.
  std::optional<double> ir_nonnegative_room_min;
  std::optional<std::string> error;  // inconclusive: the numerical failure
};

struct ImplementabilityResult {
  Verdict verdict = Verdict::holds;
  std::size_t types = 0;
  std::vector<Group> negative_cycle;  // t₀ → t₁ → … → t₀ (the first type is not repeated)
  std::string cycle_total;
  std::optional<double> payment_equivalence_gap;
  std::optional<double> distance_to_affine_maximizer;
  // Thm 4.11 on the grid (SW-Max): max_t p^AFF(t) − p₀(t), p₀ the least non-negative DSIC payment.
  // p^AFF is itself non-negative and DSIC, so this is ≥ 0, and it shrinks as the grid refines.
  std::optional<double> least_nonnegative_shortfall;
  // Cor 4.13 on the grid (SW-Max): max_t p_IR(t) − p^AFF(t), p_IR the largest DSIC payment that
  // keeps every type's truthful utility ≥ 0. Every DSIC, IR, non-negative payment lies in
  // [p₀, p_IR]; this is ≥ min_t u^AFF(t) and tends to it as the grid refines.
  std::optional<double> largest_ir_excess;
  std::string precision;
  ImplementabilityEvidence evidence;
  // Families other than the RLHF Game: the cycle's types as points, and Rochet's payment on the
  // grid (exact strings, types in grid order) when monotone.
  std::vector<ExactPoint> cycle_points;
  std::vector<std::string> rochet_payment;
};

// Throws SpecError for options that do not fit the instance (group index, precision).
ImplementabilityResult analyze_implementability(const Instance& instance,
                                                const ImplementabilityOptions& options);

// What an analysis of `types` types will allocate at its peak, in bytes, before it allocates:
// the K×K gain matrix (one, built in place; the precision's entry size: 8 bytes in double, the
// MPFR number's size at 50 and 100 digits, a typical size for exact rationals, whose limbs grow
// with the numbers), the K×m policies and weighted rewards, one K-row per thread, the O(K)
// vectors of Howard's iteration and Dijkstra, and the types themselves; plus 5 % and 16 MiB
// for the allocator. `layout` says what dominates, for messages:
// "one 20000×20000 matrix of doubles".
struct ImplementabilityMemory {
  std::uint64_t bytes = 0;
  std::string layout;
};
ImplementabilityMemory implementability_memory(const Instance& instance,
                                               const ImplementabilityOptions& options,
                                               std::size_t types);
// analyze_game_implementability on `types` scalar types: the family's K×K exact values and the
// gain matrix made from them (two K×K matrices of rationals).
ImplementabilityMemory game_implementability_memory(std::size_t types);

// Any family whose outcomes are exact (Game::type_grid, Game::exact_type_values): agent i's types
// on the family's grid, the others truthful; exact gains, cycle and Rochet payment.
struct GameImplementabilityOptions {
  std::size_t agent = 0;
  int resolution = 4;
  std::optional<std::pair<Rational, Rational>> range;  // scalar types: [low, high]
};
ImplementabilityResult analyze_game_implementability(const Game& game,
                                                     const GameImplementabilityOptions& options);

// The exact gain matrix l(a, b) on the options' type set (types[0] is the reference t*), for
// rules with rational optima (SW-Max with χ² or TV); throws SpecError otherwise.
struct ExactGainGraph {
  std::vector<Group> types;
  Matrix<Rational> gains;
};
ExactGainGraph exact_gain_graph(const Instance& instance, const ImplementabilityOptions& options);

// When the graph has no negative cycle: every DSIC payment normalized at types[0] satisfies
// p(t) − p(t*) ∈ [lower[t], upper[t]] = [−V(t, t*), V(t*, t)], and both ends are attained.
struct PaymentRanges {
  std::vector<Rational> lower, upper;
};
std::optional<PaymentRanges> exact_payment_ranges(const Matrix<Rational>& gains);

}  // namespace mechcheck

#pragma once
// Which payments exist for a training rule, on a finite type set of one group (others fixed):
//  * l(a, b) = w_b·v(ψ(b); rm_b) − w_b·v(ψ(a); rm_b) is what type b gains by reporting b rather
//    than a; a DSIC payment needs p(b) − p(a) ≤ l(a, b) on every edge, which is feasible iff the
//    complete graph with weights l has no negative cycle (cycle monotonicity, Rochet);
//  * weak monotonicity (2-cycles) first, then Bellman–Ford for longer cycles;
//  * when monotone, Rochet's payment p(t) = V(t*, t) (shortest paths from the reference type
//    t* = uniform report) and the exact range p(t) − p(t*) ∈ [−V(t, t*), V(t*, t)] of every DSIC
//    payment; the payment-equivalence gap is the widest range, and the constructed payment's
//    distance to p^AFF up to a constant is reported for SW-Max rules.
// Exact for χ² and TV, 100 digits otherwise (or as asked); a floating-point negative cycle is
// re-measured at 100 digits before it is reported.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "checks/verdict.hpp"
#include "solver/precision.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

struct ImplementabilityOptions {
  std::size_t group = 0;
  int resolution = 4;
  std::vector<long> sizes;             // empty: 1..w̄
  std::optional<Precision> precision;  // empty: exact for χ²/TV, 100 digits otherwise
  std::vector<Group> extra_types;
  int threads = 1;
};

struct ImplementabilityResult {
  Verdict verdict = Verdict::holds;
  std::size_t types = 0;
  std::vector<Group> negative_cycle;  // t₀ → t₁ → … → t₀ (the first type is not repeated)
  std::string cycle_total;
  std::optional<double> payment_equivalence_gap;
  std::optional<double> distance_to_affine_maximizer;
  std::string precision;
  nlohmann::json evidence = nlohmann::json::object();
};

// Throws SpecError for options that do not fit the instance (group index, precision).
ImplementabilityResult analyze_implementability(const Instance& instance,
                                                const ImplementabilityOptions& options);

}  // namespace mechcheck

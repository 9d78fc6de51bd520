#pragma once
// Shared by the claim families: the mechanisms a claim ranges over, seeded instance draws, a
// deterministic parallel map, and exact/100-digit evaluation helpers.
#include <functional>
#include <string>
#include <vector>

#include "checks/check_runner.hpp"
#include "checks/parallel.hpp"
#include "checks/rlhf_checks.hpp"
#include "claims/claim.hpp"
#include "generators/rng.hpp"
#include "generators/samplers.hpp"
#include "spec/instance.hpp"

namespace mechcheck::claims {

inline constexpr DivergenceKind kAllDivergences[] = {DivergenceKind::kl, DivergenceKind::chi2,
                                                     DivergenceKind::tv, DivergenceKind::reverse_kl,
                                                     DivergenceKind::hellinger};
// Rules with C² strictly convex f (Thm 4.2's KKT argument, Thm B.2's t(x)).
inline constexpr DivergenceKind kSmoothDivergences[] = {DivergenceKind::kl, DivergenceKind::chi2,
                                                        DivergenceKind::reverse_kl,
                                                        DivergenceKind::hellinger};
inline constexpr Normalization kNormalizations[] = {Normalization::sum, Normalization::max};

struct Combination {
  DivergenceKind divergence;
  Normalization normalization;
};

std::vector<Combination> combinations(std::span<const DivergenceKind> divergences);

// The stream of a claim's k-th draw for a combination.
Rng claim_stream(const ClaimContext& context, std::string_view claim,
                 const Combination& combination, std::uint64_t k);

// A sampled instance of the combination. λ is drawn from {1/10, 1/2, 2}; with `interior`, χ²
// gets λ large enough that no outcome reaches probability 0 (the paper's assumption).
Instance claim_instance(Rng& rng, const Combination& combination, PaymentType payment,
                        const GeneratorSpec& spec, bool interior = false);

// Thm 4.11's and Cor 4.13's skewed instance: two outcomes, π = (ε, 1 − ε), group 0 wants x₁ and
// group 1 x₂ (rewards (1, 0) and (0, 1), sizes 1), SW-Max with λ = 1/2, sum normalization.
Instance skewed_instance(DivergenceKind divergence, const Rational& epsilon,
                         const Rational& max_group_size);

// Runs body(k) for k < count on `context.threads` threads; results in index order.
template <class Result, class Body>
std::vector<Result> parallel_map(const ClaimContext& context, std::size_t count, Body body) {
  std::vector<Result> results(count);
  parallel_for_each(context.threads, count, [&](std::size_t k) { results[k] = body(k); });
  return results;
}

std::string combination_name(const Combination& combination);

// A family's check config run for a claim — count × scale instances from `seed`, the context's
// effort and threads —: the verdict, with the first witness (as its family writes it), the
// instance count and the number of violations as evidence; the run for more evidence.
struct FamilyCheck {
  ClaimOutcome outcome;
  CheckRun run;
};
FamilyCheck run_family_check(const ClaimContext& context, const nlohmann::json& config,
                             std::uint64_t seed, int count);

// The instance with the context's mechanism ingredient applied (unchanged in `verify`).
Instance& under_test(const ClaimContext& context, Instance& instance);

// The claim's grid resolutions: its own, unless the context replaces them.
std::vector<int> resolutions(const ClaimContext& context, std::span<const int> own);

// `property` searched on `count` instances of each combination of `divergences` × normalization,
// drawn by make_instance from the claim's streams (with ε for approx-dsic). The evidence lists
// per combination the verdict, the largest gain found and the evaluations, and holds the first
// witness.
ClaimOutcome property_over_combinations(
    const ClaimContext& context, std::string_view id, Property property,
    std::span<const DivergenceKind> divergences, int count,
    const std::function<Instance(Rng&, const Combination&)>& make_instance,
    const Rational& epsilon = Rational(0));

}  // namespace mechcheck::claims

#include "cli/type_set_limits.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <string>

#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {
namespace {

struct Bound {
  long double extra = 0, sizes = 0, rewards = 0, total = 0;
};

// Counted in long double, each factor stopping once it passes `cap` (an overflow guard).
Bound bound_of(const Instance& instance, const ImplementabilityOptions& analysis, long double cap) {
  // The analysis reads w̄ as a long (sizes 1..w̄).
  if (instance.max_group_size > std::numeric_limits<long>::max())
    throw SpecError("max_group_size",
                    "is " + to_exact_string(instance.max_group_size) + ", expected at most " +
                        std::to_string(std::numeric_limits<long>::max()) + " for a type set");
  Bound bound;
  bound.extra = static_cast<long double>(analysis.extra_types.size()) + 1;
  bound.total = bound.extra;
  if (!analysis.lattice) return bound;
  bound.sizes = analysis.sizes.empty() ? instance.max_group_size.convert_to<long double>()
                                       : static_cast<long double>(analysis.sizes.size());
  // Lattice reward models of resolution q (as lattice_rewards counts them), in long double.
  const std::size_t m = instance.outcome_count();
  const auto q = static_cast<long double>(std::max(analysis.resolution, 1));
  long double rewards = 1;
  if (instance.normalization == Normalization::sum) {
    for (std::size_t k = 1; k < m && rewards <= cap; ++k)
      rewards = rewards * (q + static_cast<long double>(k)) / static_cast<long double>(k);
  } else {
    rewards =
        std::pow(q + 1, static_cast<long double>(m)) - std::pow(q, static_cast<long double>(m));
  }
  bound.rewards = rewards;
  bound.total = rewards * bound.sizes + bound.sizes + bound.extra;
  return bound;
}

constexpr long double kNoCap = 1e30L;

}  // namespace

long double type_set_size_bound(const Instance& instance, const ImplementabilityOptions& analysis) {
  return bound_of(instance, analysis, kNoCap).total;
}

std::string type_set_description(const Instance& instance,
                                 const ImplementabilityOptions& analysis) {
  const Bound bound = bound_of(instance, analysis, kNoCap);
  if (!analysis.lattice)
    return fmt::format("{} types (--no-grid)", static_cast<double>(bound.total));
  return fmt::format("about {:.3g} types ({} outcomes, {} sizes)", static_cast<double>(bound.total),
                     instance.outcome_count(), static_cast<double>(bound.sizes));
}

void require_type_set_within_limits(const Instance& instance,
                                    const ImplementabilityOptions& analysis, std::size_t cap) {
  const auto limit = static_cast<long double>(cap);
  const Bound bound = bound_of(instance, analysis, limit);
  if (bound.extra > limit)
    throw SpecError("--types", fmt::format("has {} types, expected at most {}",
                                           analysis.extra_types.size(), cap));
  if (!analysis.lattice) return;
  if (bound.sizes > limit)
    throw SpecError(
        "--sizes",
        fmt::format("{} sizes ({}) exceed the limit of {} types; pass "
                    "fewer --sizes",
                    static_cast<double>(bound.sizes),
                    analysis.sizes.empty() ? "the default 1..max_group_size" : "given", cap));
  if (!(bound.total <= limit))
    throw SpecError("--resolution",
                    fmt::format("is {}: the type grid would have about {:.3g} types ({} outcomes, "
                                "{} sizes), expected at most {}; lower --resolution or --sizes",
                                analysis.resolution, static_cast<double>(bound.total),
                                instance.outcome_count(), static_cast<double>(bound.sizes), cap));
}

}  // namespace mechcheck::cli

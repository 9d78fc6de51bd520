#include "cli/type_set_limits.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <string>

#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {

void require_type_set_within_limits(const Instance& instance,
                                    const ImplementabilityOptions& analysis) {
  // The analysis reads w̄ as a long (sizes 1..w̄).
  if (instance.max_group_size > std::numeric_limits<long>::max())
    throw SpecError("max_group_size",
                    "is " + to_exact_string(instance.max_group_size) + ", expected at most " +
                        std::to_string(std::numeric_limits<long>::max()) + " for a type set");
  const auto limit = static_cast<long double>(kMaxTypes);
  const long double extra = static_cast<long double>(analysis.extra_types.size()) + 1;
  if (extra > limit)
    throw SpecError("--types", fmt::format("has {} types, expected at most {}",
                                           analysis.extra_types.size(), kMaxTypes));
  if (!analysis.lattice) return;
  const long double sizes = analysis.sizes.empty()
                                ? instance.max_group_size.convert_to<long double>()
                                : static_cast<long double>(analysis.sizes.size());
  if (sizes > limit)
    throw SpecError(
        "--sizes",
        fmt::format("{} sizes ({}) exceed the limit of {} types; pass "
                    "fewer --sizes",
                    static_cast<double>(sizes),
                    analysis.sizes.empty() ? "the default 1..max_group_size" : "given", kMaxTypes));
  // Lattice reward models of resolution q (as lattice_rewards counts them), in long double.
  const std::size_t m = instance.outcome_count();
  const auto q = static_cast<long double>(std::max(analysis.resolution, 1));
  long double rewards = 1;
  if (instance.normalization == Normalization::sum) {
    for (std::size_t k = 1; k < m && rewards <= limit; ++k)
      rewards = rewards * (q + static_cast<long double>(k)) / static_cast<long double>(k);
  } else {
    rewards =
        std::pow(q + 1, static_cast<long double>(m)) - std::pow(q, static_cast<long double>(m));
  }
  const long double total = rewards * sizes + sizes + extra;
  if (!(total <= limit))
    throw SpecError("--resolution",
                    fmt::format("is {}: the type grid would have about {:.3g} types ({} outcomes, "
                                "{} sizes), expected at most {}; lower --resolution or --sizes",
                                analysis.resolution, static_cast<double>(total), m,
                                static_cast<double>(sizes), kMaxTypes));
}

}  // namespace mechcheck::cli

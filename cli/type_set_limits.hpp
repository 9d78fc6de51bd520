#pragma once
// The size of a type set (`implementability`, `prove --property cycle-monotone|
// payment-equivalence`), bounded before it is built: the analysis holds a gain matrix of
// types x types entries (exact rationals or 100-digit floats), so an oversized grid would end in
// std::bad_alloc ("internal error") after minutes. Refused up front with exit 2 instead.
#include <cstddef>

#include "checks/implementability/implementability.hpp"
#include "spec/instance.hpp"

namespace mechcheck::cli {

// At most this many types: the gain matrix then has at most 9 million entries.
inline constexpr std::size_t kMaxTypes = 3000;

// Throws SpecError naming --resolution, --sizes or --types when the type set of `analysis` on
// `instance` could exceed kMaxTypes (an upper bound: duplicates are removed later).
void require_type_set_within_limits(const Instance& instance,
                                    const ImplementabilityOptions& analysis);

}  // namespace mechcheck::cli

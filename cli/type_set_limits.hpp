#pragma once
// The size of a type set (`implementability`, `prove --property cycle-monotone|
// payment-equivalence`), bounded before it is built: the analysis holds a gain matrix of
// types x types entries (exact rationals or 100-digit floats), so an oversized grid would end in
// std::bad_alloc ("internal error") after minutes. Refused up front with exit 2 instead.
#include <cstddef>
#include <string>

#include "checks/implementability/implementability.hpp"
#include "spec/instance.hpp"

namespace mechcheck::cli {

// At most this many types in exact arithmetic (`prove`, and `implementability` when exact): the
// gain matrix then has at most 9 million entries, whose size grows with the numbers' digits.
// In floating point the memory budget bounds the type set instead (--max-memory).
inline constexpr std::size_t kMaxTypes = 3000;

// An upper bound on the size of the type set of `analysis` on `instance` (duplicates are
// removed later), in long double: it may be astronomically large. Throws SpecError naming
// max_group_size when w̄ exceeds a long.
long double type_set_size_bound(const Instance& instance, const ImplementabilityOptions& analysis);

// "about 2.03e+05 types (3 outcomes, 10 sizes)": the bound above, for messages.
std::string type_set_description(const Instance& instance, const ImplementabilityOptions& analysis);

// Throws SpecError naming --resolution, --sizes or --types when the type set of `analysis` on
// `instance` could exceed `limit` (kMaxTypes for exact arithmetic).
void require_type_set_within_limits(const Instance& instance,
                                    const ImplementabilityOptions& analysis,
                                    std::size_t limit = kMaxTypes);

}  // namespace mechcheck::cli

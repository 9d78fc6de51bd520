#pragma once
// The RLHF Game's instance-level entry to the generic checks: the paper-claims suite, the SMT
// cross-checks and the tests ask about an Instance and want the RLHF witness record back.
#include <optional>

#include "checks/check_result.hpp"
#include "spec/witness.hpp"

namespace mechcheck {

struct PropertyResult {
  Verdict verdict = Verdict::holds;
  CheckEvidence evidence;
  std::optional<Witness> witness;
};

PropertyResult check_property(Property property, const Instance& instance,
                              const CheckOptions& options);
PropertyResult check_dsic(const Instance& instance, const CheckOptions& options);
PropertyResult check_ir(const Instance& instance, const CheckOptions& options);
PropertyResult check_nonneg(const Instance& instance, const CheckOptions& options);
PropertyResult check_approx_dsic(const Instance& instance, const CheckOptions& options);

}  // namespace mechcheck

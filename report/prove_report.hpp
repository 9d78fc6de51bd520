#pragma once
// An SMT proof's typed evidence as the JSON `mechcheck prove` and the claims report.
#include <nlohmann/json.hpp>

#include "checks/smt/prove.hpp"

namespace mechcheck {

nlohmann::json prove_evidence_json(const smt::ProveEvidence& evidence);

}  // namespace mechcheck

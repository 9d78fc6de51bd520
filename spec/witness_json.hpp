#pragma once
// Witness files: exact JSON that `mechcheck replay` reads back.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "spec/witness.hpp"

namespace mechcheck {

nlohmann::json witness_to_json(const Witness& witness);
// Throws SpecError naming the field on a malformed witness.
Witness read_witness(const nlohmann::json& document);

// A witness file's "recorded": {"value", "precision"} (any family), empty strings when absent.
std::pair<std::string, std::string> read_recorded(const nlohmann::json& document);

}  // namespace mechcheck

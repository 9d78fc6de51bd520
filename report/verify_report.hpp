#pragma once
// The report of `mechcheck verify --report`: a header (seed, shard, mechcheck_version,
// config_sha256), the claims in suite order, and all_as_expected. Built here so that
// `mechcheck verify` and `mechcheck merge` of verify shards write the same bytes.
//
// A claim entry: {"id", "statement", "expected" ("holds" | "violated"; for an exploratory claim
// the answer last found, pinned), "verdict", "as_expected", "evidence"} and, for exploratory
// claims and controls, "kind" ("exploratory" | "control") and "note" (the pinned answer in words,
// or why the control cannot fail). Older reports wrote "unknown" for exploratory claims. Run times
// are printed in the table on stdout, not written to the report: the report of a run is then the
// same whether it ran whole or as shards on different machines.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mechcheck {

// The header of a verify report. The config hash covers what selects and sizes the claims:
// {"claims": the selected ids in suite order, "seed", "thorough"}.
nlohmann::json verify_report_header(const std::vector<std::string>& selected_claims,
                                    std::uint64_t seed, bool thorough, std::size_t shard_index,
                                    std::size_t shard_count);

// How the claims came out, as the table's last line and the exit code say it.
struct ClaimTally {
  std::size_t claims = 0;
  std::size_t mismatches = 0;    // contradicted the paper (not as expected, not inconclusive)
  std::size_t inconclusive = 0;  // not as expected and inconclusive
  std::size_t answered = 0;      // exploratory claims as last answered
  std::size_t controls = 0;      // controls as they say (sanity checks, not evidence)
  bool all_as_expected() const { return mismatches == 0 && inconclusive == 0; }
  // 0 every claim as the paper says, 1 a claim contradicted, 3 inconclusive.
  int exit_code() const { return all_as_expected() ? 0 : mismatches > 0 ? 1 : 3; }
  // "6 claims, 4 as the paper says, 0 not, 0 inconclusive; 1 exploratory as last answered;
  // 1 controls"
  std::string summary_line() const;
};

// Throws SpecError naming claims[i].<key> for an entry without a string "id", "expected",
// "verdict" or a boolean "as_expected".
ClaimTally tally_claims(const nlohmann::json& claims);

// The header with "claims" and "all_as_expected" added.
nlohmann::json verify_report(nlohmann::json header, nlohmann::json claims);

}  // namespace mechcheck

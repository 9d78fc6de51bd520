#include "report/verify_report.hpp"

#include <fmt/format.h>

#include "report/report_identity.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

const json& member(const json& claims, std::size_t k, const char* key, bool boolean) {
  const std::string field = fmt::format("claims[{}].{}", k, key);
  if (!claims[k].is_object() || !claims[k].contains(key)) throw SpecError(field, "is missing");
  const json& value = claims[k][key];
  if (boolean ? !value.is_boolean() : !value.is_string())
    throw SpecError(field, boolean ? "expected true or false" : "expected a string");
  return value;
}

}  // namespace

json verify_report_header(const std::vector<std::string>& selected_claims, std::uint64_t seed,
                          bool thorough, std::size_t shard_index, std::size_t shard_count) {
  const json config = {{"claims", selected_claims}, {"seed", seed}, {"thorough", thorough}};
  return {{"seed", seed},
          {"shard", shard_text(shard_index, shard_count)},
          {"mechcheck_version", mechcheck_version()},
          {"config_sha256", config_sha256(config)}};
}

std::string ClaimTally::summary_line() const {
  return fmt::format(
      "{} claims, {} as the paper says, {} not, {} inconclusive; {} exploratory as last answered; "
      "{} controls\n",
      claims, claims - mismatches - inconclusive - answered - controls, mismatches, inconclusive,
      answered, controls);
}

ClaimTally tally_claims(const json& claims) {
  if (!claims.is_array()) throw SpecError("claims", "expected an array");
  ClaimTally tally;
  tally.claims = claims.size();
  for (std::size_t k = 0; k < claims.size(); ++k) {
    member(claims, k, "id", false);
    const bool as_expected = member(claims, k, "as_expected", true).get<bool>();
    const bool inconclusive = member(claims, k, "verdict", false) == "inconclusive";
    // Reports before answers were pinned wrote an exploratory claim's expectation as "unknown".
    const std::string kind = claims[k].value("kind", "paper");
    const bool exploratory =
        kind == "exploratory" || member(claims, k, "expected", false) == "unknown";
    if (!as_expected) ++(inconclusive ? tally.inconclusive : tally.mismatches);
    if (as_expected && exploratory) ++tally.answered;
    if (as_expected && kind == "control") ++tally.controls;
  }
  return tally;
}

json verify_report(json header, json claims) {
  const ClaimTally tally = tally_claims(claims);
  header["claims"] = std::move(claims);
  header["all_as_expected"] = tally.all_as_expected();
  return header;
}

}  // namespace mechcheck

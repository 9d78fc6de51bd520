// Claims about ranking aggregation (the ranking-aggregation family): Gibbard–Satterthwaite's
// manipulability of plurality, Borda, Copeland and Bradley–Terry with 3 responses and 3 voters,
// and the controls that are DSIC — dictatorship, two-response majority, Borda with Clarke
// payments. Each draws random profiles through the family's own check config; every voter's
// deviation space (3! = 6 rankings) is searched exhaustively and measured exactly.
#include "checks/check_runner.hpp"
#include "checks/verdict.hpp"
#include "claims/claim.hpp"
#include "claims/claim_support.hpp"
#include "generators/rng.hpp"
#include "mechanisms/family.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

std::uint64_t ranking_claim_seed(const ClaimContext& context, std::string_view id) {
  std::uint64_t tag = 1469598103934665603ULL;  // FNV-1a of the claim id
  for (char c : id) tag = (tag ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return context.seed ^ mix64(tag);
}

// One property over `count` × scale random profiles of 3 voters (64: a 3-voter Copeland
// profile is manipulable only near a Condorcet cycle, so 16 may miss one); the evidence names the
// first witness.
ClaimOutcome ranking_property(const ClaimContext& context, const std::string& id, json parameters,
                              Property property, int count) {
  if (context.ingredients.ranking) context.ingredients.ranking(parameters);
  const Family& family = family_named("ranking-aggregation");
  const json config = {{"family", family.name()},
                       {"parameters", parameters},
                       {"generator", {{"voters", {3, 3}}}},
                       {"properties", {property_name(property)}}};
  ClaimOutcome outcome =
      claims::run_family_check(context, config, ranking_claim_seed(context, id), count).outcome;
  outcome.evidence["parameters"] = parameters;
  outcome.evidence["property"] = property_name(property);
  outcome.evidence["verdict"] = verdict_name(outcome.verdict);
  return outcome;
}

// Every part checked; `all_violated`: the claim is violated only when every part is (any part
// that holds or cannot tell decides), otherwise any violation is a violation.
ClaimOutcome ranking_parts(const ClaimContext& context, std::string_view id,
                           const std::vector<std::pair<json, Property>>& parts, bool all_violated) {
  ClaimOutcome outcome;
  outcome.verdict = all_violated ? Verdict::violated : Verdict::holds;
  json checks = json::array();
  for (const auto& [parameters, property] : parts) {
    ClaimOutcome part = ranking_property(
        context, std::string(id) + parameters.dump() + std::string(property_name(property)),
        parameters, property, 64);
    if (!all_violated)
      outcome.verdict = combine(outcome.verdict, part.verdict);
    else if (part.verdict != Verdict::violated && outcome.verdict != Verdict::holds)
      outcome.verdict = part.verdict;
    checks.push_back(part.evidence);
  }
  outcome.evidence["checks"] = checks;
  return outcome;
}

}  // namespace

ClaimOutcome claim_ranking_gs_manipulable(const ClaimContext& context) {
  std::vector<std::pair<json, Property>> parts;
  for (const char* rule : {"plurality", "borda", "copeland", "bradley-terry"})
    parts.push_back({{{"rule", rule}, {"responses", 3}}, Property::dsic});
  return ranking_parts(context, "ranking-gs-manipulable", parts, true);
}

ClaimOutcome claim_ranking_dsic_controls(const ClaimContext& context) {
  return ranking_parts(context, "ranking-dsic-controls",
                       {{{{"rule", "dictatorship"}, {"responses", 3}}, Property::dsic},
                        {{{"rule", "majority"}, {"responses", 2}}, Property::dsic}},
                       false);
}

ClaimOutcome claim_ranking_borda_clarke(const ClaimContext& context) {
  const json clarke = {{"rule", "borda"}, {"payment", "clarke"}, {"responses", 3}};
  return ranking_parts(
      context, "ranking-borda-clarke",
      {{clarke, Property::dsic}, {clarke, Property::ir}, {clarke, Property::nonneg}}, false);
}

}  // namespace mechcheck

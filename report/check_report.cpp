#include "report/check_report.hpp"

#include <fmt/format.h>

#include <limits>

#include "mechanisms/family.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

json evidence_json(const CheckResult& result, const Game& game, Property property) {
  const CheckEvidence& e = result.evidence;
  const std::string noun(game.agent_noun());
  json out = {{noun + "s", e.agents}};
  if (e.evaluations) out["evaluations"] = *e.evaluations;
  if (e.strategy) out["strategy"] = *e.strategy;
  if (e.float_gain) out["float_gain"] = *e.float_gain;
  if (e.max_gain_found) out["max_gain_found"] = *e.max_gain_found;
  if (e.confirmation)
    out["confirmation"] = {{"precision", e.confirmation->precision},
                           {"value", e.confirmation->value}};
  if (e.unconfirmed_float_finding) out["unconfirmed_float_finding"] = true;
  // How the witness was confirmed: "exact", "100", "200", or "by-mechanism" (re-asked of an
  // external mechanism with the exact profile and evaluated exactly from its answers).
  if (result.witness && (e.confirmation || e.precision))
    out["confirmed"] = e.confirmation ? e.confirmation->precision : *e.precision;
  if (e.precision) out["precision"] = *e.precision;
  if (!e.values.empty()) out[std::string(describe(property).values)] = e.values;
  if (e.epsilon) out["epsilon"] = *e.epsilon;
  if (e.gain_over_bound) out["gain_over_bound"] = *e.gain_over_bound;
  if (e.max_gain_over_bound) out["max_gain_over_bound"] = *e.max_gain_over_bound;
  if (e.reason) out["reason"] = *e.reason;
  if (e.reason_agent) out[noun] = *e.reason_agent;
  if (e.witness_agent) out["witness_" + noun] = *e.witness_agent;
  if (e.witness_value) out["witness_value"] = *e.witness_value;
  return out;
}

json witness_json(const GameWitness& witness) {
  return family_named(witness.game->family()).witness_to_json(witness);
}

std::string witness_file_name(const InstanceOutcome& outcome, Property property,
                              const GameWitness& witness) {
  return fmt::format("{}-instance{}-{}{}.json", property_name(property), outcome.index,
                     witness.game->agent_noun(), witness.finding.agent);
}

std::vector<PropertySummary> summarize_results(const json& results,
                                               const std::vector<Property>& properties) {
  std::vector<PropertySummary> summaries;
  for (Property property : properties) {
    PropertySummary summary;
    summary.property = property;
    for (const json& entry : results) {
      if (entry.at("property").get<std::string>() != property_name(property)) continue;
      const auto verdict = value_of(kVerdictNames, entry.at("verdict").get<std::string>());
      if (!verdict) throw SpecError("verdict", "is not holds, violated or inconclusive");
      summary.verdict = combine(summary.verdict, *verdict);
      const auto instance = entry.at("instance").get<std::uint64_t>();
      // A violation counts with its witness (a violated result without one is only a verdict).
      if (*verdict == Verdict::violated && entry.contains("witness")) {
        ++summary.violations;
        if (summary.first_problem.empty())
          summary.first_problem = fmt::format("instance {}: violated, witness {}", instance,
                                              entry.at("witness").get<std::string>());
      } else if (*verdict == Verdict::holds && entry.contains("evidence") &&
                 entry["evidence"].value("unconfirmed_float_finding", false)) {
        ++summary.unconfirmed;
      } else if (*verdict == Verdict::inconclusive) {
        ++summary.inconclusive;
        if (summary.first_problem.empty())
          summary.first_problem = fmt::format("instance {}: inconclusive", instance);
      }
    }
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

CheckReport check_report_from_results(json header, const std::vector<Property>& properties,
                                      std::size_t instance_count, json results) {
  CheckReport out;
  out.summaries = summarize_results(results, properties);
  json properties_json = json::array();
  Verdict overall = Verdict::holds;
  for (const PropertySummary& summary : out.summaries) {
    properties_json.push_back({{"property", property_name(summary.property)},
                               {"verdict", verdict_name(summary.verdict)},
                               {"instances_checked", instance_count},
                               {"violations", summary.violations},
                               {"inconclusive", summary.inconclusive}});
    if (summary.unconfirmed > 0)
      properties_json.back()["held_with_unconfirmed_float_finding"] = summary.unconfirmed;
    overall = combine(overall, summary.verdict);
  }
  out.report = std::move(header);
  out.report["instances"] = instance_count;
  out.report["verdict"] = verdict_name(overall);
  out.report["properties"] = std::move(properties_json);
  out.report["results"] = std::move(results);
  return out;
}

CheckReport check_report(const CheckRun& run, const std::string& witness_dir, json header) {
  std::vector<std::pair<std::string, std::string>> witness_files;
  json results = json::array();
  for (std::size_t p = 0; p < run.properties.size(); ++p) {
    const Property property = run.properties[p];
    for (const InstanceOutcome& outcome : run.instances) {
      const CheckResult& result = outcome.results[p];
      // The instance's types, so that a reader sees which instances held.
      json entry = {{"instance", outcome.index},
                    {"property", property_name(property)},
                    {"verdict", verdict_name(result.verdict)},
                    {"types", family_named(outcome.game->family()).types_json(*outcome.game)},
                    {"evidence", evidence_json(result, *outcome.game, property)}};
      if (result.verdict == Verdict::violated && result.witness) {
        const std::string path =
            witness_dir + "/" + witness_file_name(outcome, property, *result.witness);
        witness_files.emplace_back(path, witness_json(*result.witness).dump(2) + "\n");
        entry["witness"] = path;
      }
      results.push_back(std::move(entry));
    }
  }
  // The summaries come from the results as written, so a merge of shard reports
  // (report_merge.cpp) derives exactly the same ones.
  CheckReport out = check_report_from_results(std::move(header), run.properties,
                                              run.instances.size(), std::move(results));
  out.witness_files = std::move(witness_files);
  return out;
}

std::uint64_t check_memory_bytes(std::uint64_t instances, std::size_t properties,
                                 std::uint64_t game_bytes, std::size_t agents) {
  // One result: CheckResult (~0.4 KB) + its JSON entry (nlohmann's map nodes, ~1.5 KB) + its
  // dumped text (~0.6 KB), and per agent a value in each (8 + 16 + ~24 bytes).
  const long double result = 3072.0L + 64.0L * static_cast<long double>(agents);
  // A witness: the shrunk game, its finding and the file's text (~3× the game) + 4 KB.
  const long double witness = 3.0L * static_cast<long double>(game_bytes) + 4096.0L;
  // Each result lists the instance's types too (about the game's size again, as JSON and text).
  const long double listed_types = static_cast<long double>(game_bytes);
  const long double outcome =
      256.0L + static_cast<long double>(game_bytes) +
      static_cast<long double>(properties) * (result + listed_types + witness);
  const long double total =
      (static_cast<long double>(instances) * outcome) * 1.05L + 16.0L * 1024 * 1024;
  constexpr auto most = static_cast<long double>(std::numeric_limits<std::uint64_t>::max());
  return total >= most ? std::numeric_limits<std::uint64_t>::max()
                       : static_cast<std::uint64_t>(total);
}

std::string junit_xml(const std::vector<PropertySummary>& summaries, const std::string& shard) {
  std::string cases;
  int failures = 0;
  for (const PropertySummary& summary : summaries) {
    cases += fmt::format("  <testcase classname=\"mechcheck.check\" name=\"{} [shard {}]\">\n",
                         property_name(summary.property), shard);
    if (summary.verdict != Verdict::holds) {
      ++failures;
      cases += fmt::format("    <failure message=\"{}\">{}</failure>\n",
                           verdict_name(summary.verdict), xml_escape(summary.first_problem));
    }
    cases += "  </testcase>\n";
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"mechcheck\" tests=\"{}\" "
      "failures=\"{}\">\n{}</testsuite>\n",
      summaries.size(), failures, cases);
}

}  // namespace mechcheck

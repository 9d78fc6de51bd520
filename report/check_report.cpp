#include "report/check_report.hpp"

#include <fmt/format.h>

#include "mechanisms/family.hpp"

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

const char* values_name(Property property) {
  switch (property) {
    case Property::ir:
      return "utilities";
    case Property::nonneg:
      return "payments";
    default:
      return "slack";
  }
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
  if (!e.values.empty()) out[values_name(property)] = e.values;
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

CheckReport check_report(const CheckRun& run, const std::string& witness_dir, json header) {
  CheckReport out;
  json properties = json::array(), results = json::array();
  for (std::size_t p = 0; p < run.properties.size(); ++p) {
    PropertySummary summary;
    summary.property = run.properties[p];
    summary.verdict = property_verdict(run, p);
    for (const InstanceOutcome& outcome : run.instances) {
      const CheckResult& result = outcome.results[p];
      json entry = {{"instance", outcome.index},
                    {"property", property_name(summary.property)},
                    {"verdict", verdict_name(result.verdict)},
                    {"evidence", evidence_json(result, *outcome.game, summary.property)}};
      if (result.verdict == Verdict::violated && result.witness) {
        ++summary.violations;
        const std::string path =
            witness_dir + "/" + witness_file_name(outcome, summary.property, *result.witness);
        out.witness_files.emplace_back(path, witness_json(*result.witness).dump(2) + "\n");
        entry["witness"] = path;
        if (summary.first_problem.empty())
          summary.first_problem =
              fmt::format("instance {}: violated, witness {}", outcome.index, path);
      } else if (result.verdict == Verdict::inconclusive) {
        ++summary.inconclusive;
        if (summary.first_problem.empty())
          summary.first_problem = fmt::format("instance {}: inconclusive", outcome.index);
      }
      results.push_back(std::move(entry));
    }
    properties.push_back({{"property", property_name(summary.property)},
                          {"verdict", verdict_name(summary.verdict)},
                          {"instances_checked", run.instances.size()},
                          {"violations", summary.violations},
                          {"inconclusive", summary.inconclusive}});
    out.summaries.push_back(std::move(summary));
  }
  out.report = std::move(header);
  out.report["instances"] = run.instances.size();
  out.report["verdict"] = verdict_name(overall_verdict(run));
  out.report["properties"] = properties;
  out.report["results"] = results;
  return out;
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

#include "cli/prove_command.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <ostream>
#include <thread>

#include "checks/smt/prove.hpp"
#include "cli/file_output.hpp"
#include "cli/prove_type_set.hpp"
#include "cli/shard_option.hpp"
#include "mechanisms/family.hpp"
#include "report/prove_report.hpp"
#include "report/report_identity.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/prove_config.hpp"
#include "spec/spec_error.hpp"
#include "spec/witness_json.hpp"

namespace mechcheck::cli {
namespace {

using json = nlohmann::json;

Rational option_number(const std::string& text, const std::string& field) {
  const auto parsed = parse_exact_number(text);
  if (!parsed || parsed->value <= 0)
    throw SpecError(field, "is \"" + text + "\", expected a number > 0");
  return parsed->value;
}

std::string rule_name(smt::RuleKind rule) {
  switch (rule) {
    case smt::RuleKind::chi2:
      return "chi2";
    case smt::RuleKind::tv:
      return "tv";
    default:
      return "candidates";
  }
}

// The encodings list every case of the split over the policies' supports (χ²: 2^m − 1 support
// sets; TV: about 3^m level patterns) before solving, so memory grows exponentially with m
// whatever the timeout: m = 40 under χ² took 4 GB in a minute. These caps keep the list within
// ~300,000 cases (~120 MB), far beyond what Z3 decides (README: m ≤ 5 in seconds).
constexpr std::size_t kMaxSplitOutcomesChi2 = 18, kMaxSplitOutcomesTv = 11;

void require_case_split_within_limits(const smt::SmtMechanism& mechanism, bool from_option) {
  const std::size_t cap = mechanism.rule == smt::RuleKind::tv ? kMaxSplitOutcomesTv
                          : mechanism.rule == smt::RuleKind::chi2 && !mechanism.interior_only
                              ? kMaxSplitOutcomesChi2
                              : 0;
  if (cap != 0 && mechanism.outcomes > cap)
    throw SpecError(from_option ? "--outcomes" : "outcomes",
                    "is " + std::to_string(mechanism.outcomes) + ", expected at most " +
                        std::to_string(cap) + " for " + rule_name(mechanism.rule) +
                        (mechanism.rule == smt::RuleKind::chi2 ? " with boundary optima" : "") +
                        " (the case split grows exponentially with the outcomes)");
}

// The config as run, for its hash (`merge`): the file with the sizes, noise, samples, seed and
// query choice that were used written in. The timeout and thread count are left out: they change
// how long a proof takes, not what it proves (a run cut off by its deadline says so).
json config_as_run(json document, smt::SmtProperty property, const smt::SmtMechanism& mechanism,
                   const smt::ProveOptions& options) {
  if (!document.is_object()) return document;
  document["property"] = smt::smt_property_name(property);
  document["outcomes"] = mechanism.outcomes;
  document["groups"] = mechanism.groups;
  document["noise"] = {{"epsilon", to_exact_string(options.epsilon)},
                       {"bound", to_exact_string(options.bound_factor)}};
  document["samples"] = options.samples;
  document["seed"] = options.seed;
  document["relaxed_query"] = options.relax;
  return document;
}

unsigned thread_count(int requested) {
  if (requested > 0) return static_cast<unsigned>(requested);
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

std::string prove_summary_line(const json& report) {
  const json& evidence = report.at("evidence");
  return fmt::format("{}: {} ({} query, {} cases)\n", report.at("status").get<std::string>(),
                     report.at("property").get<std::string>(),
                     evidence.at("query").get<std::string>(),
                     evidence.at("cases").get<std::size_t>());
}

int run_prove(const ProveCommandOptions& options, std::ostream& out, std::ostream& err) {
  if (is_type_set_property(options.property)) return run_prove_type_set(options, out, err);
  smt::SmtMechanism mechanism;
  smt::ProveOptions prove_options;
  smt::SmtProperty property{};
  OutputTransaction files;
  std::string witness_path;
  ShardSelection shard;
  json document;
  try {
    const auto parsed_property = smt::parse_smt_property(options.property);
    if (!parsed_property)
      throw SpecError("--property",
                      "is \"" + options.property +
                          "\", expected dsic, ir, nonneg, approx-dsic, cycle-monotone or "
                          "payment-equivalence");
    property = *parsed_property;
    // Destinations are checked before the proof runs (it may take minutes).
    if (!options.smtlib_path.empty()) OutputTransaction::preflight("--smtlib", options.smtlib_path);
    // The witness is named by its case (known after the proof), so shards that each find one
    // never overwrite each other's and the merged report's path is the one the shard wrote.
    witness_path = options.witness_dir + "/prove-" + std::string(smt::smt_property_name(property));
    OutputTransaction::preflight("--witness-dir", witness_path + ".json", true);
    shard = resolve_shard_option("--shard", options.shard.empty() ? "1/1" : options.shard,
                                 process_environment());
    if (!options.smtlib_path.empty() && shard.count > 1)
      throw SpecError("--smtlib",
                      "a shard's SMT-LIB file would hold only its own cases: write the whole "
                      "query from a run without --shard");
    if (!options.report_path.empty()) OutputTransaction::preflight("--report", options.report_path);
    document = read_exact_json_file(options.config_path);
    if (family_of(document).name() != "rlhf-game")
      throw SpecError("family", "prove has SMT encodings for the rlhf-game family only");
    ProveConfig config = read_prove_config(document);
    set_prove_sizes(config, options.outcomes, options.groups);
    mechanism = config.mechanism;
    require_case_split_within_limits(mechanism, options.outcomes.has_value());
    const double timeout = options.timeout_seconds.value_or(config.timeout_seconds.value_or(60));
    if (!(timeout > 0) || timeout > 1e6)
      throw SpecError("--timeout", "expected seconds in (0, 1e6]");
    prove_options.timeout_ms = static_cast<unsigned>(std::ceil(timeout * 1000));
    if (config.epsilon) prove_options.epsilon = *config.epsilon;
    if (options.epsilon) prove_options.epsilon = option_number(*options.epsilon, "--epsilon");
    if (config.bound_factor) prove_options.bound_factor = *config.bound_factor;
    if (options.bound) prove_options.bound_factor = option_number(*options.bound, "--bound");
    if (property == smt::SmtProperty::approx_dsic && prove_options.epsilon <= 0)
      throw SpecError("noise.epsilon", "approx-dsic needs a noise bound (config or --epsilon)");
    prove_options.samples = options.samples.value_or(config.samples.value_or(20));
    prove_options.seed = options.seed.value_or(config.seed.value_or(1));
    prove_options.smtlib = !options.smtlib_path.empty();
    prove_options.relax = !options.exact;
    prove_options.threads = thread_count(options.threads);
    prove_options.shard_index = shard.index;
    prove_options.shard_count = shard.count;
  } catch (const SpecError& error) {
    err << "mechcheck prove: " << error.what() << "\n";
    return 2;
  }

  const smt::ProveResult result = smt::prove(mechanism, property, prove_options);

  json report = {{"config", options.config_path},
                 {"config_sha256", config_sha256(config_as_run(std::move(document), property,
                                                               mechanism, prove_options))},
                 {"mechcheck_version", mechcheck_version()},
                 {"seed", prove_options.seed},
                 {"shard", shard.text()},
                 {"property", smt::smt_property_name(property)},
                 {"status", smt::prove_status_name(result.status)},
                 {"verdict", verdict_name(result.verdict())},
                 {"solver_answer", result.solver_answer},
                 {"rule", rule_name(mechanism.rule)},
                 {"payment", payment_type_name(mechanism.payment.type)},
                 {"normalization", normalization_name(mechanism.normalization)},
                 {"outcomes", mechanism.outcomes},
                 {"groups", mechanism.groups},
                 {"max_group_size", to_exact_string(mechanism.max_group_size)},
                 {"interior_only", mechanism.interior_only},
                 {"evidence", prove_evidence_json(result.evidence)}};
  report["lambda"] = mechanism.lambda.value ? json(to_exact_string(*mechanism.lambda.value))
                                            : json{{"min", to_exact_string(mechanism.lambda.min)},
                                                   {"max", to_exact_string(mechanism.lambda.max)}};
  if (mechanism.initial) {
    json initial = json::array();
    for (const Rational& p : *mechanism.initial) initial.push_back(to_exact_string(p));
    report["initial"] = initial;
  } else {
    report["initial"] = {{"symbolic", true}, {"min", to_exact_string(mechanism.initial_min)}};
  }
  if (mechanism.rule == smt::RuleKind::candidates) {
    json policies = json::array();
    for (const auto& policy : mechanism.candidates) {
      json row = json::array();
      for (const Rational& q : policy) row.push_back(to_exact_string(q));
      policies.push_back(row);
    }
    report["candidates"] = policies;  // the witness's "rule" gives divergence and λ
  }
  if (!result.reason.empty()) report["reason"] = result.reason;
  try {
    if (!options.smtlib_path.empty()) {
      files.stage(options.smtlib_path, result.smtlib);
      report["smtlib"] = options.smtlib_path;
    }
    if (result.witness) {
      json witness = witness_to_json(*result.witness);
      report["witness"] = witness;
      report["witness_value"] = result.witness_value;
      if (result.status == smt::ProveStatus::violated && result.witness_replayable) {
        const std::string path = fmt::format("{}-case-{}.json", witness_path,
                                             result.evidence.decided_by_case.value_or(0));
        files.stage(path, witness.dump(2) + "\n");
        report["witness_file"] = path;
      }
    }
    if (!options.report_path.empty()) files.stage(options.report_path, report.dump(2) + "\n");
    files.commit();  // the report, SMT-LIB file and witness together, before the verdict
  } catch (const std::exception& error) {
    err << "mechcheck prove: " << error.what() << "\n";
    return 2;
  }
  if (options.report_path.empty())
    out << report.dump(2) << "\n";
  else
    out << prove_summary_line(report);
  // Run time is not in the report (it does not depend on timing, so shards merge byte for byte).
  err << fmt::format("mechcheck prove: {} in {:.2f} s ({} of {} cases, {} thread{})\n",
                     smt::prove_status_name(result.status), result.solve_seconds,
                     result.evidence.cases_solved, result.evidence.cases, prove_options.threads,
                     prove_options.threads == 1 ? "" : "s");
  switch (result.status) {
    case smt::ProveStatus::proved:
      return 0;
    case smt::ProveStatus::violated:
      return 1;
    case smt::ProveStatus::error:
      err << "mechcheck prove: " << result.reason << "\n";
      return 3;
    default:
      err << "mechcheck prove: inconclusive: " << result.reason << "\n";
      return 3;
  }
}

}  // namespace mechcheck::cli

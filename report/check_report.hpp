#pragma once
// Typed check results → JSON, JUnit and witness files: the one place a check run becomes text.
// Used by `mechcheck check` (and any program embedding the checks).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checks/check_runner.hpp"

namespace mechcheck {

// One result's evidence with the keys the reports have always used (agent words per family:
// "groups"/"witness_group" for the RLHF Game, "agents"/"witness_agent" otherwise).
nlohmann::json evidence_json(const CheckResult& result, const Game& game, Property property);

// A witness file's content, written by the witness's family.
nlohmann::json witness_json(const GameWitness& witness);

struct PropertySummary {
  Property property = Property::dsic;
  Verdict verdict = Verdict::holds;
  int violations = 0, inconclusive = 0;
  // Results that hold although the search's float finding did not stand when re-measured (shown,
  // so that a "holds" resting on a dropped finding is never silent).
  int unconfirmed = 0;
  std::string first_problem;  // "instance 3: violated, witness DIR/file.json"
};

// The witness file name of a violated result: dsic-instance3-group1.json.
std::string witness_file_name(const InstanceOutcome& outcome, Property property,
                              const GameWitness& witness);

struct CheckReport {
  nlohmann::json report;                                           // what --report writes
  std::vector<PropertySummary> summaries;                          // one per property, in order
  std::vector<std::pair<std::string, std::string>> witness_files;  // path, content
};

// `witness_dir` prefixes witness paths; `header` holds config, config_sha256,
// mechcheck_version, seed, shard, effort (and an external mechanism's record).
CheckReport check_report(const CheckRun& run, const std::string& witness_dir,
                         nlohmann::json header);

// The per-property summaries of report results (entries with "instance", "property", "verdict"
// and "witness" when violated), in `properties` order; results in ascending instance order
// within a property. Throws SpecError for an unknown verdict name.
std::vector<PropertySummary> summarize_results(const nlohmann::json& results,
                                               const std::vector<Property>& properties);

// The report (no witness files) from its header, property order, instance count and results:
// what check_report writes, and what `mechcheck merge` rebuilds from shard results.
CheckReport check_report_from_results(nlohmann::json header,
                                      const std::vector<Property>& properties,
                                      std::size_t instance_count, nlohmann::json results);

// What a check run and its report hold at their peak, in bytes, before the run: `instances`
// outcomes, each with its game (`game_bytes`, measured by the caller on sample games) and
// `properties` results of `agents` agents (the result, its JSON entry and its line in the
// dumped report), and, as if every result were violated, a witness each (the game again and
// its JSON text). Calibrated against peak RSS (bench/README.md, "Memory limits").
std::uint64_t check_memory_bytes(std::uint64_t instances, std::size_t properties,
                                 std::uint64_t game_bytes, std::size_t agents);

// JUnit XML: one test case per property; a failure names the first violation and its witness.
std::string junit_xml(const std::vector<PropertySummary>& summaries, const std::string& shard);

}  // namespace mechcheck

#pragma once
// `mechcheck prove CONFIG --property dsic|ir|nonneg|approx-dsic [--outcomes m] [--groups n]
// (cycle-monotone and payment-equivalence: prove_type_set.hpp)
//  [--timeout S] [--smtlib FILE] [--witness-dir DIR] [--epsilon E] [--bound C] [--samples K]
//  [--seed S] [--exact] [--threads T] [--shard k/N|auto] [--report FILE]`: an SMT proof (Z3) for
//  every report profile of the given size. Exit 0 proved, 1 violated (an exactly replayed witness
//  written), 2 bad input, 3 inconclusive (or an internal disagreement between the proof and the
//  numeric checks). The report goes to --report (stdout then has one summary line) or stdout.
//  --threads decides cases concurrently; --shard decides a deterministic subset of them, joined
//  by `mechcheck merge` (checks/smt/case_search.hpp). Neither changes the report.
#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace mechcheck::cli {

struct ProveCommandOptions {
  std::string config_path;
  std::string property;
  std::optional<std::size_t> outcomes, groups;
  std::optional<double> timeout_seconds;
  std::string smtlib_path;
  std::string witness_dir = "witnesses";
  std::optional<std::string> epsilon, bound;
  std::optional<std::uint64_t> samples, seed;
  // cycle-monotone and payment-equivalence: the type set, as for `mechcheck implementability`
  std::size_t group = 0;
  int resolution = 3;
  std::vector<long> sizes;
  std::string types_path;
  bool no_grid = false;
  bool exact = false;  // dsic, ir, nonneg, approx-dsic: no relaxed query first
  int threads = 0;     // 0: all cores
  std::string shard;   // "k/N", "auto" or empty (the whole proof)
  std::string report_path;
};

// The one line `prove --report` and `merge` print for a prove report: `proved: dsic (relaxed
// query, 63 cases)`.
std::string prove_summary_line(const nlohmann::json& report);

int run_prove(const ProveCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mechcheck::cli

#pragma once
// `mechcheck prove CONFIG --property dsic|ir|nonneg|approx-dsic [--outcomes m] [--groups n]
// (cycle-monotone and payment-equivalence: prove_type_set.hpp)
//  [--timeout S] [--smtlib FILE] [--witness-dir DIR] [--epsilon E] [--bound C] [--samples K]
//  [--seed S] [--exact]`: an SMT proof (Z3) for every report profile of the given size. Exit 0
//  proved,
// 1 violated (an exactly replayed witness written), 2 bad input, 3 inconclusive (or an internal
// disagreement between the proof and the numeric checks).
#include <cstdint>
#include <iosfwd>
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
};

int run_prove(const ProveCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mechcheck::cli

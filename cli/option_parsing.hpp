#pragma once
// Numeric command-line options, validated before any work starts. CLI11 would parse "-1" into
// an unsigned option as 2^64 - 1 and accept empty list items, so mechcheck reads numeric
// options as text and converts them here. Every error is a SpecError naming the option, e.g.
// `--threads: is 0, expected an integer in 1..1024`.
//
// The caps below are documented in README.md ("Option ranges"); they keep a mistyped size
// from allocating more than the machine has (a std::bad_alloc would otherwise surface as an
// internal error) or from running for days.
//
// Note for `check` (cli/check_command.cpp keeps its own parse_shard, which accepts "1/-1"
// through std::stoul): parse_shard_option below is the strict replacement; main.cpp already
// validates check's --shard, --threads, --instances and --seed with these parsers before
// run_check is called.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "spec/check_config.hpp"

namespace mechcheck::cli {

inline constexpr std::uint64_t kMaxThreads = 1024;
inline constexpr std::uint64_t kMaxCheckInstances = mechcheck::kMaxCheckInstances;
inline constexpr std::uint64_t kMaxExperimentSamples = 1'000'000;
inline constexpr std::size_t kMaxExperimentEpsilons = 20;
inline constexpr std::uint64_t kMaxExperimentGroups = 1000;
inline constexpr std::uint64_t kMaxExperimentOutcomes = 10'000;
inline constexpr std::uint64_t kMaxGroupSize = 1'000'000;
inline constexpr std::uint64_t kMaxProveSamples = 100'000;  // as the prove config's "samples"
inline constexpr std::uint64_t kMaxProveOutcomes = 1000;    // as the prove config's "outcomes"
inline constexpr std::uint64_t kMaxProveGroups = 100;       // as the prove config's "groups"
inline constexpr std::uint64_t kMaxResolution = 1'000'000;  // the grid size is capped separately
inline constexpr std::size_t kMaxListItems = 1000;          // --alpha, --beta, --sizes

// A decimal integer in [min, max]: digits only (a leading '-' is read to say "is -1" in the
// error), no sign, spaces or exponent; values beyond 2^64 - 1 are errors, never wrapped.
std::uint64_t parse_integer_option(const std::string& option, const std::string& text,
                                   std::uint64_t min, std::uint64_t max);

// --threads: 1..kMaxThreads.
int parse_threads_option(const std::string& option, const std::string& text);

// --seed: 0..2^64 - 1.
std::uint64_t parse_seed_option(const std::string& option, const std::string& text);

// A finite decimal number (strtod syntax without hex, inf or nan) that is >= min.
double parse_number_option(const std::string& option, const std::string& text, double min);

// Comma-separated finite numbers >= min; no empty items, at least one, at most max_items.
std::vector<double> parse_number_list_option(const std::string& option, const std::string& text,
                                             double min, std::size_t max_items = kMaxListItems);

// Comma-separated integers in [min, max]; no empty items, at least one, at most max_items.
std::vector<long> parse_integer_list_option(const std::string& option, const std::string& text,
                                            std::uint64_t min, std::uint64_t max,
                                            std::size_t max_items = kMaxListItems);

// "k/N" with 1 <= k <= N (decimal integers, no signs): {k - 1, N}.
std::pair<std::size_t, std::size_t> parse_shard_option(const std::string& option,
                                                       const std::string& text);

// --mechanism 'python3 pricing.py': the document (a check config or a witness) with its external
// command replaced (its timeout and options kept) or, when it has none, added.
nlohmann::json with_mechanism_option(nlohmann::json document, const std::string& command_line);

}  // namespace mechcheck::cli

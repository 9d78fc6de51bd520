#pragma once
// How hard the regret searches try: named presets for configs and the command line.
#include <optional>
#include <string_view>

namespace mechcheck {

enum class Effort { quick, standard, thorough };

struct SearchEffort {
  int random_reports;     // uniformly random misreports (random size too)
  int perturbations;      // small random moves around the truth
  int ascent_starts;      // local ascents: from the best found, the truth and random points
  int ascent_iterations;  // per ascent
  int grid_resolution;    // exhaustive lattice of reports when m ≤ 3
  int noise_samples;      // approximate DSIC: noise draws per misreport
};

constexpr SearchEffort effort_preset(Effort effort) {
  switch (effort) {
    case Effort::quick:
      return {8, 4, 2, 12, 6, 4};
    case Effort::thorough:
      return {200, 40, 12, 80, 30, 24};
    case Effort::standard:
    default:
      return {30, 10, 4, 30, 12, 8};
  }
}

inline std::optional<Effort> parse_effort(std::string_view name) {
  if (name == "quick") return Effort::quick;
  if (name == "default") return Effort::standard;
  if (name == "thorough") return Effort::thorough;
  return std::nullopt;
}

}  // namespace mechcheck

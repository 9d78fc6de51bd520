#pragma once
// DSIC regret search for one agent over the family's deviation space: the family's structured
// misreports (the papers' constructions), random reports and perturbations, then local ascent
// from the best found, the truth and random points over the family's moves (first improving
// move taken; the step grows on success and halves on failure). Each ascent draws from its own
// random stream; a family that prefers batches gets its ascents side by side (every ascent's probes
// in one batch, every ascent's candidates in another) and the same result as one after another.
#include <string>
#include <vector>

#include "mechanisms/game.hpp"

namespace mechcheck {

struct BestDeviation {
  Point report;
  double gain = 0;
  std::string strategy = "truthful";
};

// The best deviation and the next best distinct ones (at most kRunnersUp, best first): what a
// check confirms in turn when the best does not stand.
inline constexpr std::size_t kRunnersUp = 3;
struct SearchFindings {
  BestDeviation best;
  std::vector<BestDeviation> runners_up;
};

SearchFindings search_regret(DeviationSpace& space, const SearchEffort& effort, Rng& rng);

}  // namespace mechcheck

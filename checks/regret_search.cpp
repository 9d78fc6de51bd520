#include "checks/regret_search.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace mechcheck {
namespace {

class RegretSearch {
 public:
  RegretSearch(DeviationSpace& space, const SearchEffort& effort, Rng& rng)
      : space_(space), effort_(effort), rng_(rng) {
    best_.report = space.truth();
  }

  BestDeviation run() {
    for (const Move& move : space_.structured(effort_)) consider(move.report, move.strategy);
    std::vector<Point> random_starts;
    for (int r = 0; r < effort_.random_reports; ++r) {
      Point report = space_.random_report(rng_);
      consider(report, "random");
      if (static_cast<int>(random_starts.size()) < effort_.ascent_starts)
        random_starts.push_back(std::move(report));
    }
    for (int r = 0; r < effort_.perturbations; ++r)
      if (auto moved = space_.perturb(space_.truth(), rng_)) consider(*moved, "perturbation");
    std::vector<Point> starts{best_.report, space_.truth()};
    starts.insert(starts.end(), random_starts.begin(), random_starts.end());
    for (const Point& start : starts) ascend(start);
    return best_;
  }

 private:
  DeviationSpace& space_;
  SearchEffort effort_;
  Rng& rng_;
  BestDeviation best_;

  double consider(const Point& report, const char* strategy) {
    const double gain = space_.gain(report);
    if (gain > best_.gain || (std::isnan(gain) && !std::isnan(best_.gain)))
      best_ = BestDeviation{report, gain, strategy};
    return gain;
  }

  void ascend(Point current) {
    double value = consider(current, "local-ascent");
    double step = 0.25;
    for (int iteration = 0; iteration < effort_.ascent_iterations && step > 1e-7; ++iteration) {
      bool improved = false;
      space_.start_moves(current, value, step);
      while (std::optional<Point> next = space_.next_move(rng_)) {
        const double next_value = consider(*next, "local-ascent");
        if (next_value > value) {
          current = std::move(*next), value = next_value, improved = true;
          break;
        }
      }
      step = improved ? std::min(1.0, step * 1.5) : step / 2;
    }
  }
};

}  // namespace

BestDeviation search_regret(DeviationSpace& space, const SearchEffort& effort, Rng& rng) {
  return RegretSearch(space, effort, rng).run();
}

}  // namespace mechcheck

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
    std::vector<Move> structured = space_.structured(effort_);
    if (space_.prefers_batches()) {
      std::vector<Point> reports;
      for (const Move& move : structured) reports.push_back(move.report);
      const std::vector<double> gains = space_.gains(reports);
      for (std::size_t k = 0; k < gains.size(); ++k)
        record(structured[k].report, gains[k], structured[k].strategy);
    } else {
      for (const Move& move : structured) consider(move.report, move.strategy);
    }
    std::vector<Point> random_reports, perturbations;
    for (int r = 0; r < effort_.random_reports; ++r)
      random_reports.push_back(space_.random_report(rng_));
    for (int r = 0; r < effort_.perturbations; ++r)
      if (auto moved = space_.perturb(space_.truth(), rng_)) perturbations.push_back(*moved);
    consider_all(random_reports, "random");
    consider_all(perturbations, "perturbation");
    std::vector<Point> starts{best_.report, space_.truth()};
    const auto random_starts = std::min<std::size_t>(
        random_reports.size(), static_cast<std::size_t>(std::max(0, effort_.ascent_starts)));
    starts.insert(starts.end(), random_reports.begin(),
                  random_reports.begin() + static_cast<std::ptrdiff_t>(random_starts));
    for (const Point& start : starts) ascend(start);
    return best_;
  }

 private:
  DeviationSpace& space_;
  SearchEffort effort_;
  Rng& rng_;
  BestDeviation best_;

  void record(const Point& report, double gain, const char* strategy) {
    if (gain > best_.gain || (std::isnan(gain) && !std::isnan(best_.gain)))
      best_ = BestDeviation{report, gain, strategy};
  }

  double consider(const Point& report, const char* strategy) {
    const double gain = space_.gain(report);
    record(report, gain, strategy);
    return gain;
  }

  void consider_all(const std::vector<Point>& reports, const char* strategy) {
    if (!space_.prefers_batches()) {
      for (const Point& report : reports) consider(report, strategy);
      return;
    }
    const std::vector<double> gains = space_.gains(reports);
    for (std::size_t k = 0; k < gains.size(); ++k) record(reports[k], gains[k], strategy);
  }

  void ascend(Point current) {
    double value = consider(current, "local-ascent");
    double step = 0.25;
    for (int iteration = 0; iteration < effort_.ascent_iterations && step > 1e-7; ++iteration) {
      space_.start_moves(current, value, step);
      const bool improved = space_.prefers_batches() ? improve_batched(current, value)
                                                     : improve_lazily(current, value);
      step = improved ? std::min(1.0, step * 1.5) : step / 2;
    }
  }

  // The first candidate that improves, each evaluated only when the ones before it did not.
  bool improve_lazily(Point& current, double& value) {
    while (std::optional<Point> next = space_.next_move(rng_)) {
      const double next_value = consider(*next, "local-ascent");
      if (next_value > value) {
        current = std::move(*next), value = next_value;
        return true;
      }
    }
    return false;
  }

  // The same choice with every candidate evaluated in one batch.
  bool improve_batched(Point& current, double& value) {
    std::vector<Point> candidates;
    while (std::optional<Point> next = space_.next_move(rng_)) candidates.push_back(*next);
    if (candidates.empty()) return false;
    const std::vector<double> gains = space_.gains(candidates);
    for (std::size_t k = 0; k < gains.size(); ++k) record(candidates[k], gains[k], "local-ascent");
    for (std::size_t k = 0; k < gains.size(); ++k) {
      if (gains[k] > value) {
        current = candidates[k], value = gains[k];
        return true;
      }
    }
    return false;
  }
};

}  // namespace

BestDeviation search_regret(DeviationSpace& space, const SearchEffort& effort, Rng& rng) {
  return RegretSearch(space, effort, rng).run();
}

}  // namespace mechcheck

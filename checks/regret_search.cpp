#include "checks/regret_search.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace mechcheck {
namespace {

class RegretSearch {
 public:
  RegretSearch(DeviationSpace& space, const SearchEffort& effort, Rng& rng)
      : space_(space), effort_(effort), rng_(rng) {
    best_.report = space.truth();
  }

  SearchFindings run() {
    std::vector<Move> structured = space_.structured(effort_);
    if (space_.prefers_batches()) {
      std::vector<Point> reports;
      for (const Move& move : structured) reports.push_back(move.report);
      const std::vector<double> gains = gains_of(reports);
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
    // Each ascent draws from its own stream, so running them one after another or side by side
    // (batched) takes the same random moves.
    const std::uint64_t ascent_seed = rng_.next();
    std::vector<Rng> streams;
    for (std::size_t k = 0; k < starts.size(); ++k) streams.push_back(Rng::stream(ascent_seed, k));
    if (space_.prefers_batches())
      ascend_side_by_side(starts, streams);
    else
      for (std::size_t k = 0; k < starts.size(); ++k) ascend(starts[k], streams[k]);
    SearchFindings out{best_, {}};
    for (BestDeviation& runner : runners_up_)
      if (runner.report.size() != best_.report.size() || runner.report != best_.report)
        out.runners_up.push_back(std::move(runner));
    if (out.runners_up.size() > kRunnersUp) out.runners_up.resize(kRunnersUp);
    return out;
  }

 private:
  DeviationSpace& space_;
  SearchEffort effort_;
  Rng& rng_;
  BestDeviation best_;
  // The kRunnersUp + 1 largest finite gains at distinct reports, largest first (one of them may
  // be best_ itself); only gains above the smallest kept one cost a comparison of reports.
  std::vector<BestDeviation> runners_up_;
  Point candidate_;  // improve_lazily's candidates, one reused point

  // The best so far: the first NaN (a broken evaluation is worth reporting), else the first
  // largest gain. Over a sequence cut into parts, keeping each part's best and then the best of
  // those in order gives the same answer.
  static void keep(BestDeviation& best, const Point& report, double gain, const char* strategy) {
    if (gain > best.gain || (std::isnan(gain) && !std::isnan(best.gain))) {
      best.report = report;  // into the kept buffer when the size matches
      best.gain = gain;
      best.strategy = strategy;
    }
  }
  // An empty batch is never asked for: to an external mechanism it would be a round trip.
  std::vector<double> gains_of(std::span<const Point> reports) {
    return reports.empty() ? std::vector<double>{} : space_.gains(reports);
  }
  void record(const Point& report, double gain, const char* strategy) {
    keep(best_, report, gain, strategy);
    remember(report, gain, strategy);
  }
  void remember(const Point& report, double gain, const char* strategy) {
    constexpr std::size_t kept = kRunnersUp + 1;
    if (!(gain > 0) || (runners_up_.size() == kept && !(gain > runners_up_.back().gain))) return;
    for (BestDeviation& runner : runners_up_)
      if (runner.report.size() == report.size() && runner.report == report) {
        if (gain > runner.gain) runner.gain = gain, runner.strategy = strategy;
        sort_runners_up();
        return;
      }
    if (runners_up_.size() == kept) runners_up_.pop_back();
    runners_up_.push_back({report, gain, strategy});
    sort_runners_up();
  }
  void sort_runners_up() {
    std::stable_sort(
        runners_up_.begin(), runners_up_.end(),
        [](const BestDeviation& a, const BestDeviation& b) { return a.gain > b.gain; });
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
    const std::vector<double> gains = gains_of(reports);
    for (std::size_t k = 0; k < gains.size(); ++k) record(reports[k], gains[k], strategy);
  }

  static constexpr double kFirstStep = 0.25, kLastStep = 1e-7;
  static double next_step(double step, bool improved) {
    return improved ? std::min(1.0, step * 1.5) : step / 2;
  }

  void ascend(const Point& start, Rng& rng) {
    Ascent ascent{start, consider(start, "local-ascent"), kFirstStep};
    for (int iteration = 0; iteration < effort_.ascent_iterations && ascent.step > kLastStep;
         ++iteration) {
      space_.start_moves(ascent, nullptr);
      ascent.step = next_step(ascent.step, improve_lazily(ascent, rng));
    }
  }

  // The first candidate that improves, each evaluated only when the ones before it did not.
  bool improve_lazily(Ascent& ascent, Rng& rng) {
    while (space_.next_move(ascent, rng, candidate_)) {
      const double next_value = consider(candidate_, "local-ascent");
      if (next_value > ascent.value) {
        std::swap(ascent.from, candidate_);  // both buffers kept for the next candidates
        ascent.value = next_value;
        return true;
      }
    }
    return false;
  }

  // The ascents of ascend(), in lockstep: each iteration evaluates every ascent's probes in one
  // batch and every ascent's candidates in another, then each ascent takes its first improving
  // candidate — the choice ascend() makes, from the same random moves. Candidates after that
  // one are evaluated too (a batch is cheaper than waiting for the verdict on the first) but not
  // recorded, and each ascent's best is kept apart and recorded in ascent order at the end, so
  // the search finds what ascend() finds, ties included.
  void ascend_side_by_side(const std::vector<Point>& starts, std::vector<Rng>& streams) {
    std::vector<Ascent> ascents;
    std::vector<BestDeviation> found(starts.size(),
                                     {Point(), -std::numeric_limits<double>::infinity(), ""});
    const std::vector<double> start_gains = gains_of(starts);
    for (std::size_t k = 0; k < starts.size(); ++k) {
      keep(found[k], starts[k], start_gains[k], "local-ascent");
      ascents.push_back(Ascent{starts[k], start_gains[k], kFirstStep});
    }
    std::vector<std::size_t> active, owner, first;
    std::vector<Point> probes, batch;
    std::vector<bool> improved;
    for (int iteration = 0; iteration < effort_.ascent_iterations; ++iteration) {
      active.clear();
      for (std::size_t k = 0; k < ascents.size(); ++k)
        if (ascents[k].step > kLastStep) active.push_back(k);
      if (active.empty()) break;
      // Probes into kept points: ~10⁵ per search, all of one size.
      std::size_t used = 0;
      first.clear();
      for (std::size_t k : active) {
        first.push_back(used);
        used += space_.probe_count(ascents[k]);
        if (probes.size() < used) probes.resize(used);
        space_.probes(ascents[k], probes.data() + first.back());
      }
      const std::vector<double> probed = gains_of(std::span<const Point>(probes.data(), used));
      for (std::size_t a = 0; a < active.size(); ++a)
        space_.start_moves(ascents[active[a]], probed.data() + first[a]);
      // Candidates into kept points too.
      owner.clear();
      for (std::size_t k : active)
        while (true) {
          if (batch.size() == owner.size()) batch.emplace_back();
          if (!space_.next_move(ascents[k], streams[k], batch[owner.size()])) break;
          owner.push_back(k);
        }
      const std::vector<double> gains =
          gains_of(std::span<const Point>(batch.data(), owner.size()));
      improved.assign(ascents.size(), false);
      for (std::size_t c = 0; c < owner.size(); ++c) {
        if (improved[owner[c]]) continue;  // one at a time, it would not have been evaluated
        keep(found[owner[c]], batch[c], gains[c], "local-ascent");
        Ascent& ascent = ascents[owner[c]];
        if (gains[c] > ascent.value) {
          ascent.from = batch[c], ascent.value = gains[c];
          improved[owner[c]] = true;
        }
      }
      for (std::size_t k : active) ascents[k].step = next_step(ascents[k].step, improved[k]);
    }
    for (const BestDeviation& best : found) record(best.report, best.gain, "local-ascent");
  }
};

}  // namespace

SearchFindings search_regret(DeviationSpace& space, const SearchEffort& effort, Rng& rng) {
  return RegretSearch(space, effort, rng).run();
}

}  // namespace mechcheck

// The regret search run one ascent after another (a family that evaluates reports one at a time)
// and side by side (a family that prefers batches) must search the same reports: the same best
// gain, at the same report, from the same seed.
#include "checks/regret_search.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "generators/samplers.hpp"
#include "mechanisms/auction/auction_family.hpp"
#include "mechanisms/auction/auction_game.hpp"
#include "mechanisms/rlhf_game/rlhf_game.hpp"

namespace mechcheck {
namespace {

// A deviation space that forwards everything but its batching preference.
class Batching final : public DeviationSpace {
 public:
  Batching(std::unique_ptr<DeviationSpace> inner, bool batches)
      : inner_(std::move(inner)), batches_(batches) {}
  const Point& truth() const override { return inner_->truth(); }
  double gain(const Point& report) override { return inner_->gain(report); }
  std::vector<double> gains(std::span<const Point> reports) override {
    empty_requests += reports.empty();  // to an external mechanism, a wasted round trip
    return inner_->gains(reports);
  }
  bool prefers_batches() const override { return batches_; }
  std::vector<Move> structured(const SearchEffort& effort) override {
    return inner_->structured(effort);
  }
  Point random_report(Rng& rng) override { return inner_->random_report(rng); }
  std::optional<Point> perturb(const Point& report, Rng& rng) override {
    return inner_->perturb(report, rng);
  }
  std::size_t probe_count(const Ascent& ascent) const override {
    return inner_->probe_count(ascent);
  }
  void probes(const Ascent& ascent, Point* out) const override { inner_->probes(ascent, out); }
  void start_moves(Ascent& ascent, const double* probe_gains) override {
    inner_->start_moves(ascent, probe_gains);
  }
  bool next_move(Ascent& ascent, Rng& rng, Point& out) override {
    return inner_->next_move(ascent, rng, out);
  }
  ExactPoint exact(const Point& report) const override { return inner_->exact(report); }
  long evaluations() const override { return inner_->evaluations(); }

  int empty_requests = 0;

 private:
  std::unique_ptr<DeviationSpace> inner_;
  bool batches_;
};

Instance random_instance(std::uint64_t seed, PaymentType payment, DivergenceKind divergence) {
  Rng rng(seed);
  Instance mechanism;
  mechanism.normalization = rng.coin() ? Normalization::sum : Normalization::max;
  mechanism.max_group_size = rng.integer(1, 10);
  mechanism.rule = {RuleType::sw_max, divergence, Rational(rng.integer(1, 8), rng.integer(1, 8))};
  mechanism.payment.type = payment;
  GeneratorSpec spec;
  spec.min_outcomes = 2;
  spec.max_outcomes = 10;
  spec.min_groups = 2;
  spec.max_groups = 5;
  return sample_instance(rng, mechanism, spec);
}

BestDeviation search(const Game& game, std::size_t agent, bool batches, long& evaluations) {
  Batching space(game.deviations(agent), batches);
  Rng rng(Rng::stream(99, agent));
  BestDeviation best = search_regret(space, effort_preset(Effort::quick), rng).best;
  evaluations = space.evaluations();
  EXPECT_EQ(space.empty_requests, 0);
  return best;
}

TEST(RegretSearch, SideBySideAscentsSearchWhatOneAfterAnotherDoes) {
  int found = 0;
  for (std::uint64_t seed = 1; seed <= 24; ++seed) {
    const auto divergence = seed % 3 == 0 ? DivergenceKind::tv
                            : seed % 2    ? DivergenceKind::kl
                                          : DivergenceKind::chi2;
    const RlhfGame game(random_instance(seed, PaymentType::zero, divergence));
    for (std::size_t agent = 0; agent < game.agent_count(); ++agent) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", agent " + std::to_string(agent));
      long one_by_one = 0, batched = 0;
      const BestDeviation a = search(game, agent, false, one_by_one);
      const BestDeviation b = search(game, agent, true, batched);
      EXPECT_EQ(a.gain, b.gain);
      EXPECT_EQ(a.report, b.report);
      EXPECT_EQ(a.strategy, b.strategy);
      // Side by side, the candidates after an ascent's first improving one are evaluated too.
      EXPECT_GE(batched, one_by_one);
      found += a.gain > 1e-9;
    }
  }
  // Zero payments are manipulable (Theorem 4.2): the comparison is not between empty searches.
  EXPECT_GT(found, 10);
}

// A family without probes (the auction's ascent steps the bid up and down): side by side, the
// search must not ask for the empty probe batch, and still finds what one after another finds.
TEST(RegretSearch, SideBySideAscentsOfAFamilyWithoutProbesAskForNoEmptyBatch) {
  const AuctionParameters parameters =
      read_auction_parameters(nlohmann::json{{"preset", "vickrey-feedback"}}, "parameters");
  const AuctionGame game(parameters, {Rational(7, 2), Rational(3), Rational(1)});
  for (std::size_t agent = 0; agent < game.agent_count(); ++agent) {
    long one_by_one = 0, batched = 0;
    const BestDeviation a = search(game, agent, false, one_by_one);
    const BestDeviation b = search(game, agent, true, batched);
    EXPECT_EQ(a.gain, b.gain);
    EXPECT_EQ(a.report, b.report);
  }
}

}  // namespace
}  // namespace mechcheck

namespace mechcheck {
namespace {

// Five structured reports on a line with gains 5, 4, 3, 2, 1 (one of them offered twice), no
// random reports, no moves: the search's findings are exactly these, best first.
class FiveReports final : public DeviationSpace {
 public:
  FiveReports() : truth_(Point::Zero(1)) {}
  const Point& truth() const override { return truth_; }
  double gain(const Point& report) override {
    ++evaluations_;
    const double x = report[0];
    return x >= 1 && x <= 5 && x == std::floor(x) ? 6 - x : 0;
  }
  std::vector<Move> structured(const SearchEffort&) override {
    std::vector<Move> moves;
    for (double x : {3.0, 1.0, 5.0, 2.0, 2.0, 4.0})
      moves.push_back({Point::Constant(1, x), "grid"});
    return moves;
  }
  Point random_report(Rng&) override { return truth_; }
  std::optional<Point> perturb(const Point&, Rng&) override { return std::nullopt; }
  void start_moves(Ascent&, const double*) override {}
  bool next_move(Ascent&, Rng&, Point&) override { return false; }
  ExactPoint exact(const Point& report) const override { return {Rational(report[0])}; }
  long evaluations() const override { return evaluations_; }

 private:
  Point truth_;
  long evaluations_ = 0;
};

TEST(RegretSearch, KeepsTheNextBestDistinctFindingsBestFirst) {
  FiveReports space;
  Rng rng(7);
  SearchEffort effort = effort_preset(Effort::quick);
  effort.random_reports = 0;
  effort.perturbations = 0;
  const SearchFindings found = search_regret(space, effort, rng);
  EXPECT_EQ(found.best.gain, 5);
  EXPECT_EQ(found.best.report[0], 1);
  ASSERT_EQ(found.runners_up.size(), kRunnersUp);
  // 2 was offered twice: kept once; 5 (gain 1) is beyond the kept three
  EXPECT_EQ(found.runners_up[0].report[0], 2);
  EXPECT_EQ(found.runners_up[1].report[0], 3);
  EXPECT_EQ(found.runners_up[2].report[0], 4);
  EXPECT_EQ(found.runners_up[2].gain, 2);
}

}  // namespace
}  // namespace mechcheck

#include "mechanisms/ranking/ranking_game.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

Ranking rounded_ranking(const Point& report) {
  Ranking out;
  for (Eigen::Index j = 0; j < report.size(); ++j)
    out.push_back(static_cast<std::size_t>(std::max(0L, std::lround(report[j]))));
  return out;
}

Point ranking_point(const Ranking& ranking) {
  Point out(static_cast<Eigen::Index>(ranking.size()));
  for (std::size_t j = 0; j < ranking.size(); ++j)
    out[static_cast<Eigen::Index>(j)] = static_cast<double>(ranking[j]);
  return out;
}

// One voter's rankings: every one of the m! for m <= 6 (structured), adjacent swaps otherwise.
class RankingDeviations final : public DeviationSpace {
 public:
  RankingDeviations(const RankingParameters& parameters, const RankingProfile& profile,
                    std::size_t voter)
      : parameters_(parameters), profile_(profile), voter_(voter) {
    truth_ = ranking_point(profile[voter]);
    truthful_ = utility(profile[voter]);
  }
  const Point& truth() const override { return truth_; }
  double gain(const Point& report) override { return utility(rounded_ranking(report)) - truthful_; }

  std::vector<Move> structured(const SearchEffort&) override {
    std::vector<Move> moves;
    const Ranking& truth = profile_[voter_];
    const std::size_t m = truth.size();
    if (m <= 6) {  // exhaustive: the deviation space is finite
      Ranking ranking(m);
      std::iota(ranking.begin(), ranking.end(), std::size_t{0});
      do moves.push_back({ranking_point(ranking), "every-ranking"});
      while (std::next_permutation(ranking.begin(), ranking.end()));
      return moves;
    }
    for (std::size_t from = 0; from < m; ++from)  // each response moved to every position
      for (std::size_t to = 0; to < m; ++to) {
        Ranking moved = truth;
        const std::size_t response = moved[from];
        moved.erase(moved.begin() + static_cast<std::ptrdiff_t>(from));
        moved.insert(moved.begin() + static_cast<std::ptrdiff_t>(to), response);
        moves.push_back({ranking_point(moved), "move-response"});
      }
    return moves;
  }
  Point random_report(Rng& rng) override {
    Ranking ranking(profile_[voter_].size());
    std::iota(ranking.begin(), ranking.end(), std::size_t{0});
    for (std::size_t j = ranking.size(); j > 1; --j)
      std::swap(
          ranking[j - 1],
          ranking[static_cast<std::size_t>(rng.integer(0, static_cast<std::int64_t>(j) - 1))]);
    return ranking_point(ranking);
  }
  std::optional<Point> perturb(const Point& report, Rng& rng) override {
    Point out = report;
    const auto j = static_cast<Eigen::Index>(rng.integer(0, report.size() - 2));
    std::swap(out[j], out[j + 1]);
    return out;
  }
  // The ascent's candidates: the m − 1 adjacent swaps of where it stands.
  void start_moves(Ascent& ascent, const double*) override { ascent.next = 0; }
  bool next_move(Ascent& ascent, Rng&, Point& out) override {
    if (ascent.next + 1 >= ascent.from.size()) return false;
    out = ascent.from;
    std::swap(out[ascent.next], out[ascent.next + 1]);
    ++ascent.next;
    return true;
  }
  ExactPoint exact(const Point& report) const override { return point_of(rounded_ranking(report)); }
  long evaluations() const override { return evaluations_; }

 private:
  RankingParameters parameters_;
  RankingProfile profile_;
  std::size_t voter_;
  Point truth_;
  double truthful_ = 0;
  long evaluations_ = 0;

  double utility(const Ranking& report) {
    ++evaluations_;
    RankingProfile profile = profile_;
    profile[voter_] = report;
    return ranking_utility(run_ranking(parameters_, profile), profile_[voter_], voter_)
        .convert_to<double>();
  }
};

// The ranking without `response`, the indices above it renumbered down by one.
Ranking without_response(const Ranking& ranking, std::size_t response) {
  Ranking out;
  for (std::size_t r : ranking)
    if (r != response) out.push_back(r > response ? r - 1 : r);
  return out;
}

}  // namespace

Ranking ranking_of(const ExactPoint& point) {
  Ranking out;
  for (const Rational& r : point)
    out.push_back(r < 0 || denominator(r) != 1 ? SIZE_MAX : numerator(r).convert_to<std::size_t>());
  return out;
}

ExactPoint point_of(const Ranking& ranking) {
  ExactPoint out;
  for (std::size_t r : ranking) out.emplace_back(static_cast<long>(r));
  return out;
}

RankingGame::RankingGame(RankingParameters parameters, RankingProfile rankings)
    : parameters_(parameters), rankings_(std::move(rankings)) {
  validate_profile(parameters_, rankings_, "rankings");
}

bool RankingGame::is_truthful(const Finding& finding) const {
  return finding.deviation && finding.agent < rankings_.size() &&
         ranking_of(*finding.deviation) == rankings_[finding.agent];
}

std::unique_ptr<DeviationSpace> RankingGame::deviations(std::size_t agent) const {
  return std::make_unique<RankingDeviations>(parameters_, rankings_, agent);
}

Measurement RankingGame::measure(const Finding& finding) const {
  const RankingOutcome truthful = run_ranking(parameters_, rankings_);
  const std::size_t i = finding.agent;
  switch (finding.property) {
    case Property::dsic: {
      RankingProfile profile = rankings_;
      profile[i] = ranking_of(*finding.deviation);
      return exact_measurement(ranking_utility(run_ranking(parameters_, profile), rankings_[i], i) -
                               ranking_utility(truthful, rankings_[i], i));
    }
    case Property::ir:
      return exact_measurement(ranking_utility(truthful, rankings_[i], i));
    case Property::nonneg:
      return exact_measurement(truthful.payments[i]);
    default:
      throw SpecError("property", "is \"" + std::string(property_name(finding.property)) + "\", " +
                                      kRankingPropertiesExpected);
  }
}

void RankingGame::validate(const Finding& finding) const {
  const Property p = finding.property;
  if (p != Property::dsic && p != Property::ir && p != Property::nonneg)
    throw SpecError("property",
                    "is \"" + std::string(property_name(p)) + "\", " + kRankingPropertiesExpected);
  if (finding.agent >= rankings_.size())
    throw SpecError("agent", "is " + std::to_string(finding.agent) +
                                 ", expected a voter index below " +
                                 std::to_string(rankings_.size()));
  if (p != Property::dsic) return;
  if (!finding.deviation) throw SpecError("deviation.ranking", "is missing");
  for (std::size_t j = 0; j < finding.deviation->size(); ++j) {
    const Rational& r = (*finding.deviation)[j];
    if (r < 0 || denominator(r) != 1)
      throw SpecError("deviation.ranking[" + std::to_string(j) + "]",
                      "is " + to_exact_string(r) + ", expected a response index");
  }
  validate_ranking(ranking_of(*finding.deviation), parameters_.responses, "deviation.ranking");
}

// Without one voter (not the deviating one), then without one response (m > 2).
std::vector<Game::Shrunk> RankingGame::shrink_candidates(const Finding& finding) const {
  std::vector<Shrunk> out;
  for (std::size_t j = 0; j < rankings_.size() && rankings_.size() > 1; ++j) {
    if (j == finding.agent) continue;
    RankingProfile fewer = rankings_;
    fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(j));
    Finding candidate = finding;
    if (candidate.agent > j) --candidate.agent;
    out.push_back({std::make_shared<RankingGame>(parameters_, std::move(fewer)), candidate});
  }
  if (parameters_.responses <= 2 || parameters_.rule == RankingRule::majority) return out;
  for (std::size_t response = 0; response < parameters_.responses; ++response) {
    RankingParameters smaller = parameters_;
    --smaller.responses;
    RankingProfile profile;
    for (const Ranking& ranking : rankings_) profile.push_back(without_response(ranking, response));
    Finding candidate = finding;
    if (candidate.deviation)
      candidate.deviation = point_of(without_response(ranking_of(*candidate.deviation), response));
    out.push_back({std::make_shared<RankingGame>(smaller, std::move(profile)), candidate});
  }
  return out;
}

std::size_t RankingGame::size_in_digits(const Finding& finding) const {
  std::size_t digits = 0;
  for (const Ranking& ranking : rankings_)
    for (std::size_t r : ranking) digits += std::to_string(r).size();
  if (finding.deviation)
    for (const Rational& r : *finding.deviation) digits += to_exact_string(r).size();
  return digits;
}

}  // namespace mechcheck

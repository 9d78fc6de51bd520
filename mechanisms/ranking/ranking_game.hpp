#pragma once
// A ranking aggregation rule with the voters' true rankings: the mechanism interface. A report
// is the ranking as an m-coordinate point (response indices, best first); every deviation space
// is finite (m! rankings), searched exhaustively for m <= 6, and measured exactly.
#include "mechanisms/game.hpp"
#include "mechanisms/ranking/ranking.hpp"

namespace mechcheck {

inline constexpr const char* kRankingPropertiesExpected = "expected \"dsic\", \"ir\" or \"nonneg\"";

class RankingGame final : public Game {
 public:
  RankingGame(RankingParameters parameters, RankingProfile rankings);
  const RankingParameters& parameters() const { return parameters_; }
  const RankingProfile& rankings() const { return rankings_; }

  std::string_view family() const override { return "ranking-aggregation"; }
  std::string_view agent_noun() const override { return "voter"; }
  Money money() const override { return Money::agents_pay; }
  std::size_t agent_count() const override { return rankings_.size(); }
  double search_tolerance() const override { return 1e-9; }
  bool is_truthful(const Finding& finding) const override;
  std::unique_ptr<DeviationSpace> deviations(std::size_t agent) const override;
  Measurement measure(const Finding& finding) const override;
  void validate(const Finding& finding) const override;
  std::vector<Shrunk> shrink_candidates(const Finding& finding) const override;
  std::size_t size_in_digits(const Finding& finding) const override;

 private:
  RankingParameters parameters_;
  RankingProfile rankings_;
};

// The checks' exact report as a ranking (rounded coordinates), and back.
Ranking ranking_of(const ExactPoint& point);
ExactPoint point_of(const Ranking& ranking);

}  // namespace mechcheck

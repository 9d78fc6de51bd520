#pragma once
// Ranking aggregation: n voters (annotators) each report a strict ranking of m responses (indices,
// best first); the rule picks one winning response. A voter's utility is the Borda score of the
// winner under its TRUE ranking (m − 1 for its top, …, 0 for its last), minus its payment.
//  plurality      most first places
//  borda          most Borda points
//  copeland       most pairwise majority wins (a pairwise tie counts 1/2)
//  bradley-terry  the top maximum-likelihood Bradley–Terry score of the pairwise comparisons the
//                 rankings imply, each pair given `prior` extra comparisons either way (without
//                 them the MLE does not exist when a response is never beaten or never beats);
//                 the fixed point of Hunter's (2004) MM iteration, in double. Scores within 1e-9
//                 (relative) of the top count as tied. With complete rankings every pair is
//                 compared n times, so the scores order the responses as Borda does.
//  dictatorship   voter 0's top
//  majority       m = 2: the response more voters rank first
// Ties go to the lowest response index. Payment `clarke` (Borda only): voter i pays
// Σ_{j≠i} B_j(w_{−i}) − Σ_{j≠i} B_j(w), w the Borda winner with everyone, w_{−i} without i.
#include <string>
#include <vector>

#include "spec/enum_names.hpp"
#include "spec/rational.hpp"

namespace mechcheck {

enum class RankingRule { plurality, borda, copeland, bradley_terry, dictatorship, majority };
enum class RankingPayment { none, clarke };

inline constexpr EnumName<RankingRule> kRankingRuleNames[] = {
    {RankingRule::plurality, "plurality"},       {RankingRule::borda, "borda"},
    {RankingRule::copeland, "copeland"},         {RankingRule::bradley_terry, "bradley-terry"},
    {RankingRule::dictatorship, "dictatorship"}, {RankingRule::majority, "majority"}};
inline constexpr EnumName<RankingPayment> kRankingPaymentNames[] = {
    {RankingPayment::none, "none"}, {RankingPayment::clarke, "clarke"}};

using Ranking = std::vector<std::size_t>;     // response indices, best first
using RankingProfile = std::vector<Ranking>;  // one ranking per voter

struct RankingParameters {
  RankingRule rule = RankingRule::borda;
  RankingPayment payment = RankingPayment::none;
  std::size_t responses = 3;
  Rational prior{1, 10};  // bradley-terry's pseudo-comparisons per ordered pair
};

struct RankingOutcome {
  std::size_t winner = 0;
  std::vector<Rational> payments;  // per voter, money the voter pays
};

// m − 1 − the response's position in the ranking.
std::size_t borda_score(const Ranking& ranking, std::size_t response);
// The Bradley–Terry scores (normalized to sum m) and the winner they decide.
std::vector<double> bradley_terry_scores(const RankingProfile& profile, std::size_t m,
                                         double prior);
std::size_t ranking_winner(const RankingParameters& parameters, const RankingProfile& profile);
RankingOutcome run_ranking(const RankingParameters& parameters, const RankingProfile& profile);
// Borda score of the winner under `truth`, minus the voter's payment.
Rational ranking_utility(const RankingOutcome& outcome, const Ranking& truth, std::size_t voter);

// SpecError naming `field` (rankings[i], rankings[i][j]) when the profile does not fit.
void validate_profile(const RankingParameters& parameters, const RankingProfile& profile,
                      const std::string& field);
// SpecError naming `field` when the ranking is not a permutation of 0..m−1.
void validate_ranking(const Ranking& ranking, std::size_t m, const std::string& field);

}  // namespace mechcheck

#include "mechanisms/ranking/ranking.hpp"

#include <algorithm>
#include <cmath>

#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

// The lowest index of the highest score.
template <class S>
std::size_t first_best(const std::vector<S>& scores) {
  return static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

std::vector<long> borda_totals(const RankingProfile& profile, std::size_t m, std::size_t skip) {
  std::vector<long> totals(m, 0);
  for (std::size_t v = 0; v < profile.size(); ++v)
    if (v != skip)
      for (std::size_t r = 0; r < m; ++r)
        totals[r] += static_cast<long>(borda_score(profile[v], r));
  return totals;
}

// wins[a][b]: voters ranking a above b.
std::vector<std::vector<long>> pairwise_wins(const RankingProfile& profile, std::size_t m) {
  std::vector<std::vector<long>> wins(m, std::vector<long>(m, 0));
  for (const Ranking& ranking : profile)
    for (std::size_t x = 0; x < m; ++x)
      for (std::size_t y = x + 1; y < m; ++y) ++wins[ranking[x]][ranking[y]];
  return wins;
}

}  // namespace

std::size_t borda_score(const Ranking& ranking, std::size_t response) {
  const auto at = std::find(ranking.begin(), ranking.end(), response);
  return ranking.size() - 1 - static_cast<std::size_t>(at - ranking.begin());
}

// Hunter (2004): p_a ← W_a / Σ_{b≠a} N_ab / (p_a + p_b), renormalized, until no score moves by
// more than 1e-15 relative (or 100000 sweeps).
std::vector<double> bradley_terry_scores(const RankingProfile& profile, std::size_t m,
                                         double prior) {
  const std::vector<std::vector<long>> wins = pairwise_wins(profile, m);
  std::vector<double> p(m, 1.0), next(m);
  for (int sweep = 0; sweep < 100000; ++sweep) {
    double total = 0, change = 0;
    for (std::size_t a = 0; a < m; ++a) {
      double won = 0, denominator = 0;
      for (std::size_t b = 0; b < m; ++b) {
        if (b == a) continue;
        won += static_cast<double>(wins[a][b]) + prior;
        denominator += (static_cast<double>(wins[a][b] + wins[b][a]) + 2 * prior) / (p[a] + p[b]);
      }
      next[a] = won / denominator;
      total += next[a];
    }
    for (std::size_t a = 0; a < m; ++a) {
      next[a] *= static_cast<double>(m) / total;
      change = std::max(change, std::abs(next[a] - p[a]) / p[a]);
    }
    p.swap(next);
    if (change < 1e-15) break;
  }
  return p;
}

std::size_t ranking_winner(const RankingParameters& parameters, const RankingProfile& profile) {
  const std::size_t m = parameters.responses;
  switch (parameters.rule) {
    case RankingRule::plurality:
    case RankingRule::majority: {
      std::vector<long> firsts(m, 0);
      for (const Ranking& ranking : profile) ++firsts[ranking.front()];
      return first_best(firsts);
    }
    case RankingRule::borda:
      return first_best(borda_totals(profile, m, profile.size()));
    case RankingRule::copeland: {
      // Twice the score: 2 per pairwise majority win, 1 per pairwise tie.
      const std::vector<std::vector<long>> wins = pairwise_wins(profile, m);
      std::vector<long> scores(m, 0);
      for (std::size_t a = 0; a < m; ++a)
        for (std::size_t b = 0; b < m; ++b)
          if (a != b) scores[a] += wins[a][b] > wins[b][a] ? 2 : (wins[a][b] == wins[b][a] ? 1 : 0);
      return first_best(scores);
    }
    case RankingRule::bradley_terry: {
      const std::vector<double> p =
          bradley_terry_scores(profile, m, parameters.prior.convert_to<double>());
      const double top = *std::max_element(p.begin(), p.end());
      // The margin check: a score within 1e-9 relative of the top ties with it.
      for (std::size_t a = 0; a < m; ++a)
        if (p[a] >= top * (1 - 1e-9)) return a;
      return first_best(p);
    }
    case RankingRule::dictatorship:
      return profile.front().front();
  }
  return 0;
}

RankingOutcome run_ranking(const RankingParameters& parameters, const RankingProfile& profile) {
  RankingOutcome out;
  out.winner = ranking_winner(parameters, profile);
  out.payments.assign(profile.size(), Rational(0));
  if (parameters.payment != RankingPayment::clarke) return out;
  const std::size_t m = parameters.responses;
  for (std::size_t i = 0; i < profile.size(); ++i) {
    const std::vector<long> others = borda_totals(profile, m, i);
    out.payments[i] = Rational(others[first_best(others)] - others[out.winner]);
  }
  return out;
}

Rational ranking_utility(const RankingOutcome& outcome, const Ranking& truth, std::size_t voter) {
  return Rational(static_cast<long>(borda_score(truth, outcome.winner))) - outcome.payments[voter];
}

void validate_ranking(const Ranking& ranking, std::size_t m, const std::string& field) {
  if (ranking.size() != m)
    throw SpecError(field, "has " + std::to_string(ranking.size()) + " responses, expected " +
                               std::to_string(m));
  std::vector<bool> seen(m, false);
  for (std::size_t j = 0; j < m; ++j) {
    if (ranking[j] >= m)
      throw SpecError(field + "[" + std::to_string(j) + "]", "is " + std::to_string(ranking[j]) +
                                                                 ", expected a response index 0.." +
                                                                 std::to_string(m - 1));
    if (seen[ranking[j]]) throw SpecError(field, "repeats response " + std::to_string(ranking[j]));
    seen[ranking[j]] = true;
  }
}

void validate_profile(const RankingParameters& parameters, const RankingProfile& profile,
                      const std::string& field) {
  if (profile.empty() || profile.size() > 50)
    throw SpecError(field, "has " + std::to_string(profile.size()) + " voters, expected 1..50");
  for (std::size_t i = 0; i < profile.size(); ++i)
    validate_ranking(profile[i], parameters.responses, field + "[" + std::to_string(i) + "]");
}

}  // namespace mechcheck

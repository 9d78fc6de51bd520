#include <algorithm>
#include <cmath>
#include <limits>

#include "checks/confirm.hpp"
#include "checks/regret_search.hpp"
#include "checks/rlhf_checks.hpp"
#include "mechanisms/external/external_mechanism.hpp"

namespace mechcheck {
namespace {

// Confirms a float finding; shrinks it (when asked) if it stands. `float_value` is what the
// search measured: when the game's search gains are exact answers rounded to double and the
// confirmation disagrees beyond rounding, the mechanism answered one profile two ways
// (MechanismAnsweredTwoWays) — never a dropped finding and a "holds".
std::optional<GameWitness> confirmed(const std::shared_ptr<const Game>& game, Finding finding,
                                     bool shrink, CheckEvidence& evidence,
                                     std::optional<double> float_value = std::nullopt) {
  Confirmed result = confirm_finding(game, finding);
  evidence.confirmation = Confirmation{result.value.precision, result.value.text};
  if (!result.witness) {
    if (float_value && game->search_gains_are_exact() &&
        std::abs(*float_value - result.value.approx) >
            1e-9 * std::max({1.0, std::abs(*float_value)})) {
      throw MechanismAnsweredTwoWays(
          "the mechanism answered " + std::string(game->agent_noun()) + " " +
          std::to_string(finding.agent) + "'s deviation two ways: the search measured a gain of " +
          std::to_string(*float_value) + ", asked again with the same exact profiles it gives " +
          result.value.text +
          " (a mechanism must be a function of the profile: break ties by "
          "the profile, or seed randomness with the profile's \"seed\", or answer a lottery)");
    }
    evidence.unconfirmed_float_finding = true;
    return std::nullopt;
  }
  return shrink ? shrink_witness(std::move(*result.witness)) : std::move(result.witness);
}

CheckResult from_witness(std::optional<GameWitness> witness, CheckEvidence evidence) {
  CheckResult result;
  result.evidence = std::move(evidence);
  if (witness) {
    result.verdict = Verdict::violated;
    result.evidence.witness_agent = witness->finding.agent;
    result.evidence.witness_value = witness->recorded_value;
    result.witness = std::move(witness);
  }
  return result;
}

CheckResult inconclusive(CheckEvidence evidence, std::string reason, std::size_t agent) {
  CheckResult result;
  result.verdict = Verdict::inconclusive;
  result.evidence = std::move(evidence);
  result.evidence.reason = std::move(reason);
  result.evidence.reason_agent = agent;
  return result;
}

CheckResult check_dsic(const std::shared_ptr<const Game>& game, const CheckOptions& options) {
  CheckEvidence evidence;
  evidence.agents = game->agent_count();
  double max_gain = 0;
  long evaluations = 0;
  for (std::size_t i = 0; i < game->agent_count(); ++i) {
    Rng rng = Rng::stream(options.seed, static_cast<std::uint64_t>(i));
    std::unique_ptr<DeviationSpace> space = game->deviations(i);
    const SearchFindings found_by_search = search_regret(*space, options.effort, rng);
    evaluations += space->evaluations();
    if (!std::isfinite(found_by_search.best.gain))
      return inconclusive(std::move(evidence), "non-finite utility in double", i);
    max_gain = std::max(max_gain, found_by_search.best.gain);
    // The best finding first, then the next best: one that does not stand (rounding) must not
    // hide another that does.
    std::vector<const BestDeviation*> tries{&found_by_search.best};
    for (const BestDeviation& runner : found_by_search.runners_up) tries.push_back(&runner);
    for (const BestDeviation* best : tries) {
      if (!(best->gain > game->search_tolerance())) break;
      Finding finding;
      finding.property = Property::dsic;
      finding.agent = i;
      finding.deviation = space->exact(best->report);
      evidence.strategy = best->strategy;
      evidence.float_gain = best->gain;
      evidence.evaluations = evaluations;
      evidence.max_gain_found = max_gain;  // the largest gain found, either way
      try {
        if (auto found = confirmed(game, std::move(finding), options.shrink, evidence, best->gain))
          return from_witness(std::move(found), std::move(evidence));
      } catch (const MechanismAnsweredTwoWays& error) {
        evidence.evaluations = evaluations;
        return inconclusive(std::move(evidence), error.what(), i);
      }
    }
  }
  evidence.max_gain_found = max_gain;
  evidence.evaluations = evaluations;
  return from_witness(std::nullopt, std::move(evidence));
}

// IR, non-negativity: no search, every agent measured at exact / high precision.
CheckResult check_each_agent(Property property, const std::shared_ptr<const Game>& game,
                             const CheckOptions& options) {
  CheckEvidence evidence;
  evidence.agents = game->agent_count();
  std::optional<GameWitness> found;
  for (std::size_t i = 0; i < game->agent_count() && !found; ++i) {
    Finding finding;
    finding.property = property;
    finding.agent = i;
    Confirmed result;
    try {
      result = confirm_finding(game, std::move(finding));
    } catch (const MechanismAnsweredTwoWays& error) {
      return inconclusive(std::move(evidence), error.what(), i);
    }
    evidence.values.push_back(result.value.approx);
    evidence.precision = result.value.precision;
    found = std::move(result.witness);
  }
  if (found && options.shrink) found = shrink_witness(std::move(*found));
  return from_witness(std::move(found), std::move(evidence));
}

// Budget, revenue: one quantity for the whole profile (reported under agent 0).
CheckResult check_whole_profile(Property property, const std::shared_ptr<const Game>& game,
                                const CheckOptions& options) {
  CheckEvidence evidence;
  evidence.agents = game->agent_count();
  Finding finding;
  finding.property = property;
  Confirmed result;
  try {
    result = confirm_finding(game, std::move(finding));
  } catch (const MechanismAnsweredTwoWays& error) {
    return inconclusive(std::move(evidence), error.what(), 0);
  }
  evidence.values.push_back(result.value.approx);
  evidence.precision = result.value.precision;
  std::optional<GameWitness> found = std::move(result.witness);
  if (found && options.shrink) found = shrink_witness(std::move(*found));
  return from_witness(std::move(found), std::move(evidence));
}

CheckResult check_approx_dsic(const std::shared_ptr<const Game>& game,
                              const CheckOptions& options) {
  CheckEvidence evidence;
  evidence.agents = game->agent_count();
  evidence.epsilon = options.noise_epsilon.convert_to<double>();
  double worst_ratio = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < game->agent_count(); ++i) {
    Rng rng = Rng::stream(options.seed, static_cast<std::uint64_t>(i));
    std::optional<NoisyDeviation> noisy =
        game->search_noisy(i, options.noise_epsilon, options.effort, rng);
    if (!noisy)
      return inconclusive(std::move(evidence),
                          "the " + std::string(game->family()) + " family defines no noise", i);
    worst_ratio = std::max(worst_ratio, noisy->gain_over_bound);
    if (noisy->exceeds_bound) {
      // Shrinking would have to keep the noise within ε: not attempted.
      if (auto found = confirmed(game, std::move(noisy->finding), false, evidence)) {
        evidence.gain_over_bound = worst_ratio;
        return from_witness(std::move(found), std::move(evidence));
      }
    }
  }
  evidence.max_gain_over_bound = worst_ratio;
  return from_witness(std::nullopt, std::move(evidence));
}

}  // namespace

CheckResult check_property(Property property, const std::shared_ptr<const Game>& game,
                           const CheckOptions& options) {
  switch (property) {
    case Property::dsic:
      return check_dsic(game, options);
    case Property::ir:
    case Property::nonneg:
      return check_each_agent(property, game, options);
    case Property::budget:
    case Property::revenue:
      return check_whole_profile(property, game, options);
    case Property::approx_dsic:
      return check_approx_dsic(game, options);
  }
  return {};
}

}  // namespace mechcheck

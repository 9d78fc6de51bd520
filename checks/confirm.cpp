#include "checks/confirm.hpp"

#include "mechanisms/external/external_mechanism.hpp"

namespace mechcheck {

bool finding_stands(const Finding& finding, const Measurement& value) {
  return violated_when_negative(finding.property) ? value.sign < 0 : value.sign > 0;
}

Confirmed confirm_finding(std::shared_ptr<const Game> game, Finding finding) {
  game->validate(finding);
  Confirmed out;
  if (finding.property == Property::dsic && game->is_truthful(finding)) {
    out.value.text = "0";  // reporting the truth gains nothing, whatever a mechanism answers
    out.value.precision = "exact";
    return out;
  }
  out.value = game->measure(finding);
  if (finding_stands(finding, out.value))
    out.witness = GameWitness{std::move(game), std::move(finding), out.value.text,
                              out.value.precision, out.value.answers};
  return out;
}

GameWitness shrink_witness(GameWitness witness, int budget) {
  bool progress = true;
  while (progress && budget > 0) {
    progress = false;
    const std::size_t digits = witness.game->size_in_digits(witness.finding);
    for (Game::Shrunk& candidate : witness.game->shrink_candidates(witness.finding)) {
      if (budget <= 0) break;
      if (candidate.needs_fewer_digits &&
          candidate.game->size_in_digits(candidate.finding) >= digits)
        continue;
      --budget;
      try {
        Confirmed confirmed = confirm_finding(std::move(candidate.game), candidate.finding);
        if (!confirmed.witness) continue;
        witness = std::move(*confirmed.witness);
        progress = true;
        break;
      } catch (const ExternalMechanismError&) {
        throw;  // the program under test misbehaved: the run ends (exit 2), whatever the step
      } catch (const std::exception&) {
        continue;  // not a legal game or report (e.g. a reward became all zero)
      }
    }
  }
  return witness;
}

}  // namespace mechcheck

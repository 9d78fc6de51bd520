#pragma once
// Confirming and shrinking a finding through the game's exact / high-precision measurement:
// a floating-point finding counts only when its quantity, recomputed from exact inputs, is
// beyond that precision's noise floor with the violating sign; shrinking keeps each smaller
// game only if the violation still stands there.
#include <optional>

#include "mechanisms/game.hpp"

namespace mechcheck {

// Whether the measured quantity shows the violation the finding claims.
bool finding_stands(const Finding& finding, const Measurement& value);

// Measures the finding on its game; the witness when it stands (validated first: an illegal
// deviation is never evidence).
struct Confirmed {
  Measurement value;
  std::optional<GameWitness> witness;
};
Confirmed confirm_finding(std::shared_ptr<const Game> game, Finding finding);

// At most `budget` re-measurements; the smallest witness found (the input if none smaller
// stands).
GameWitness shrink_witness(GameWitness witness, int budget = 150);

}  // namespace mechcheck

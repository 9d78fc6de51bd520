#pragma once
// Shrinking a confirmed witness to a small one: fewer groups, fewer outcomes, smaller sizes and
// simpler rationals, keeping each step only if the violation still stands when recomputed
// exactly (or at 100 digits).
#include "spec/witness.hpp"

namespace mechcheck {

// At most `budget` re-confirmations. Returns the smallest witness found (the input if nothing
// simpler stands).
Witness shrink_witness(Witness witness, int budget = 150);

}  // namespace mechcheck

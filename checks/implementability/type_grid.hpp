#pragma once
// Finite type sets for one group: every reward model on the simplex lattice {k/q} (sum
// normalization: compositions of q; max: vectors with largest entry q) crossed with sizes, plus
// the uniform report (Thm 4.9's rm*) and any explicit types.
#include <cstddef>
#include <vector>

#include "spec/instance.hpp"

namespace mechcheck {

// All lattice reward models of resolution q; throws std::invalid_argument above `limit`.
std::vector<std::vector<Rational>> lattice_rewards(std::size_t m, Normalization normalization,
                                                   int q, std::size_t limit = 200000);

// Lattice × sizes, then the uniform reward with every size and `extra` types, duplicates removed.
std::vector<Group> type_grid(std::size_t m, Normalization normalization, int q,
                             const std::vector<long>& sizes, const std::vector<Group>& extra = {});

}  // namespace mechcheck

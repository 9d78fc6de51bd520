#pragma once
// The finite outcome space T*: explicit labels, or every sequence over a token alphabet of
// length 0..K (the paper's T* = ∅ ∪ T ∪ … ∪ T^K).
#include <cstddef>
#include <string>
#include <vector>

namespace mechcheck {

struct OutcomeSpace {
  std::vector<std::string> labels;
  std::size_t size() const { return labels.size(); }
};

// Outcomes "0", "1", … for instances that give no labels.
OutcomeSpace indexed_outcomes(std::size_t count);

// |T*| = Σ_{k ≤ K} |T|^k; throws SpecError naming `field` above `max_outcomes`.
std::size_t sequence_count(std::size_t alphabet_size, std::size_t max_length,
                           std::size_t max_outcomes, const std::string& field);

// Every sequence over `alphabet` with length 0..max_length, shortest first, then in the
// alphabet's order. Tokens are joined with `separator`; the empty sequence is labelled "ε".
// Throws SpecError naming `field` when the space would exceed `max_outcomes`.
OutcomeSpace sequence_outcomes(const std::vector<std::string>& alphabet, std::size_t max_length,
                               std::size_t max_outcomes, const std::string& field,
                               const std::string& separator = " ");

}  // namespace mechcheck

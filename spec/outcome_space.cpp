#include "spec/outcome_space.hpp"

#include <set>

#include "spec/spec_error.hpp"

namespace mechcheck {

OutcomeSpace indexed_outcomes(std::size_t count) {
  OutcomeSpace space;
  space.labels.reserve(count);
  for (std::size_t i = 0; i < count; ++i) space.labels.push_back(std::to_string(i));
  return space;
}

std::size_t sequence_count(std::size_t alphabet_size, std::size_t max_length,
                           std::size_t max_outcomes, const std::string& field) {
  // Counted without overflow, so an oversized space is refused before anything is built.
  std::size_t total = 1, layer = 1;
  for (std::size_t length = 1; length <= max_length; ++length) {
    if (alphabet_size == 0) break;
    if (layer > max_outcomes / alphabet_size)
      throw SpecError(field, "more than " + std::to_string(max_outcomes) + " sequences");
    layer *= alphabet_size;
    total += layer;
    if (total > max_outcomes)
      throw SpecError(field, "more than " + std::to_string(max_outcomes) + " sequences");
  }
  return total;
}

OutcomeSpace sequence_outcomes(const std::vector<std::string>& alphabet, std::size_t max_length,
                               std::size_t max_outcomes, const std::string& field,
                               const std::string& separator) {
  if (alphabet.empty()) throw SpecError(field + ".alphabet", "must hold at least one token");
  const std::size_t total = sequence_count(alphabet.size(), max_length, max_outcomes, field);
  for (std::size_t t = 0; t < alphabet.size(); ++t) {
    const std::string& token = alphabet[t];
    if (token.empty() || token == "ε" ||
        (!separator.empty() && token.find(separator) != std::string::npos))
      throw SpecError(
          field + ".alphabet[" + std::to_string(t) + "]",
          "\"" + token +
              "\" would make sequences ambiguous: tokens must be non-empty, not \"ε\", " +
              "and free of the separator");
  }
  OutcomeSpace space;
  space.labels.reserve(total);
  space.labels.push_back("ε");
  std::vector<std::string> previous{""};
  for (std::size_t length = 1; length <= max_length; ++length) {
    std::vector<std::string> current;
    current.reserve(previous.size() * alphabet.size());
    for (const auto& prefix : previous)
      for (const auto& token : alphabet)
        current.push_back(prefix.empty() ? token : prefix + separator + token);
    space.labels.insert(space.labels.end(), current.begin(), current.end());
    previous = std::move(current);
  }
  // Tokens that are empty, contain the separator or are "ε" would make two sequences look alike.
  std::set<std::string> seen;
  for (const std::string& label : space.labels)
    if (!seen.insert(label).second)
      throw SpecError(field + ".alphabet", "two sequences are both written \"" + label +
                                               "\": use non-empty tokens without the separator");
  return space;
}

}  // namespace mechcheck

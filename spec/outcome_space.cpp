#include "spec/outcome_space.hpp"

#include "spec/spec_error.hpp"

namespace mechcheck {

OutcomeSpace indexed_outcomes(std::size_t count) {
  OutcomeSpace space;
  space.labels.reserve(count);
  for (std::size_t i = 0; i < count; ++i) space.labels.push_back(std::to_string(i));
  return space;
}

OutcomeSpace sequence_outcomes(const std::vector<std::string>& alphabet, std::size_t max_length,
                               std::size_t max_outcomes, const std::string& field,
                               const std::string& separator) {
  if (alphabet.empty()) throw SpecError(field + ".alphabet", "must hold at least one token");
  // Count first, without overflow, so an oversized space is refused before it is built.
  std::size_t total = 1, layer = 1;
  for (std::size_t length = 1; length <= max_length; ++length) {
    if (layer > max_outcomes / alphabet.size())
      throw SpecError(field, "more than " + std::to_string(max_outcomes) + " sequences");
    layer *= alphabet.size();
    total += layer;
    if (total > max_outcomes)
      throw SpecError(field, "more than " + std::to_string(max_outcomes) + " sequences");
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
  return space;
}

}  // namespace mechcheck

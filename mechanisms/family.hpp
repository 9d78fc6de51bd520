#pragma once
// Families of mechanisms and their registry: a family names itself, declares its parameters and
// properties, and reads and writes its games, check configs and witnesses as exact JSON (the
// edge of the program: checks never see JSON). `mechcheck families` prints the registry;
// `check`, `replay`, `solve` and the claims look families up by name.
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mechanisms/check_setup.hpp"
#include "mechanisms/external/external_mechanism.hpp"
#include "mechanisms/game.hpp"

namespace mechcheck {

struct ParameterInfo {
  std::string name;
  std::string default_value;  // "" when required
  std::string description;
};

class Family {
 public:
  virtual ~Family() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;
  virtual std::vector<ParameterInfo> parameters() const = 0;
  virtual std::vector<Property> properties() const = 0;
  // Top-level keys only this family's documents have: a document without "family" that has one
  // is refused with a message naming the family it belongs to (the default is the RLHF Game).
  virtual std::vector<std::string> own_keys() const { return {}; }

  // Each throws SpecError naming the field.
  virtual std::shared_ptr<const Game> read_game(const nlohmann::json& document) const = 0;
  // `mechanism`, when given, is the external mechanism under test whatever the config says (the
  // Python module's in-process callable); the config's "tolerance" still applies.
  virtual CheckSetup read_check_config(
      const nlohmann::json& document,
      std::shared_ptr<const ExternalMechanism> mechanism = nullptr) const = 0;
  virtual GameWitness read_witness(const nlohmann::json& document) const = 0;
  // The agents' true types of a game, as exact JSON: what a report lists for each instance.
  virtual nlohmann::json types_json(const Game& game) const = 0;
  virtual nlohmann::json witness_to_json(const GameWitness& witness) const = 0;
  // `mechcheck solve` for families whose outcome is exact; nothing for the RLHF Game, which
  // `solve` runs at a chosen precision through the solver (cli/solve_command.cpp).
  virtual std::optional<nlohmann::json> exact_outcome(const Game& game) const {
    (void)game;
    return std::nullopt;
  }
};

std::span<const Family* const> registered_families();

// The family a document names in "family" (default "rlhf-game"); SpecError("family") otherwise.
const Family& family_of(const nlohmann::json& document);
const Family& family_named(std::string_view name);

// The JSON key of a finding's measured quantity: gain, utility, payment, slack.
std::string_view quantity_name(Property property);

}  // namespace mechcheck

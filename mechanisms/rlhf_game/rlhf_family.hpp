#pragma once
// The RLHF Game's registry entry: today's instance, check-config and witness files, with an
// optional "family": "rlhf-game".
#include "mechanisms/family.hpp"

namespace mechcheck {

class RlhfFamily final : public Family {
 public:
  std::string_view name() const override { return "rlhf-game"; }
  std::string_view description() const override {
    return "fine-tune one LLM for several groups' reported reward models and sizes (training "
           "rule + payment rule; Sun et al., the RLHF Game)";
  }
  std::vector<ParameterInfo> parameters() const override;
  std::vector<Property> properties() const override {
    return {Property::dsic, Property::ir, Property::nonneg, Property::approx_dsic};
  }
  std::shared_ptr<const Game> read_game(const nlohmann::json& document) const override;
  CheckSetup read_check_config(
      const nlohmann::json& document,
      std::shared_ptr<const ExternalMechanism> mechanism = nullptr) const override;
  GameWitness read_witness(const nlohmann::json& document) const override;
  nlohmann::json types_json(const Game& game) const override;
  nlohmann::json witness_to_json(const GameWitness& witness) const override;
};

}  // namespace mechcheck

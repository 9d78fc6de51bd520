#pragma once
// Ranking aggregation's registry entry: instance, check-config and witness files.
//   {"family": "ranking-aggregation", "parameters": {"rule": "borda", "payment": "none",
//    "responses": 3}, "rankings": [[0, 1, 2], [2, 0, 1], [1, 2, 0]]}
#include "mechanisms/family.hpp"
#include "mechanisms/ranking/ranking_game.hpp"

namespace mechcheck {

class RankingFamily final : public Family {
 public:
  std::string_view name() const override { return "ranking-aggregation"; }
  std::string_view description() const override {
    return "voters report strict rankings of m responses, the rule picks a winner (plurality, "
           "Borda, Copeland, Bradley-Terry, dictatorship, majority); utility is the winner's "
           "Borda score under the true ranking minus an optional Clarke payment";
  }
  std::vector<ParameterInfo> parameters() const override;
  std::vector<std::string> own_keys() const override { return {"rankings"}; }
  std::vector<Property> properties() const override {
    return {Property::dsic, Property::ir, Property::nonneg};
  }
  std::shared_ptr<const Game> read_game(const nlohmann::json& document) const override;
  CheckSetup read_check_config(
      const nlohmann::json& document,
      std::shared_ptr<const ExternalMechanism> mechanism = nullptr) const override;
  GameWitness read_witness(const nlohmann::json& document) const override;
  nlohmann::json types_json(const Game& game) const override;
  nlohmann::json witness_to_json(const GameWitness& witness) const override;
  std::optional<nlohmann::json> exact_outcome(const Game& game) const override;
};

RankingParameters read_ranking_parameters(const nlohmann::json& value, const std::string& field);
nlohmann::json ranking_parameters_to_json(const RankingParameters& parameters);
RankingProfile read_rankings(const nlohmann::json& value, const RankingParameters& parameters,
                             const std::string& field);

}  // namespace mechcheck

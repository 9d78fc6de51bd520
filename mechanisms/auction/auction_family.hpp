#pragma once
// Multi-unit auctions' registry entry: instance, check-config and witness files.
//   {"family": "multi-unit-auction", "parameters": {"preset": "vickrey-feedback"},
//    "types": ["7/2", "3", "1"]}
#include "mechanisms/auction/auction_game.hpp"
#include "mechanisms/family.hpp"

namespace mechcheck {

class AuctionFamily final : public Family {
 public:
  std::string_view name() const override { return "multi-unit-auction"; }
  std::string_view description() const override {
    return "single-parameter multi-unit auctions with exact rational bids; the preset "
           "vickrey-feedback is Algorithm 1 of VickreyFeedback (procuring LLM responses)";
  }
  std::vector<ParameterInfo> parameters() const override;
  std::vector<std::string> own_keys() const override { return {"parameters", "types"}; }
  std::vector<Property> properties() const override {
    return {Property::dsic, Property::ir, Property::nonneg, Property::budget, Property::revenue};
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

// "parameters": a preset and/or explicit fields (explicit ones override the preset).
AuctionParameters read_auction_parameters(const nlohmann::json& value, const std::string& field);
// Without the price rule for an external mechanism (the program sets its own prices).
nlohmann::json auction_parameters_to_json(const AuctionParameters& parameters,
                                          bool external = false);

// `mechcheck solve` on an auction: {"selected", "payments", "utilities"}, exact.
nlohmann::json auction_outcome_json(const AuctionGame& game);

}  // namespace mechcheck

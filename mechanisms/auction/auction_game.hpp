#pragma once
// A multi-unit auction with the agents' true types: the mechanism interface for auctions.
// A report is a one-coordinate point, the bid; everything is measured exactly in rationals.
#include "mechanisms/auction/auction.hpp"
#include "mechanisms/external/external_mechanism.hpp"

namespace mechcheck {

class AuctionGame final : public Game {
 public:
  // With `external`, the selection and payments come from that program (docs/protocol.md); the
  // parameters still say who pays whom and how many units there are.
  AuctionGame(AuctionParameters parameters, std::vector<Rational> types,
              std::shared_ptr<const ExternalSetup> external = nullptr);
  const std::shared_ptr<const ExternalSetup>& external() const { return external_; }
  const AuctionParameters& parameters() const { return parameters_; }
  const std::vector<Rational>& types() const { return types_; }

  std::string_view family() const override { return "multi-unit-auction"; }
  std::string_view agent_noun() const override { return "agent"; }
  Money money() const override { return parameters_.money; }
  std::size_t agent_count() const override { return types_.size(); }
  double search_tolerance() const override;
  bool search_gains_are_exact() const override { return external_ != nullptr; }
  bool is_truthful(const Finding& finding) const override;
  std::unique_ptr<DeviationSpace> deviations(std::size_t agent) const override;
  Measurement measure(const Finding& finding) const override;
  void validate(const Finding& finding) const override;
  std::vector<Shrunk> shrink_candidates(const Finding& finding) const override;
  std::size_t size_in_digits(const Finding& finding) const override;
  std::vector<ExactPoint> type_grid(
      std::size_t agent, int resolution,
      const std::optional<std::pair<Rational, Rational>>& range) const override;
  std::optional<std::vector<std::vector<Rational>>> exact_type_values(
      std::size_t agent, const std::vector<ExactPoint>& types) const override;

 private:
  AuctionParameters parameters_;
  std::vector<Rational> types_;
  std::shared_ptr<const ExternalSetup> external_;
};

inline constexpr const char* kAuctionPropertiesExpected =
    "expected \"dsic\", \"ir\", \"nonneg\", \"budget\" or \"revenue\"";

// Throws SpecError naming `field` when the property has no meaning for this money convention:
// budget (what the mechanism pays out against the costs) is procurement's, revenue (what it
// takes in) is a seller's.
void require_property_applies(Property property, Money money, const std::string& field);

// Throws SpecError naming the field when the types do not fit the parameters.
void validate_auction(const AuctionParameters& parameters, const std::vector<Rational>& types,
                      const std::string& field = "types");

}  // namespace mechcheck

#pragma once
// Auctions computed by an external mechanism (docs/protocol.md): profile {"bids": [...]} →
// result {"selected": [agent indices], "payments": [...]}, the search over it and exact
// measurements from its answers.
#include <memory>
#include <nlohmann/json.hpp>

#include "mechanisms/auction/auction.hpp"
#include "mechanisms/external/external_mechanism.hpp"

namespace mechcheck {

nlohmann::json auction_profile_json(const std::vector<Rational>& bids);
// Throws SpecError naming the field inside the result ("selected[1]: is 7, ...").
AuctionOutcome<Rational> decode_auction_answer(const nlohmann::json& result, std::size_t agents);

std::unique_ptr<DeviationSpace> external_auction_deviations(
    const AuctionParameters& parameters, const std::vector<Rational>& types, std::size_t agent,
    std::shared_ptr<const ExternalSetup> setup);
Measurement measure_auction_externally(const AuctionParameters& parameters,
                                       const std::vector<Rational>& types, const Finding& finding,
                                       const ExternalSetup& setup);
nlohmann::json auction_external_answers(const std::vector<Rational>& types, const Finding& finding,
                                        const ExternalSetup& setup);

}  // namespace mechcheck

#pragma once
// Auctions computed by an external mechanism (docs/protocol.md): profile {"bids": [...], "seed"}
// → result {"selected": [agent indices], "payments": [...]} or a lottery over such outcomes
// {"lottery": [{"probability": "1/2", "selected": [...], "payments": [...]}, ...]}; the search
// over it and exact measurements from its answers (in expectation over a lottery).
#include <memory>
#include <nlohmann/json.hpp>

#include "mechanisms/auction/auction.hpp"
#include "mechanisms/external/external_mechanism.hpp"

namespace mechcheck {

// One outcome (probability 1) or a lottery; probabilities exact, positive, summing to 1.
struct AuctionAnswer {
  std::vector<Rational> probabilities;
  std::vector<AuctionOutcome<Rational>> outcomes;
  bool operator==(const AuctionAnswer&) const = default;
};

// Agent `agent`'s expected utility from the answer, every payment counted.
Rational expected_utility(const AuctionParameters& parameters, const AuctionAnswer& answer,
                          std::size_t agent, const Rational& type);
// Each agent's expected payment.
std::vector<Rational> expected_payments(const AuctionAnswer& answer, std::size_t agents);

nlohmann::json auction_profile_json(const std::vector<Rational>& bids);
// Throws SpecError naming the field inside the result ("selected[1]: is 7, ...",
// "lottery[2].selected: ..."): indices, payments, and feasibility (no more agents selected than
// units, unless the parameters declare unlimited supply).
AuctionAnswer decode_auction_answer(const nlohmann::json& result,
                                    const AuctionParameters& parameters, std::size_t agents);

std::unique_ptr<DeviationSpace> external_auction_deviations(
    const AuctionParameters& parameters, const std::vector<Rational>& types, std::size_t agent,
    std::shared_ptr<const ExternalSetup> setup);
// Asks the mechanism twice for the finding's profiles (an answer given two ways throws
// MechanismAnsweredTwoWays) and measures the finding exactly from the answers, which the
// measurement records.
Measurement measure_auction_externally(const AuctionParameters& parameters,
                                       const std::vector<Rational>& types, const Finding& finding,
                                       const ExternalSetup& setup);
// The finding's quantity from recorded answers ({"truthful": R, "deviation": R}): what a
// witness's answers give, to be checked against its recorded value before it is written.
Measurement measure_auction_answers(const AuctionParameters& parameters,
                                    const std::vector<Rational>& types, const Finding& finding,
                                    const nlohmann::json& answers, const Rational& tolerance);

}  // namespace mechcheck

#pragma once
// The RLHF Game computed by an external mechanism (docs/protocol.md): the family's codec
// (profile {"initial", "groups": [{"reward", "size"}], "seed"} → result {"policy", "payments"},
// or a lottery {"lottery": [{"probability", "policy", "payments"}, ...]}), the search over it and
// exact measurements from its answers.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "mechanisms/external/external_mechanism.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

// The true profile, or with `agent`'s report replaced.
nlohmann::json rlhf_profile_json(const Instance& instance, std::size_t agent = 0,
                                 const Group* report = nullptr);

// A lottery is decoded to its expectation: valuations are linear in the policy, so every
// property judged in expectation needs only the mixture policy and the expected payments.
struct RlhfAnswer {
  std::vector<Rational> policy, payments;
  bool operator==(const RlhfAnswer&) const = default;
};
// Throws SpecError naming the field inside the result ("policy: sums to 1.2, ...",
// "lottery[1].payments: ...").
RlhfAnswer decode_rlhf_answer(const nlohmann::json& result, std::size_t outcomes,
                              std::size_t groups);

std::unique_ptr<DeviationSpace> external_rlhf_deviations(
    const Instance& instance, std::size_t agent, std::shared_ptr<const ExternalSetup> setup);

// dsic: the gain; ir: the truthful utility; nonneg: the payment — from the mechanism's answers,
// asked twice (an answer given two ways throws MechanismAnsweredTwoWays) and recorded in the
// measurement.
Measurement measure_rlhf_externally(const Instance& instance, const Finding& finding,
                                    const ExternalSetup& setup);
// The same quantity from recorded answers {"truthful": R, "deviation": R}.
Measurement measure_rlhf_answers(const Instance& instance, const Finding& finding,
                                 const nlohmann::json& answers, const Rational& tolerance);

}  // namespace mechcheck

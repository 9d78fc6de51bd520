#pragma once
// The RLHF Game computed by an external mechanism (docs/protocol.md): the family's codec
// (profile {"initial", "groups": [{"reward", "size"}]} → result {"policy", "payments"}), the
// search over it and exact measurements from its answers.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "mechanisms/external/external_mechanism.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

// The true profile, or with `agent`'s report replaced.
nlohmann::json rlhf_profile_json(const Instance& instance, std::size_t agent = 0,
                                 const Group* report = nullptr);

struct RlhfAnswer {
  std::vector<Rational> policy, payments;
};
// Throws SpecError naming the field inside the result ("policy: sums to 1.2, ...").
RlhfAnswer decode_rlhf_answer(const nlohmann::json& result, std::size_t outcomes,
                              std::size_t groups);

std::unique_ptr<DeviationSpace> external_rlhf_deviations(
    const Instance& instance, std::size_t agent, std::shared_ptr<const ExternalSetup> setup);

// dsic: the gain; ir: the truthful utility; nonneg: the payment — from the mechanism's answers.
Measurement measure_rlhf_externally(const Instance& instance, const Finding& finding,
                                    const ExternalSetup& setup);
// The mechanism's answers behind a finding: {"truthful": R, "deviation": R}.
nlohmann::json rlhf_external_answers(const Instance& instance, const Finding& finding,
                                     const ExternalSetup& setup);

}  // namespace mechcheck

#pragma once
// The RLHF Game as a family behind the mechanism interface: a game is an Instance (rule,
// payment, π, true reward models and sizes); a report is a point (rm'_i(x) for every outcome x,
// then w'_i). Searches evaluate one SW-Max solve per report (DeviationEvaluator: the
// affine-maximizer payment's first term is solved once per agent).
#include <memory>

#include "mechanisms/external/external_mechanism.hpp"
#include "mechanisms/game.hpp"
#include "spec/witness.hpp"

namespace mechcheck {

class RlhfGame final : public Game {
 public:
  // With `external`, the mechanism is that program (docs/protocol.md) and the instance's rule
  // and payment are not used: the instance holds the true types only.
  explicit RlhfGame(Instance instance, std::shared_ptr<const ExternalSetup> external = nullptr);
  const Instance& instance() const { return instance_; }
  const std::shared_ptr<const ExternalSetup>& external() const { return external_; }

  std::string_view family() const override { return "rlhf-game"; }
  std::string_view agent_noun() const override { return "group"; }
  Money money() const override { return Money::agents_pay; }
  std::size_t agent_count() const override { return instance_.group_count(); }
  double search_tolerance() const override;
  bool search_gains_are_exact() const override { return external_ != nullptr; }
  bool is_truthful(const Finding& finding) const override;
  std::unique_ptr<DeviationSpace> deviations(std::size_t agent) const override;
  Measurement measure(const Finding& finding) const override;
  void validate(const Finding& finding) const override;
  std::vector<Shrunk> shrink_candidates(const Finding& finding) const override;
  std::size_t size_in_digits(const Finding& finding) const override;
  std::optional<NoisyDeviation> search_noisy(std::size_t agent, const Rational& epsilon,
                                             const SearchEffort& effort, Rng& rng) const override;

 private:
  Instance instance_;
  std::shared_ptr<const ExternalSetup> external_;
};

// The RLHF Game's witness record (spec/witness.hpp) of a generic one, and back.
Witness rlhf_witness(const GameWitness& witness);
GameWitness game_witness(const Witness& witness);
Finding finding_of(const Witness& witness);

// A report point: the reward followed by the size.
ExactPoint report_point(const Group& group);
Group report_group(const ExactPoint& point);

}  // namespace mechcheck

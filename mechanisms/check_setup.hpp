#pragma once
// A check config once read: where the games come from and what to check on them.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mechanisms/game.hpp"

namespace mechcheck {

struct ExternalSetup;  // mechanisms/external/external_mechanism.hpp

struct CheckSetup {
  std::string family;
  std::shared_ptr<const GameSource> source;
  std::vector<Property> properties;
  std::optional<Rational> noise_epsilon;  // approx-dsic
  std::string effort = "default";         // quick, default, thorough
  std::uint64_t instance_count = 100;     // generated games
  std::uint64_t seed = 1;
  std::shared_ptr<const ExternalSetup> external;  // the program under test, when external
};

}  // namespace mechcheck

#pragma once
// A counterexample as data: the exact instance, the group, and what it did (a misreport, noise),
// plus the value recorded when the violation was confirmed. `mechcheck replay` recomputes it.
#include <optional>
#include <string>
#include <vector>

#include "spec/instance.hpp"

namespace mechcheck {

struct Witness {
  std::string property;                   // "dsic", "ir", "nonneg", "approx-dsic"
  Instance instance;                      // truthful types of every group (exact)
  std::size_t group = 0;                  // the group whose incentive fails
  std::optional<Group> deviation;         // dsic / approx-dsic: the misreport (reward, size)
  std::vector<Rational> truth_noise;      // approx-dsic: noise added to the truthful report
  std::vector<Rational> deviation_noise;  // approx-dsic: noise added to the misreport
  Rational epsilon{0};                    // approx-dsic: the noise bound
  std::string recorded_value;             // the confirmed gain / utility / payment, as printed
  std::string precision;                  // "exact" or "100": where it was confirmed
};

}  // namespace mechcheck

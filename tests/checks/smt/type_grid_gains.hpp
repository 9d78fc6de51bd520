#pragma once
// The exact gain matrices both type-set query tests run on: group 0 of a 3-outcome, 2-group
// instance under `rule` (a JSON rule object), lattice resolution q, sizes {1, 2}.
#include <string>

#include "checks/implementability/implementability.hpp"
#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck::smt::testing {

inline Instance three_outcome_instance(const std::string& rule) {
  return read_instance(parse_exact_json(
      R"({"normalization": "sum", "initial": ["1/4","1/4","1/2"], "max_group_size": 3, "rule": )" +
      rule +
      R"(, "groups": [{"reward": ["1/2","1/4","1/4"], "size": 1},
                      {"reward": ["0","1/2","1/2"], "size": 2}]})"));
}

inline ExactGainGraph grid_gains(const std::string& rule, int resolution) {
  ImplementabilityOptions options;
  options.resolution = resolution;
  options.sizes = {1, 2};
  return exact_gain_graph(three_outcome_instance(rule), options);
}

}  // namespace mechcheck::smt::testing

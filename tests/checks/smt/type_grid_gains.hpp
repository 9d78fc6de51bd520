#pragma once
// The exact gain matrices both type-set query tests run on: group 0 of a 3-outcome, 2-group
// instance under `rule` (a JSON rule object), lattice resolution q, sizes {1, 2}; and random
// small rational ones for the RapidCheck properties.
#include <rapidcheck.h>

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

// RapidCheck: k ≤ 5 types, off-diagonal gains p/q with |p| ≤ spread, q ≤ 6 (zero diagonal).
inline Matrix<Rational> random_gains() {
  const auto k = *rc::gen::inRange<Eigen::Index>(1, 6);
  const int spread = *rc::gen::element(1, 4, 30);
  Matrix<Rational> gains = Matrix<Rational>::Zero(k, k);
  for (Eigen::Index a = 0; a < k; ++a)
    for (Eigen::Index b = 0; b < k; ++b)
      if (a != b)
        gains(a, b) = Rational(*rc::gen::inRange(-spread / 2, spread + 1), *rc::gen::inRange(1, 7));
  return gains;
}

}  // namespace mechcheck::smt::testing

#pragma once
// RapidCheck generators for whole instances with small exact rationals. Shrinking heads for
// fewer outcomes and groups, smaller sizes and smaller integers (hence simpler rationals),
// because every value is built from integers drawn in ranges that shrink toward their low end.
#include <rapidcheck.h>

#include <algorithm>
#include <numeric>
#include <ostream>
#include <vector>

#include "generators/rc_generators.hpp"
#include "spec/instance.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck {

// Counterexamples print as exact instance JSON, which `mechcheck solve` reads back.
inline void showValue(const Instance& instance, std::ostream& os) {
  os << instance_to_json(instance).dump();
}

namespace gen {

struct InstanceShape {
  int min_outcomes = 1, max_outcomes = 6;
  int min_groups = 1, max_groups = 4;
  int max_group_size = 10;
  std::vector<DivergenceKind> divergences{DivergenceKind::kl, DivergenceKind::chi2,
                                          DivergenceKind::tv, DivergenceKind::reverse_kl,
                                          DivergenceKind::hellinger};
  std::vector<Normalization> normalizations{Normalization::sum, Normalization::max};
  PaymentType payment = PaymentType::affine_maximizer;
  RewardShape reward = RewardShape::mixed;
  InitialShape initial = InitialShape::random;
};

inline rc::Gen<Instance> instances(InstanceShape shape = {}) {
  return rc::gen::exec([shape] {
    const int m = *rc::gen::inRange(shape.min_outcomes, shape.max_outcomes + 1);
    const int n = *rc::gen::inRange(shape.min_groups, shape.max_groups + 1);
    Instance instance;
    instance.outcomes = indexed_outcomes(static_cast<std::size_t>(m));
    instance.normalization = *rc::gen::elementOf(shape.normalizations);
    instance.initial = *initial_model(static_cast<std::size_t>(m), shape.initial);
    const int cap = *rc::gen::inRange(1, shape.max_group_size + 1);
    instance.max_group_size = cap;
    instance.rule.divergence = *rc::gen::elementOf(shape.divergences);
    instance.rule.lambda = Rational(*rc::gen::inRange(1, 21), *rc::gen::inRange(1, 21));
    instance.payment.type = shape.payment;
    for (int i = 0; i < n; ++i) {
      Group group;
      group.reward =
          *reward_model(static_cast<std::size_t>(m), instance.normalization, shape.reward);
      group.size = *group_size(cap);
      instance.groups.push_back(std::move(group));
    }
    return instance;
  });
}

}  // namespace gen
}  // namespace mechcheck

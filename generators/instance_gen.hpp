#pragma once
// RapidCheck generators for whole instances with small exact rationals. Shrinking heads for
// fewer outcomes and groups, smaller sizes and smaller integers (hence simpler rationals),
// because every value is built from integers drawn in ranges that shrink toward their low end.
#include <rapidcheck.h>

#include <algorithm>
#include <numeric>
#include <ostream>
#include <vector>

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
  std::vector<DivergenceKind> divergences{DivergenceKind::kl, DivergenceKind::chi2, DivergenceKind::tv,
                                          DivergenceKind::reverse_kl, DivergenceKind::hellinger};
  std::vector<Normalization> normalizations{Normalization::sum, Normalization::max};
  PaymentType payment = PaymentType::affine_maximizer;
};

// Integer weights scaled to sum 1 (sum normalization) or max 1; all-zero draws become uniform.
inline std::vector<Rational> normalized(const std::vector<int>& weights, Normalization normalization) {
  const long total = std::accumulate(weights.begin(), weights.end(), 0L);
  const long top = *std::max_element(weights.begin(), weights.end());
  std::vector<Rational> values;
  for (int w : weights) {
    if (top == 0) values.push_back(normalization == Normalization::sum
                                       ? Rational(1, static_cast<long>(weights.size()))
                                       : Rational(1));
    else values.push_back(Rational(w, normalization == Normalization::sum ? total : top));
  }
  return values;
}

inline rc::Gen<Instance> instances(InstanceShape shape = {}) {
  return rc::gen::exec([shape] {
    const int m = *rc::gen::inRange(shape.min_outcomes, shape.max_outcomes + 1);
    const int n = *rc::gen::inRange(shape.min_groups, shape.max_groups + 1);
    Instance instance;
    instance.outcomes = indexed_outcomes(static_cast<std::size_t>(m));
    instance.normalization = *rc::gen::elementOf(shape.normalizations);
    instance.initial = normalized(*rc::gen::container<std::vector<int>>(
                                      static_cast<std::size_t>(m), rc::gen::inRange(1, 11)),
                                  Normalization::sum);
    const int cap = *rc::gen::inRange(1, shape.max_group_size + 1);
    instance.max_group_size = cap;
    instance.rule.divergence = *rc::gen::elementOf(shape.divergences);
    instance.rule.lambda = Rational(*rc::gen::inRange(1, 21), *rc::gen::inRange(1, 21));
    instance.payment.type = shape.payment;
    for (int i = 0; i < n; ++i) {
      Group group;
      group.reward = normalized(*rc::gen::container<std::vector<int>>(
                                    static_cast<std::size_t>(m), rc::gen::inRange(0, 11)),
                                instance.normalization);
      group.size = *rc::gen::inRange(1, cap + 1);
      instance.groups.push_back(std::move(group));
    }
    return instance;
  });
}

}  // namespace gen
}  // namespace mechcheck

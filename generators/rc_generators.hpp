#pragma once
// RapidCheck generators for the game's parts, all exact rationals built from small integers
// drawn in ranges that shrink toward their low end — so a failing case shrinks to few
// outcomes, few groups, size 1 and simple fractions.
#include <rapidcheck.h>

#include <algorithm>
#include <vector>

#include "generators/misreports.hpp"
#include "generators/samplers.hpp"
#include "spec/generator_spec.hpp"
#include "spec/instance.hpp"

namespace mechcheck::gen {

// A normalized reward model of m outcomes in the given shape (mixed: any of them).
inline rc::Gen<std::vector<Rational>> reward_model(std::size_t m, Normalization normalization,
                                                   RewardShape shape = RewardShape::mixed) {
  return rc::gen::exec([=] {
    RewardShape chosen = shape;
    if (chosen == RewardShape::mixed)
      chosen = *rc::gen::element(RewardShape::uniform, RewardShape::with_zeros, RewardShape::ties,
                                 RewardShape::constant, RewardShape::one_hot);
    std::vector<Rational> weights;
    switch (chosen) {
      case RewardShape::with_zeros:
        for (std::size_t x = 0; x < m; ++x)
          weights.emplace_back(
              *rc::gen::weightedOneOf<int>({{1, rc::gen::just(0)}, {2, rc::gen::inRange(1, 11)}}));
        break;
      case RewardShape::ties: {
        const auto levels = *rc::gen::container<std::vector<int>>(2, rc::gen::inRange(0, 11));
        for (std::size_t x = 0; x < m; ++x)
          weights.emplace_back(levels[static_cast<std::size_t>(*rc::gen::inRange(0, 2))]);
        break;
      }
      case RewardShape::constant:
        weights.assign(m, Rational(1));
        break;
      case RewardShape::one_hot:
        weights.assign(m, Rational(0));
        weights[static_cast<std::size_t>(*rc::gen::inRange<std::size_t>(0, m))] = 1;
        break;
      default:
        for (std::size_t x = 0; x < m; ++x) weights.emplace_back(*rc::gen::inRange(0, 11));
    }
    return normalize_weights(weights, normalization);
  });
}

// A strictly positive initial model: uniform, random, or skewed (one outcome at 10^-k).
inline rc::Gen<std::vector<Rational>> initial_model(std::size_t m,
                                                    InitialShape shape = InitialShape::random) {
  return rc::gen::exec([=] {
    if (shape == InitialShape::uniform)
      return std::vector<Rational>(m, Rational(1, static_cast<long>(m)));
    std::vector<Rational> weights;
    for (std::size_t x = 0; x < m; ++x) weights.emplace_back(*rc::gen::inRange(1, 11));
    if (shape == InitialShape::skewed && m > 1) {
      const int exponent = *rc::gen::inRange(2, 7);
      long scale = 1;
      for (int k = 0; k < exponent; ++k) scale *= 10;
      weights[static_cast<std::size_t>(*rc::gen::inRange<std::size_t>(0, m))] = Rational(1, scale);
    }
    return normalize_weights(weights, Normalization::sum);
  });
}

inline rc::Gen<Rational> group_size(long max_size) {
  return rc::gen::map(rc::gen::inRange<long>(1, max_size + 1), [](long w) { return Rational(w); });
}

// A misreport of (reward, size): the Thm 4.2 polarization, an α-scaled size, β-mixing with
// `others`, a small perturbation, or a random report — each kept valid.
inline rc::Gen<Group> misreport(const Group& truth, const std::vector<Rational>& others,
                                Normalization normalization, long max_size) {
  return rc::gen::exec([=] {
    const std::size_t m = truth.reward.size();
    Group report = truth;
    switch (*rc::gen::inRange(0, 5)) {
      case 0: {  // polarization by ε = 1/q, limited by what the reward allows
        const Rational epsilon(1, *rc::gen::inRange(2, 101));
        if (const auto polarized =
                polarize(from_rationals<Rational>(truth.reward), epsilon, normalization))
          report.reward.assign(polarized->data(), polarized->data() + polarized->size());
        break;
      }
      case 1:  // α-scaling of the size
        report.size = *group_size(max_size);
        break;
      case 2: {  // β-mixing with the others' average, β ∈ [0, 1]
        const Rational beta(*rc::gen::inRange(0, 11), 10);
        std::vector<Rational> mixed;
        for (std::size_t x = 0; x < m; ++x)
          mixed.push_back(beta * truth.reward[x] + (1 - beta) * others[x]);
        report.reward = normalize_weights(mixed, normalization);
        break;
      }
      case 3: {  // small perturbation
        std::vector<Rational> moved = truth.reward;
        for (Rational& r : moved)
          r = std::max(Rational(0), Rational(r + Rational(*rc::gen::inRange(-5, 6), 100)));
        report.reward = normalize_weights(moved, normalization);
        break;
      }
      default:  // a random report and size
        report.reward = *reward_model(m, normalization);
        report.size = *group_size(max_size);
    }
    return report;
  });
}

// Noise within ε in max-norm: each entry k·ε/4 with k ∈ {−4..4} (corners included).
inline rc::Gen<std::vector<Rational>> bounded_noise(std::size_t m, const Rational& epsilon) {
  return rc::gen::map(rc::gen::container<std::vector<int>>(m, rc::gen::inRange(-4, 5)),
                      [epsilon](const std::vector<int>& ks) {
                        std::vector<Rational> noise;
                        for (int k : ks) noise.push_back(epsilon * k / 4);
                        return noise;
                      });
}

}  // namespace mechcheck::gen

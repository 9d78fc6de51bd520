#include "generators/samplers.hpp"

#include <algorithm>

namespace mechcheck {

std::vector<Rational> normalize_weights(const std::vector<Rational>& weights,
                                        Normalization normalization) {
  Rational scale = 0;
  for (const Rational& w : weights)
    scale = normalization == Normalization::sum ? Rational(scale + w) : std::max(scale, w);
  if (scale == 0) return uniform_reward(normalization, weights.size());
  std::vector<Rational> out;
  out.reserve(weights.size());
  for (const Rational& w : weights) out.push_back(w / scale);
  return out;
}

namespace {

// Uniform on the simplex by sorted uniform spacings, in integers only (no libm, so the same
// seed gives the same rationals on every platform). Positive weights add 1 to each spacing.
std::vector<Rational> simplex_weights(Rng& rng, std::size_t m, bool strictly_positive) {
  std::vector<std::int64_t> cuts{0, kGrain};
  for (std::size_t x = 1; x < m; ++x) cuts.push_back(rng.integer(0, kGrain));
  std::sort(cuts.begin(), cuts.end());
  std::vector<Rational> weights;
  for (std::size_t x = 0; x < m; ++x)
    weights.emplace_back(cuts[x + 1] - cuts[x] + (strictly_positive ? 1 : 0));
  return weights;
}

}  // namespace

std::vector<Rational> sample_reward(Rng& rng, std::size_t m, Normalization normalization,
                                    RewardShape shape) {
  if (shape == RewardShape::mixed) {
    const RewardShape shapes[] = {RewardShape::uniform,    RewardShape::uniform,
                                  RewardShape::with_zeros, RewardShape::ties,
                                  RewardShape::constant,   RewardShape::one_hot};
    shape = shapes[rng.integer(0, 5)];
  }
  std::vector<Rational> weights;
  switch (shape) {
    case RewardShape::uniform:
      if (normalization == Normalization::sum) {
        weights = simplex_weights(rng, m, false);
      } else {
        for (std::size_t x = 0; x < m; ++x) weights.emplace_back(rng.integer(0, kGrain));
      }
      break;
    case RewardShape::with_zeros:
      for (std::size_t x = 0; x < m; ++x)
        weights.emplace_back(rng.coin(1.0 / 3) ? 0 : rng.integer(1, kGrain));
      break;
    case RewardShape::ties: {
      const long levels[] = {static_cast<long>(rng.integer(0, kGrain)),
                             static_cast<long>(rng.integer(0, kGrain)),
                             static_cast<long>(rng.integer(0, kGrain))};
      for (std::size_t x = 0; x < m; ++x) weights.emplace_back(levels[rng.integer(0, 2)]);
      break;
    }
    case RewardShape::constant:
      weights.assign(m, Rational(1));
      break;
    case RewardShape::one_hot:
      weights.assign(m, Rational(0));
      weights[static_cast<std::size_t>(rng.integer(0, static_cast<std::int64_t>(m) - 1))] = 1;
      break;
    case RewardShape::mixed:
      break;
  }
  return normalize_weights(weights, normalization);
}

std::vector<Rational> sample_initial(Rng& rng, std::size_t m, InitialShape shape) {
  switch (shape) {
    case InitialShape::uniform:
      return std::vector<Rational>(m, Rational(1, static_cast<long>(m)));
    case InitialShape::skewed: {
      // One outcome gets ε ∈ {1e-2, 1e-4, 1e-6}, the rest share 1 − ε.
      const long exponents[] = {100, 10000, 1000000};
      const Rational epsilon(1, exponents[rng.integer(0, 2)]);
      std::vector<Rational> initial(
          m, (1 - epsilon) / static_cast<long>(std::max<std::size_t>(m - 1, 1)));
      if (m == 1) return {Rational(1)};
      initial[static_cast<std::size_t>(rng.integer(0, static_cast<std::int64_t>(m) - 1))] = epsilon;
      Rational total = 0;
      for (const Rational& p : initial) total += p;
      for (Rational& p : initial) p /= total;
      return initial;
    }
    case InitialShape::random:
    default:
      return normalize_weights(simplex_weights(rng, m, true), Normalization::sum);
  }
}

Instance sample_instance(Rng& rng, const Instance& mechanism, const GeneratorSpec& spec) {
  Instance instance;
  instance.normalization = mechanism.normalization;
  instance.max_group_size = mechanism.max_group_size;
  instance.rule = mechanism.rule;
  instance.payment = mechanism.payment;
  const auto m = static_cast<std::size_t>(rng.integer(
      static_cast<std::int64_t>(spec.min_outcomes), static_cast<std::int64_t>(spec.max_outcomes)));
  const auto n = static_cast<std::size_t>(rng.integer(static_cast<std::int64_t>(spec.min_groups),
                                                      static_cast<std::int64_t>(spec.max_groups)));
  instance.outcomes = indexed_outcomes(m);
  instance.initial = sample_initial(rng, m, spec.initial);
  const auto cap = mechanism.max_group_size.convert_to<std::int64_t>();
  for (std::size_t i = 0; i < n; ++i) {
    Group group;
    group.reward = sample_reward(rng, m, instance.normalization, spec.reward);
    group.size = rng.integer(1, cap);
    instance.groups.push_back(std::move(group));
  }
  return instance;
}

}  // namespace mechcheck

#include "checks/shrink.hpp"

#include <functional>

#include "checks/confirm.hpp"
#include "generators/samplers.hpp"

namespace mechcheck {
namespace {

// The nearest fraction with the given denominator.
Rational round_to_denominator(const Rational& value, long denominator) {
  const Rational scaled = value * denominator;
  boost::multiprecision::mpz_int whole =
      numerator(scaled) / boost::multiprecision::denominator(scaled);
  Rational below(whole, denominator), above(whole + 1, denominator);
  return abs(value - below) <= abs(above - value) ? below : above;
}

std::vector<Rational> simplified(const std::vector<Rational>& values, long denominator,
                                 Normalization normalization, bool keep_positive) {
  std::vector<Rational> out;
  for (const Rational& v : values) {
    Rational r = round_to_denominator(v, denominator);
    if (keep_positive && r <= 0) r = Rational(1, denominator);
    if (r < 0) r = 0;
    out.push_back(r);
  }
  return normalize_weights(out, normalization);
}

std::vector<Rational> without(const std::vector<Rational>& values, std::size_t index) {
  std::vector<Rational> out = values;
  out.erase(out.begin() + static_cast<std::ptrdiff_t>(index));
  return out;
}

class Shrinker {
 public:
  Shrinker(Witness witness, int budget) : best_(std::move(witness)), budget_(budget) {}

  Witness run() {
    bool progress = true;
    while (progress && budget_ > 0) {
      progress = drop_groups() || drop_outcomes() || smaller_sizes() || simpler_numbers();
    }
    return best_;
  }

 private:
  Witness best_;
  int budget_;

  bool try_candidate(Witness candidate) {
    if (budget_-- <= 0) return false;
    try {
      validate(candidate.instance);
      ConfirmedValue value = measure_witness(candidate);
      if (!witness_stands(candidate, value)) return false;
      candidate.recorded_value = value.text;
      candidate.precision = value.precision;
    } catch (const std::exception&) {
      return false;  // not a valid instance (e.g. a reward became all zero)
    }
    best_ = std::move(candidate);
    return true;
  }

  bool drop_groups() {
    for (std::size_t j = 0; j < best_.instance.group_count(); ++j) {
      if (j == best_.group || best_.instance.group_count() == 1) continue;
      Witness candidate = best_;
      candidate.instance.groups.erase(candidate.instance.groups.begin() +
                                      static_cast<std::ptrdiff_t>(j));
      if (candidate.group > j) --candidate.group;
      if (try_candidate(std::move(candidate))) return true;
    }
    return false;
  }

  bool drop_outcomes() {
    const Instance& instance = best_.instance;
    if (instance.outcome_count() <= 2) return false;
    for (std::size_t x = 0; x < instance.outcome_count(); ++x) {
      Witness candidate = best_;
      Instance& reduced = candidate.instance;
      reduced.outcomes.labels.erase(reduced.outcomes.labels.begin() +
                                    static_cast<std::ptrdiff_t>(x));
      reduced.initial = normalize_weights(without(instance.initial, x), Normalization::sum);
      for (Group& group : reduced.groups)
        group.reward = normalize_weights(without(group.reward, x), reduced.normalization);
      if (candidate.deviation)
        candidate.deviation->reward =
            normalize_weights(without(candidate.deviation->reward, x), reduced.normalization);
      if (!candidate.truth_noise.empty()) {
        candidate.truth_noise = without(candidate.truth_noise, x);
        candidate.deviation_noise = without(candidate.deviation_noise, x);
      }
      if (try_candidate(std::move(candidate))) return true;
    }
    return false;
  }

  bool smaller_sizes() {
    for (std::size_t j = 0; j < best_.instance.group_count(); ++j) {
      if (best_.instance.groups[j].size <= 1) continue;
      Witness candidate = best_;
      candidate.instance.groups[j].size = 1;
      if (try_candidate(std::move(candidate))) return true;
    }
    return false;
  }

  bool simpler_numbers() {
    for (long denominator : {2L, 4L, 10L, 20L, 100L, 1000L}) {
      Witness candidate = best_;
      Instance& instance = candidate.instance;
      instance.initial = simplified(instance.initial, denominator, Normalization::sum, true);
      for (Group& group : instance.groups)
        group.reward = simplified(group.reward, denominator, instance.normalization, false);
      if (candidate.deviation)
        candidate.deviation->reward =
            simplified(candidate.deviation->reward, denominator, instance.normalization, false);
      if (witness_json_size(candidate) >= witness_json_size(best_)) continue;
      if (try_candidate(std::move(candidate))) return true;
    }
    return false;
  }

  // Total digits of every rational: "simpler" means fewer.
  static std::size_t witness_json_size(const Witness& witness) {
    std::size_t digits = 0;
    auto count = [&](const std::vector<Rational>& values) {
      for (const Rational& v : values) digits += v.str().size();
    };
    count(witness.instance.initial);
    for (const Group& group : witness.instance.groups) count(group.reward);
    if (witness.deviation) count(witness.deviation->reward);
    return digits;
  }
};

}  // namespace

Witness shrink_witness(Witness witness, int budget) {
  return Shrinker(std::move(witness), budget).run();
}

}  // namespace mechcheck

#pragma once
// Reproducible randomness on every platform and thread count: std::mt19937_64 is specified
// bit-for-bit by the C++ standard, but std::*_distribution is not, so every conversion from
// raw 64-bit words to numbers is written here. Streams are derived per work item with
// SplitMix64, so a result depends on (seed, item) only — never on scheduling.
#include <algorithm>
#include <cstdint>

namespace mechcheck {

// SplitMix64 finalizer (Steele et al. 2014): decorrelates nearby seeds.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// std::mt19937_64, bit for bit (tests/generators/samplers_test.cpp compares them), except that the
// first generation of the state is computed on demand: a work item that draws k < 156 numbers
// seeds 157 + k of the 312 state words and twists k of them, instead of all 312 twice. Seeding is
// a serial chain of multiplications, so this is most of the cost of a short stream (Appendix F
// draws 55 numbers per sample: the stream's setup was ~35% of the experiment's instructions).
class Mt19937_64 {
 public:
  explicit Mt19937_64(std::uint64_t seed) { state_[0] = seed; }

  std::uint64_t operator()() {
    if (index_ >= ready_) advance();
    std::uint64_t y = state_[index_++];
    y ^= (y >> 29) & 0x5555555555555555ULL;
    y ^= (y << 17) & 0x71D67FFFEDA60000ULL;
    y ^= (y << 37) & 0xFFF7EEE000000000ULL;
    return y ^ (y >> 43);
  }

 private:
  static constexpr int n = 312, m = 156;

  // Old (seeded) words up to index k − 1.
  void seed_to(int k) {
    for (; seeded_ < k; ++seeded_) {
      const std::uint64_t previous = state_[seeded_ - 1];
      state_[seeded_] = 6364136223846793005ULL * (previous ^ (previous >> 62)) +
                        static_cast<std::uint64_t>(seeded_);
    }
  }
  // The standard in-place twist of word j: reads old words j, j + 1 (or the new word 0) and
  // old word j + 156 (or, from j = 156 on, the new word j − 156).
  void twist(int j) {
    const std::uint64_t x =
        (state_[j] & 0xFFFFFFFF80000000ULL) | (state_[(j + 1) % n] & 0x7FFFFFFFULL);
    state_[j] = state_[(j + m) % n] ^ (x >> 1) ^ ((x & 1) ? 0xB5026F5AA96619E9ULL : 0);
  }
  void advance() {
    if (index_ == n) {  // a generation used up: the next one, whole
      for (int j = 0; j < n; ++j) twist(j);
      index_ = 0;
      return;
    }
    // Still in the first generation (ready_ < n): one more word, its inputs seeded first.
    const int j = ready_++;
    seed_to(std::min(n, j < m ? j + m + 1 : j + 2));
    twist(j);
  }

  std::uint64_t state_[n];
  int index_ = 0;   // the next word to temper and return
  int ready_ = 0;   // words of the current generation computed (n after the first generation)
  int seeded_ = 1;  // old words seeded (first generation)
};

// The conversions from raw 64-bit words, shared by every generator (Rng here,
// PhiloxStream in generators/philox_stream.hpp).
// Uniform in [0, 1) with 53 random bits: the word's top 53 bits · 2⁻⁵³.
constexpr double unit_interval(std::uint64_t word) {
  return static_cast<double>(word >> 11) * 0x1.0p-53;
}
// Uniform integer in [low, high] from the words next() returns, by rejection (no modulo bias):
// a word ≥ the largest multiple of the span is discarded and the next one taken.
template <class NextWord>
std::int64_t bounded_integer(std::int64_t low, std::int64_t high, NextWord&& next) {
  const std::uint64_t span = static_cast<std::uint64_t>(high - low) + 1;
  if (span == 0) return static_cast<std::int64_t>(next());  // the full 64-bit range
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
  std::uint64_t draw;
  do draw = next();
  while (draw >= limit);
  return low + static_cast<std::int64_t>(draw % span);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(mix64(seed)) {}
  // The independent stream for work item `item` of a run seeded with `seed`.
  static Rng stream(std::uint64_t seed, std::uint64_t item) {
    return Rng(mix64(seed) ^ mix64(~item));
  }

  std::uint64_t next() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return unit_interval(next()); }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Uniform integer in [low, high] by rejection (no modulo bias).
  std::int64_t integer(std::int64_t low, std::int64_t high) {
    return bounded_integer(low, high, [this] { return next(); });
  }
  bool coin(double probability = 0.5) { return uniform() < probability; }

 private:
  Mt19937_64 engine_;
};

}  // namespace mechcheck

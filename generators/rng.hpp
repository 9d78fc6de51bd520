#pragma once
// Reproducible randomness on every platform and thread count: std::mt19937_64 is specified
// bit-for-bit by the C++ standard, but std::*_distribution is not, so every conversion from
// raw 64-bit words to numbers is written here. Streams are derived per work item with
// SplitMix64, so a result depends on (seed, item) only — never on scheduling.
#include <cstdint>
#include <random>

namespace mechcheck {

// SplitMix64 finalizer (Steele et al. 2014): decorrelates nearby seeds.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
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
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Uniform integer in [low, high] by rejection (no modulo bias).
  std::int64_t integer(std::int64_t low, std::int64_t high) {
    const std::uint64_t span = static_cast<std::uint64_t>(high - low) + 1;
    if (span == 0) return static_cast<std::int64_t>(next());  // the full 64-bit range
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    std::uint64_t draw;
    do draw = next();
    while (draw >= limit);
    return low + static_cast<std::int64_t>(draw % span);
  }
  bool coin(double probability = 0.5) { return uniform() < probability; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace mechcheck

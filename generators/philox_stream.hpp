#pragma once
// A counter-based stream (Philox4x64-10, Salmon et al. 2011, from Random123: Debian
// librandom123-dev, header-only). Word d of the stream for work item `item` of a run seeded with
// `seed` is lane d mod 4 of
//     philox4x64_10(counter = (item, ⌊d / 4⌋, 0, 0), key = (mix64(seed), 0)),
// a pure function of (seed, item, d): no state is carried from item to item, so threads, chunks
// and shards give the same numbers, and a stream costs nothing to start. The words are made a
// block of up to 64 at a time (16 independent Philox calls the CPU overlaps), as many as the
// caller expects to use; past them the next blocks follow on demand. The conversions to numbers
// are rng.hpp's (unit_interval, bounded_integer), so an Appendix F sample draws exactly as it did
// from Rng, only from these words.
#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "generators/rng.hpp"

namespace mechcheck {

class PhiloxStream {
 public:
  using Block = std::array<std::uint64_t, 4>;
  static constexpr std::size_t kBlockWords = 4, kBufferBlocks = 16;

  // `expected_words`: how many words the caller will probably draw (made at once, up to 64).
  PhiloxStream(std::uint64_t seed, std::uint64_t item, std::size_t expected_words = kBlockWords)
      : key_{{mix64(seed), 0}}, item_(item) {
    fill((expected_words + kBlockWords - 1) / kBlockWords);
  }

  // Philox4x64-10 of (counter, key), Random123's bijection as it is.
  static Block philox(const Block& counter, std::uint64_t key0, std::uint64_t key1) {
    const r123::Philox4x64::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
    const r123::Philox4x64::key_type k = {{key0, key1}};
    const r123::Philox4x64::ctr_type r = r123::Philox4x64()(c, k);
    return {r[0], r[1], r[2], r[3]};
  }
  // Words 4·block … 4·block + 3 of the stream (seed, item).
  static Block block(std::uint64_t seed, std::uint64_t item, std::uint64_t block_index) {
    return philox({item, block_index, 0, 0}, mix64(seed), 0);
  }

  std::uint64_t next() {
    if (index_ == filled_) fill(kBufferBlocks / 4);
    return buffer_[index_++];
  }
  double uniform() { return unit_interval(next()); }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  std::int64_t integer(std::int64_t low, std::int64_t high) {
    return bounded_integer(low, high, [this] { return next(); });
  }
  bool coin(double probability = 0.5) { return uniform() < probability; }

 private:
  // The next `blocks` blocks (1 … 16) into the buffer.
  void fill(std::size_t blocks) {
    blocks = std::clamp<std::size_t>(blocks, 1, kBufferBlocks);
    r123::Philox4x64 bijection;
    r123::Philox4x64::ctr_type counter = {{item_, next_block_, 0, 0}};
    for (std::size_t b = 0; b < blocks; ++b, ++counter[1]) {
      const r123::Philox4x64::ctr_type r = bijection(counter, key_);
      for (std::size_t lane = 0; lane < kBlockWords; ++lane)
        buffer_[b * kBlockWords + lane] = r[lane];
    }
    next_block_ += blocks;
    filled_ = blocks * kBlockWords;
    index_ = 0;
  }

  r123::Philox4x64::key_type key_;
  std::uint64_t item_, next_block_ = 0;
  std::size_t index_ = 0, filled_ = 0;
  std::array<std::uint64_t, kBufferBlocks * kBlockWords> buffer_;
};

}  // namespace mechcheck

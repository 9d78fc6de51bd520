// Appendix F's counter-based stream (generators/philox_stream.hpp): Random123's Philox4x64-10
// against its published known answers, the stream's wiring (counter = (item, block), key =
// (mix64(seed), 0)) pinned, and a stream's words independent of how and where they are made.
#include "generators/philox_stream.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "checks/parallel.hpp"

namespace mechcheck {
namespace {

// Random123 1.14's kat_vectors, the three philox4x64 10 lines: counter, key → output.
TEST(PhiloxStream, Philox4x64MatchesRandom123KnownAnswers) {
  EXPECT_EQ(PhiloxStream::philox({0, 0, 0, 0}, 0, 0),
            (PhiloxStream::Block{0x16554d9eca36314cULL, 0xdb20fe9d672d0fdcULL,
                                 0xd7e772cee186176bULL, 0x7e68b68aec7ba23bULL}));
  EXPECT_EQ(PhiloxStream::philox({~0ULL, ~0ULL, ~0ULL, ~0ULL}, ~0ULL, ~0ULL),
            (PhiloxStream::Block{0x87b092c3013fe90bULL, 0x438c3c67be8d0224ULL,
                                 0x9cc7d7c69cd777b6ULL, 0xa09caebf594f0ba0ULL}));
  EXPECT_EQ(PhiloxStream::philox({0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL,
                                  0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL},
                                 0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL),
            (PhiloxStream::Block{0xa528f45403e61d95ULL, 0x38c72dbd566e9788ULL,
                                 0xa5a1610e72fd18b5ULL, 0x57bd43b5e52b7fe6ULL}));
}

TEST(PhiloxStream, StreamIsPinned) {
  // Seed 1, item 0: Philox4x64-10 of counter (0, 0, 0, 0) and (0, 1, 0, 0), key (mix64(1), 0).
  PhiloxStream stream(1, 0, 55);
  const std::uint64_t expected[] = {1897250822574293969ULL,  9592555287388192807ULL,
                                    9435545446625889568ULL,  8990916044914792260ULL,
                                    17054344703189986663ULL, 9055574992773071199ULL};
  for (std::uint64_t word : expected) EXPECT_EQ(stream.next(), word);
  const PhiloxStream::Block first = PhiloxStream::philox({0, 0, 0, 0}, mix64(1), 0);
  EXPECT_EQ(first[0], expected[0]);
  EXPECT_EQ(first[3], expected[3]);
  // The conversions are rng.hpp's: top 53 bits · 2⁻⁵³, integers by rejection.
  PhiloxStream numbers(1, 0);
  EXPECT_EQ(numbers.uniform(), unit_interval(expected[0]));
  EXPECT_EQ(numbers.uniform(), 0x1.0p-53 * static_cast<double>(expected[1] >> 11));
  EXPECT_EQ(numbers.integer(1, 10), 1 + static_cast<std::int64_t>(expected[2] % 10));
  EXPECT_NE(PhiloxStream(1, 1).next(), expected[0]);
  EXPECT_NE(PhiloxStream(2, 0).next(), expected[0]);
}

// Word d of (seed, item) is lane d mod 4 of block ⌊d / 4⌋, however many words are made at once.
TEST(PhiloxStream, WordsDoNotDependOnHowManyAreMadeAtOnce) {
  for (std::size_t expected_words : {std::size_t{0}, std::size_t{1}, std::size_t{5},
                                     std::size_t{55}, std::size_t{64}, std::size_t{1000}}) {
    PhiloxStream stream(7, 123, expected_words);
    for (std::uint64_t d = 0; d < 300; ++d)
      ASSERT_EQ(stream.next(), PhiloxStream::block(7, 123, d / 4)[d % 4])
          << "word " << d << ", " << expected_words << " made at once";
  }
}

// Every item's words made on 1 and on 2 threads (in whatever order TBB schedules them) equal the
// words made one item after the other.
TEST(PhiloxStream, WordsDoNotDependOnTheThreadCount) {
  constexpr std::size_t items = 2000, words = 70;
  std::vector<std::uint64_t> serial(items * words);
  for (std::size_t item = 0; item < items; ++item) {
    PhiloxStream stream(42, item, 55);
    for (std::size_t d = 0; d < words; ++d) serial[item * words + d] = stream.next();
  }
  for (int threads : {1, 2}) {
    std::vector<std::uint64_t> parallel(items * words);
    parallel_for_each(threads, items, [&](std::size_t item) {
      PhiloxStream stream(42, item, 55);
      for (std::size_t d = 0; d < words; ++d) parallel[item * words + d] = stream.next();
    });
    EXPECT_EQ(parallel, serial) << threads << " threads";
  }
}

}  // namespace
}  // namespace mechcheck

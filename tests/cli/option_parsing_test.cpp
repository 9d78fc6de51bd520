// The numeric option parsers (issue #15, "Options are inputs too") as units.
#include "cli/option_parsing.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "spec/spec_error.hpp"

namespace {

using mechcheck::SpecError;
using ::testing::HasSubstr;

std::string option_error(auto&& parse) {
  try {
    parse();
  } catch (const SpecError& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(OptionParsing, IntegersAreDecimalAndNeverWrap) {
  using mechcheck::cli::parse_integer_option, mechcheck::cli::parse_seed_option;
  EXPECT_EQ(parse_seed_option("--seed", "0"), 0u);
  EXPECT_EQ(parse_seed_option("--seed", "18446744073709551615"),
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(option_error([] { parse_seed_option("--seed", "-1"); }),
            "--seed: is -1, expected an integer in 0..18446744073709551615");
  EXPECT_EQ(option_error([] { parse_seed_option("--seed", "18446744073709551616"); }),
            "--seed: is 18446744073709551616, expected an integer in 0..18446744073709551615");
  for (const char* bad : {"", " 1", "+1", "1e3", "0x10", "1.0", "abc", "1 "})
    EXPECT_THAT(option_error([&] { parse_seed_option("--seed", bad); }), HasSubstr("--seed: is"))
        << bad;
  EXPECT_EQ(option_error([] { mechcheck::cli::parse_threads_option("--threads", "0"); }),
            "--threads: is 0, expected an integer in 1..1024");
  EXPECT_EQ(parse_integer_option("--groups", "7", 1, 100), 7u);
}

TEST(OptionParsing, NumberListsHaveNoEmptyOrNonFiniteItems) {
  using mechcheck::cli::parse_number_list_option;
  EXPECT_EQ(parse_number_list_option("--eps", "0,0.5,1e-3", 0),
            (std::vector<double>{0, 0.5, 1e-3}));
  for (const char* bad :
       {"", "0.1,,0.2", ",0.1", "0.1,", "nan", "inf", "-1", "1e999", "0x1p3", "0.1;0.2"})
    EXPECT_THAT(option_error([&] { parse_number_list_option("--eps", bad, 0); }),
                HasSubstr("--eps: "))
        << bad;
  EXPECT_THAT(option_error([] { parse_number_list_option("--eps", "1,2,3", 0, 2); }),
              HasSubstr("more than 2 items"));
  EXPECT_EQ(mechcheck::cli::parse_integer_list_option("--sizes", "1,3", 1, 10),
            (std::vector<long>{1, 3}));
  EXPECT_THAT(
      option_error([] { mechcheck::cli::parse_integer_list_option("--sizes", "1,,2", 1, 10); }),
      HasSubstr("item 2 is empty"));
}

TEST(OptionParsing, ShardsAreStrict) {
  using mechcheck::cli::parse_shard_option;
  EXPECT_EQ(parse_shard_option("--shard", "2/3"), (std::pair<std::size_t, std::size_t>{1, 3}));
  for (const char* bad : {"0/1", "2/1", "1/-1", "-1/2", "1/", "/1", "1", "1/2/3", " 1/2", "1/+2",
                          "1/99999999999999999999"})
    EXPECT_THAT(option_error([&] { parse_shard_option("--shard", bad); }),
                HasSubstr("--shard: is \""))
        << bad;
}

}  // namespace

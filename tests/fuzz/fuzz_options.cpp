// libFuzzer target: strings → the numeric option parsers of cli/option_parsing.hpp. Checks:
//   exception   only SpecError escapes
//   integer     an accepted integer is the text's decimal value (no wrap, no sign, in range)
//   list        an accepted list has one finite value >= min per comma-separated item
//   shard       an accepted k/N has 1 <= k <= N and prints back as the text (leading zeros aside)
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/option_parsing.hpp"
#include "fuzz_support.hpp"
#include "spec/spec_error.hpp"

namespace {

std::string without_leading_zeros(const std::string& digits) {
  const auto first = digits.find_first_not_of('0');
  return first == std::string::npos ? "0" : digits.substr(first);
}

template <class F>
bool accepted(const char* check, F&& parse) {
  try {
    parse();
    return true;
  } catch (const mechcheck::SpecError&) {
    return false;
  } catch (const std::exception& error) {
    mechcheck::fuzz::fail("exception", std::string(check) + ": " + error.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using mechcheck::fuzz::fail;
  namespace cli = mechcheck::cli;
  const std::string text(reinterpret_cast<const char*>(data), size);

  std::uint64_t seed = 0;
  if (accepted("seed", [&] { seed = cli::parse_seed_option("--seed", text); })) {
    if (text.find_first_not_of("0123456789") != std::string::npos ||
        std::to_string(seed) != without_leading_zeros(text))
      fail("integer", "--seed \"" + text + "\" read as " + std::to_string(seed));
  }
  std::uint64_t value = 0;
  if (accepted("integer", [&] { value = cli::parse_integer_option("--n", text, 3, 1000); }))
    if (value < 3 || value > 1000 || std::to_string(value) != without_leading_zeros(text))
      fail("integer", "--n \"" + text + "\" read as " + std::to_string(value));

  std::vector<double> numbers;
  if (accepted("list", [&] { numbers = cli::parse_number_list_option("--eps", text, 0, 50); })) {
    std::size_t commas = 0;
    for (char c : text) commas += c == ',' ? 1 : 0;
    if (numbers.size() != commas + 1) fail("list", "\"" + text + "\": wrong item count");
    for (double x : numbers)
      if (!std::isfinite(x) || x < 0) fail("list", "\"" + text + "\": a value out of range");
  }
  std::vector<long> sizes;
  if (accepted("list", [&] { sizes = cli::parse_integer_list_option("--sizes", text, 1, 99); }))
    for (long w : sizes)
      if (w < 1 || w > 99) fail("list", "\"" + text + "\": a size out of range");

  std::pair<std::size_t, std::size_t> shard;
  if (accepted("shard", [&] { shard = cli::parse_shard_option("--shard", text); })) {
    const auto slash = text.find('/');
    if (shard.first >= shard.second ||
        std::to_string(shard.first + 1) != without_leading_zeros(text.substr(0, slash)) ||
        std::to_string(shard.second) != without_leading_zeros(text.substr(slash + 1)))
      fail("shard", "\"" + text + "\" read as " + std::to_string(shard.first + 1) + "/" +
                        std::to_string(shard.second));
  }
  return 0;
}

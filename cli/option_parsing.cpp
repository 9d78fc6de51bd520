#include "cli/option_parsing.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "mechanisms/external/external_mechanism.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {
namespace {

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// "is -1" for integer-looking text, "is \"abc\"" otherwise.
std::string shown(const std::string& text) {
  const std::string_view digits =
      !text.empty() && text[0] == '-' ? std::string_view(text).substr(1) : std::string_view(text);
  return all_digits(digits) ? text : "\"" + text + "\"";
}

std::string integer_range(std::uint64_t min, std::uint64_t max) {
  if (max == std::numeric_limits<std::uint64_t>::max() && min > 0)
    return fmt::format("an integer >= {}", min);
  return fmt::format("an integer in {}..{}", min, max);
}

// A decimal number: optional sign, digits with an optional fraction, optional exponent.
bool decimal_syntax(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!all_digits(text.substr(i))) return false;
    return true;
  }
  return i == text.size();
}

std::vector<std::string> split_items(const std::string& option, const std::string& text,
                                     std::size_t max_items) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    items.push_back(
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (items.back().empty())
      throw SpecError(option, fmt::format("is \"{}\": item {} is empty, expected a "
                                          "comma-separated list without empty items",
                                          text, items.size()));
    if (items.size() > max_items)
      throw SpecError(option, fmt::format("has more than {} items", max_items));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

}  // namespace

std::uint64_t parse_integer_option(const std::string& option, const std::string& text,
                                   std::uint64_t min, std::uint64_t max) {
  const auto fail = [&] {
    throw SpecError(option, "is " + shown(text) + ", expected " + integer_range(min, max));
  };
  if (!all_digits(text)) fail();
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) fail();  // overflow included
  if (value < min || value > max) fail();
  return value;
}

int parse_threads_option(const std::string& option, const std::string& text) {
  return static_cast<int>(parse_integer_option(option, text, 1, kMaxThreads));
}

std::uint64_t parse_seed_option(const std::string& option, const std::string& text) {
  return parse_integer_option(option, text, 0, std::numeric_limits<std::uint64_t>::max());
}

double parse_number_option(const std::string& option, const std::string& text, double min) {
  const std::string expected = min == std::numeric_limits<double>::lowest()
                                   ? std::string("expected a finite number")
                                   : fmt::format("expected a finite number >= {}", min);
  if (!decimal_syntax(text)) throw SpecError(option, "is " + shown(text) + ", " + expected);
  const double value = std::strtod(text.c_str(), nullptr);
  if (!std::isfinite(value)) throw SpecError(option, "is " + text + ", " + expected);
  if (value < min) throw SpecError(option, "is " + text + ", " + expected);
  return value;
}

std::vector<double> parse_number_list_option(const std::string& option, const std::string& text,
                                             double min, std::size_t max_items) {
  std::vector<double> values;
  for (const std::string& item : split_items(option, text, max_items))
    values.push_back(parse_number_option(option, item, min));
  return values;
}

std::vector<long> parse_integer_list_option(const std::string& option, const std::string& text,
                                            std::uint64_t min, std::uint64_t max,
                                            std::size_t max_items) {
  std::vector<long> values;
  for (const std::string& item : split_items(option, text, max_items))
    values.push_back(static_cast<long>(parse_integer_option(option, item, min, max)));
  return values;
}

std::pair<std::size_t, std::size_t> parse_shard_option(const std::string& option,
                                                       const std::string& text) {
  const auto slash = text.find('/');
  const auto fail = [&] {
    throw SpecError(option, "is \"" + text + "\", expected k/N with 1 <= k <= N");
  };
  if (slash == std::string::npos) fail();
  const std::string k_text = text.substr(0, slash), n_text = text.substr(slash + 1);
  if (!all_digits(k_text) || !all_digits(n_text)) fail();
  std::uint64_t k = 0, n = 0;
  if (std::from_chars(k_text.data(), k_text.data() + k_text.size(), k).ec != std::errc() ||
      std::from_chars(n_text.data(), n_text.data() + n_text.size(), n).ec != std::errc())
    fail();
  if (k < 1 || k > n) fail();
  return {static_cast<std::size_t>(k - 1), static_cast<std::size_t>(n)};
}

nlohmann::json with_mechanism_option(nlohmann::json document, const std::string& command_line) {
  const std::vector<std::string> command = split_command_line(command_line, "--mechanism");
  if (!document.is_object()) return document;  // the family's reader names the problem
  nlohmann::json& mechanism = document["mechanism"];
  if (!mechanism.is_object()) mechanism = nlohmann::json::object();
  nlohmann::json& external = mechanism["external"];
  if (!external.is_object()) external = nlohmann::json::object();
  external["command"] = command;
  return document;
}

}  // namespace mechcheck::cli

#include "cli/memory_budget.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>

#include "spec/spec_error.hpp"

namespace mechcheck::cli {
namespace {

constexpr long double kDefaultFraction = 0.8L;

// A limit file holding a byte count ("max" or anything else unreadable: none).
std::optional<std::uint64_t> read_limit(const char* path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text.empty()) return std::nullopt;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::uint64_t parse_memory_size(const std::string& option, const std::string& text) {
  const auto fail = [&]() -> std::uint64_t {
    throw SpecError(option, "is \"" + text +
                                "\", expected a size such as 4G, 512M, 4096M or a number of "
                                "bytes (units K, M, G, T are powers of 1024)");
  };
  std::size_t at = 0;
  while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
  if (at == 0) return fail();
  std::size_t number_end = at;
  if (at < text.size() && text[at] == '.') {
    ++at;
    const std::size_t fraction_start = at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
    if (at == fraction_start) return fail();
    number_end = at;
  }
  std::string unit = text.substr(number_end);
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  long double scale = 1;
  if (!unit.empty() && unit != "B") {
    const std::string prefixes = "KMGT";
    const auto position = prefixes.find(unit[0]);
    const std::string rest = unit.substr(1);
    if (position == std::string::npos || !(rest.empty() || rest == "B" || rest == "IB"))
      return fail();
    scale = std::pow(1024.0L, static_cast<long double>(position + 1));
  }
  if (number_end > 30) return fail();  // more digits than any sensible size
  const long double value = std::stold(text.substr(0, number_end)) * scale;
  const long double bytes = std::floor(value);
  if (!(bytes >= 1)) throw SpecError(option, "is \"" + text + "\", expected at least 1 byte");
  if (!(bytes <= static_cast<long double>(std::uint64_t{1} << 63)))
    throw SpecError(option, "is \"" + text + "\", expected at most 2^63 bytes (8388608T)");
  return static_cast<std::uint64_t>(bytes);
}

std::uint64_t machine_memory_bytes() {
  std::uint64_t memory = 0;
  const long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0)
    memory = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
  for (const char* path :
       {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"})
    if (const auto limit = read_limit(path);
        limit && *limit > 0 && (memory == 0 || *limit < memory))
      memory = *limit;
  return memory;
}

MemoryBudget memory_budget(const std::optional<std::string>& option_text) {
  if (option_text)
    return {parse_memory_size("--max-memory", *option_text), "--max-memory " + *option_text};
  const std::uint64_t machine = machine_memory_bytes();
  if (machine == 0)
    return {std::numeric_limits<std::uint64_t>::max(),
            "the default: the machine's memory could not be read"};
  return {static_cast<std::uint64_t>(static_cast<long double>(machine) * kDefaultFraction),
          "the default, 80% of the machine's " + format_bytes(machine)};
}

std::uint64_t resident_bytes() {
  std::ifstream in("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (!(in >> size >> resident)) return 0;
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  return resident * static_cast<std::uint64_t>(page_size > 0 ? page_size : 4096);
}

std::string format_bytes(std::uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  auto value = static_cast<long double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) value /= 1024, ++unit;
  const int decimals = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return fmt::format("{:.{}f} {}", static_cast<double>(value), decimals, units[unit]);
}

void require_within_budget(const MemoryBudget& budget, std::uint64_t needed,
                           const std::string& what, const std::string& detail,
                           const std::string& advice) {
  const std::uint64_t in_use = resident_bytes();
  const long double total = static_cast<long double>(needed) + static_cast<long double>(in_use);
  if (total <= static_cast<long double>(budget.bytes)) return;
  throw SpecError("--max-memory",
                  fmt::format("{} needs {} ({}) on top of the {} in use, over the budget of {} "
                              "({}); raise --max-memory or {}",
                              what, format_bytes(needed), detail, format_bytes(in_use),
                              format_bytes(budget.bytes), budget.origin, advice));
}

}  // namespace mechcheck::cli

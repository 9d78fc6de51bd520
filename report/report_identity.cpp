#include "report/report_identity.hpp"

#include <fmt/format.h>

#include <charconv>

#include "report/sha256.hpp"

namespace mechcheck {

std::string mechcheck_version() { return MECHCHECK_VERSION; }

std::string config_sha256(const nlohmann::json& config) { return sha256_hex(config.dump()); }

std::string shard_text(std::size_t index, std::size_t count) {
  return fmt::format("{}/{}", index + 1, count);
}

std::optional<std::pair<std::size_t, std::size_t>> parse_shard_text(std::string_view text) {
  const auto number = [](std::string_view digits) -> std::optional<std::size_t> {
    std::size_t value = 0;
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return value;
  };
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto k = number(text.substr(0, slash)), n = number(text.substr(slash + 1));
  if (!k || !n || *k < 1 || *k > *n) return std::nullopt;
  return std::pair{*k - 1, *n};
}

}  // namespace mechcheck

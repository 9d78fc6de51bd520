#pragma once
// What makes shard reports belong together (`mechcheck merge`): every `check` and `verify`
// report names the mechcheck version that wrote it, the SHA-256 of the config it ran and its
// shard "k/N". An unsharded run is shard "1/1".
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mechcheck {

// The project version (CMake's PROJECT_VERSION), e.g. "0.1.0".
std::string mechcheck_version();

// SHA-256 (hex) of the canonical form of a config: nlohmann's compact dump (no whitespace, keys
// sorted, numbers as read — a decimal such as 0.2 stays the text the user wrote).
std::string config_sha256(const nlohmann::json& config);

// "k/N" for the 0-based shard `index` of `count`.
std::string shard_text(std::size_t index, std::size_t count);

// The 0-based index and the count of "k/N" (decimal digits, 1 <= k <= N); nullopt otherwise.
std::optional<std::pair<std::size_t, std::size_t>> parse_shard_text(std::string_view text);

}  // namespace mechcheck

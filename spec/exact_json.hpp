#pragma once
// JSON reading that keeps every number exact: nlohmann/json would turn 0.2 into the nearest
// double, so a SAX handler stores each non-integer number as the text the user wrote.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace mechcheck {

// Arrays and objects may nest this deep (instance files need 4 levels); deeper is an error.
inline constexpr std::size_t kMaxJsonDepth = 64;
// Input files larger than this are refused (the largest bundled input is a few KiB).
inline constexpr std::size_t kMaxJsonFileBytes = std::size_t{64} << 20;

// Integers stay JSON integers; other numbers become strings holding their original text.
// Throws SpecError("", "malformed JSON ...") on a syntax error, and a SpecError naming the
// field for a key repeated in one object (`rule.lambda: is a duplicate key ...`) or nesting
// deeper than kMaxJsonDepth.
nlohmann::json parse_exact_json(std::string_view text);

// Reads and parses a file; a missing or unreadable file, a directory or a file larger than
// kMaxJsonFileBytes is a SpecError naming the path.
nlohmann::json read_exact_json_file(const std::string& path);

}  // namespace mechcheck

#pragma once
// JSON reading that keeps every number exact: nlohmann/json would turn 0.2 into the nearest
// double, so a SAX handler stores each non-integer number as the text the user wrote.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace mechcheck {

// Integers stay JSON integers; other numbers become strings holding their original text.
// Throws SpecError("", "malformed JSON ...") on a syntax error.
nlohmann::json parse_exact_json(std::string_view text);

// Reads and parses a file; a missing or unreadable file is a SpecError naming the path.
nlohmann::json read_exact_json_file(const std::string& path);

}  // namespace mechcheck

#pragma once
// Writing result files whole or not at all: content goes to a temporary sibling that is renamed
// into place, so an interrupted run never leaves half a report or witness.
#include <string>

namespace mechcheck::cli {

// Throws std::runtime_error naming the path when it cannot be written.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace mechcheck::cli

#include "cli/file_output.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace mechcheck::cli {

void write_file_atomically(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  std::error_code ignored;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ignored);
  const fs::path temporary = target.string() + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      fs::remove(temporary, ignored);
      throw std::runtime_error(path + ": cannot be written");
    }
  }
  fs::rename(temporary, target);
}

}  // namespace mechcheck::cli

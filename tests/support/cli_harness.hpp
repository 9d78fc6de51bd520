#pragma once
// Running the `mechcheck` executable from tests: a scratch directory per test, files written
// there, and a command's exit code, stdout and stderr. MECHCHECK_EXECUTABLE and
// MECHCHECK_SOURCE_DIR come from tests/CMakeLists.txt.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace mechcheck::testing {

struct CommandResult {
  int exit_code;
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// The files directly in `folder`, sorted; none when it does not exist.
inline std::vector<std::filesystem::path> files_in(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::exists(folder)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

class CliTest : public ::testing::Test {
 protected:
  std::filesystem::path dir;

  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = std::filesystem::temp_directory_path() /
          ("mechcheck_" + std::string(test->test_suite_name()) + "_" + test->name());
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  std::filesystem::path write(const std::string& name, const std::string& content) {
    std::ofstream(dir / name) << content;
    return dir / name;
  }
  CommandResult run(const std::string& arguments) { return run_in("", arguments); }
  // The same, started in `cwd` (where relative paths in the arguments and configs resolve) with
  // `environment` ("NAME=value ...", for env(1)) added to the environment.
  CommandResult run_in(const std::string& cwd, const std::string& arguments,
                       const std::string& environment = "") {
    const std::string command = (cwd.empty() ? "" : "cd '" + cwd + "' && ") +
                                (environment.empty() ? "" : "env " + environment + " ") +
                                std::string(MECHCHECK_EXECUTABLE) + " " + arguments + " >" +
                                (dir / "out").string() + " 2>" + (dir / "err").string();
    const int status = std::system(command.c_str());
    return CommandResult{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"),
                         slurp(dir / "err")};
  }
  // A file of the source tree, e.g. "examples/instances/kl-two-groups.json".
  static std::string source_file(const std::string& relative) {
    return std::string(MECHCHECK_SOURCE_DIR) + "/" + relative;
  }
};

}  // namespace mechcheck::testing

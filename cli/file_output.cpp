#include "cli/file_output.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "spec/spec_error.hpp"

namespace mechcheck::cli {
namespace {

namespace fs = std::filesystem;

fs::path parent_of(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

std::string temporary_name(const fs::path& destination) {
  static std::atomic<unsigned> counter{0};
  return destination.string() + ".partial-" + std::to_string(::getpid()) + "-" +
         std::to_string(counter++);
}

// The live transactions and the lock that staging, committing and abandoning hold. Never
// destroyed: the signal thread may use them while static destructors run.
struct Registry {
  std::mutex mutex;
  std::set<OutputTransaction*> live;
  std::atomic<bool> committed{false};
};

Registry& registry() {
  static auto* instance = new Registry;
  return *instance;
}

}  // namespace

OutputTransaction::OutputTransaction() {
  std::lock_guard lock(registry().mutex);
  registry().live.insert(this);
}

OutputTransaction::~OutputTransaction() {
  std::lock_guard lock(registry().mutex);
  abandon_locked();
  registry().live.erase(this);
}

void OutputTransaction::preflight(const std::string& option, const std::string& path,
                                  bool create_parents) {
  const auto fail = [&](const std::string& problem) {
    throw option.empty() ? SpecError(path, problem) : SpecError(option, path + ": " + problem);
  };
  if (path.empty()) throw SpecError(option, "is empty, expected a file path");
  const fs::path target(path);
  std::error_code error;
  if (fs::is_directory(target, error)) fail("is a directory, expected a file path");
  fs::path directory = parent_of(target);
  if (create_parents)
    while (!fs::exists(directory, error) && directory.has_parent_path() &&
           directory.parent_path() != directory)
      directory = directory.parent_path();
  if (create_parents && !fs::exists(directory, error) && directory.is_relative()) directory = ".";
  if (!fs::exists(directory, error))
    fail("the directory " + directory.string() + " does not exist");
  if (!fs::is_directory(directory, error)) fail(directory.string() + " is not a directory");
  if (::access(directory.c_str(), W_OK | X_OK) != 0)
    fail("the directory " + directory.string() + " is not writable");
}

void OutputTransaction::stage(const std::string& path, const std::string& content) {
  std::lock_guard lock(registry().mutex);
  const fs::path target(path);
  std::error_code error;
  if (fs::is_directory(target, error))
    throw SpecError(path, "is a directory, cannot be written as a file");
  // Create missing parents one by one, remembering them so that abandon() can remove them.
  std::vector<fs::path> missing;
  for (fs::path p = parent_of(target); !fs::exists(p, error) && !p.empty();
       p = p.has_parent_path() && p.parent_path() != p ? p.parent_path() : fs::path())
    missing.push_back(p);
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (!fs::create_directory(*it, error) && error)
      throw SpecError(path, "cannot be written: creating " + it->string() + ": " + error.message());
    created_directories_.push_back(it->string());
  }
  const std::string temporary = temporary_name(target);
  staged_.push_back({temporary, path});  // registered first: removed on every error path
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  if (!out) throw SpecError(path, "cannot be written (opening " + temporary + " failed)");
  out << content;
  out.flush();
  out.close();
  if (!out) throw SpecError(path, "cannot be written (writing " + temporary + " failed)");
}

void OutputTransaction::commit() {
  std::lock_guard lock(registry().mutex);
  std::error_code error;
  for (const Staged& file : staged_)
    if (fs::is_directory(file.destination, error))
      throw SpecError(file.destination, "is a directory, cannot be written as a file");
  while (!staged_.empty()) {
    const Staged file = staged_.front();
    fs::rename(file.temporary, file.destination, error);
    if (error) throw SpecError(file.destination, "cannot be written: " + error.message());
    staged_.erase(staged_.begin());
    registry().committed = true;
  }
  created_directories_.clear();  // they now hold committed files
}

void OutputTransaction::abandon() noexcept {
  std::lock_guard lock(registry().mutex);
  abandon_locked();
}

void OutputTransaction::abandon_locked() noexcept {
  std::error_code ignored;
  for (const Staged& file : staged_) fs::remove(file.temporary, ignored);
  staged_.clear();
  for (auto it = created_directories_.rbegin(); it != created_directories_.rend(); ++it)
    fs::remove(*it, ignored);  // only if empty: never anything that was already there
  created_directories_.clear();
}

std::size_t abandon_all_outputs_for_exit() noexcept {
  registry().mutex.lock();  // never unlocked: the process is about to exit
  std::size_t removed = 0;
  for (OutputTransaction* transaction : registry().live) {
    removed += transaction->staged_.size();
    transaction->abandon_locked();
  }
  return removed;
}

bool any_output_committed() noexcept { return registry().committed; }

void write_file_atomically(const std::string& path, const std::string& content) {
  OutputTransaction transaction;
  OutputTransaction::preflight("", path, true);
  transaction.stage(path, content);
  transaction.commit();
}

}  // namespace mechcheck::cli

#pragma once
// Writing result files whole or not at all.
//
// OutputTransaction is how a command writes its files (reports, JUnit, SMT-LIB, plots,
// witnesses): every destination is checked before the work starts (preflight), each file's
// content is written to a temporary sibling (stage), and only when every file is staged are
// they renamed into place together (commit) — after which the command prints its verdict.
// A transaction that is destroyed uncommitted (an exception, an early return) removes its
// temporaries and any directory it created, so a failed command leaves no new files.
//
// Every live transaction is registered, so that SIGINT/SIGTERM (cli/interruption.hpp) can
// remove the temporaries of all of them before the process exits: staging, committing and
// abandoning hold one lock, so a signal never sees a half-created temporary or a commit half
// done (a commit under way is finished first; its files are then complete).
//
//   OutputTransaction files;
//   files.preflight("--report", options.report_path);      // before the work: exit 2 early
//   ... work ...
//   files.stage(options.report_path, report_text);         // throws SpecError naming the path
//   files.commit();                                         // then print the verdict
#include <string>
#include <vector>

namespace mechcheck::cli {

class OutputTransaction {
 public:
  OutputTransaction();
  OutputTransaction(const OutputTransaction&) = delete;
  OutputTransaction& operator=(const OutputTransaction&) = delete;
  ~OutputTransaction();

  // Checks that `path` can be written: it is not empty and not a directory, and its parent is
  // an existing, writable directory. With `create_parents` (files inside a --witness-dir) the
  // parent may be missing: its nearest existing ancestor must then be a writable directory,
  // and stage creates the rest. Throws SpecError(option, "<path>: ...") otherwise. Writes
  // nothing.
  static void preflight(const std::string& option, const std::string& path,
                        bool create_parents = false);

  // Writes `content` to a temporary next to `path` (creating missing parent directories, which
  // are removed again unless committed). Throws SpecError(path, ...) when it cannot.
  void stage(const std::string& path, const std::string& content);

  // Renames every staged temporary onto its destination. Throws SpecError(path, ...) when a
  // rename fails; the temporaries not yet renamed are then removed.
  void commit();

  // Removes the temporaries and created directories now (the destructor does it too).
  void abandon() noexcept;

 private:
  void abandon_locked() noexcept;
  friend std::size_t abandon_all_outputs_for_exit() noexcept;

  struct Staged {
    std::string temporary, destination;
  };
  std::vector<Staged> staged_;
  std::vector<std::string> created_directories_;  // in creation order, outermost first
};

// For a process about to _exit on a signal: removes every live transaction's temporaries and
// created directories, returns how many temporaries it removed, and keeps the lock held so
// that no thread stages or commits afterwards. Async-signal-safe it is not: call it from a
// normal thread (the signal-waiting thread of cli/interruption.cpp).
std::size_t abandon_all_outputs_for_exit() noexcept;

// Whether some transaction of this process has committed (its files are complete).
bool any_output_committed() noexcept;

// One file through a transaction: preflight, stage, commit. Throws SpecError naming the path.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace mechcheck::cli

#include "cli/interruption.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "cli/file_output.hpp"
#include "mechanisms/external/subprocess.hpp"

namespace mechcheck::cli {
namespace {

// Never destroyed: the waiting thread reads it while static destructors may run.
struct State {
  std::mutex mutex;  // guards the strings
  std::string command, activity, unit;
  std::atomic<std::uint64_t> done{0}, total{0};
  std::atomic<bool> interrupted{false};
};

State& state() {
  static auto* instance = new State;
  return *instance;
}

void write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) return;
    written += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void handle(int signal) {
  state().interrupted = true;
  // Outputs first: from here on no file is staged or committed, so none is left half written.
  const std::size_t removed = abandon_all_outputs_for_exit();
  write_all(STDERR_FILENO, interruption_line(signal, removed, any_output_committed()) + "\n");
  kill_subprocesses_for_exit();
  ::_exit(128 + signal);
}

// main returning (or exit()) while the waiting thread cleans up must not end the process with
// another status: it waits here for the _exit.
void wait_if_interrupted() {
  while (state().interrupted) ::pause();
}

}  // namespace

void install_interruption_handling() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  state();  // constructed before the thread reads it
  std::atexit(wait_if_interrupted);
  std::thread([signals] {
    int signal = 0;
    while (::sigwait(&signals, &signal) != 0 || (signal != SIGINT && signal != SIGTERM)) {
    }
    handle(signal);
  }).detach();
}

void set_interrupted_command(const std::string& name) {
  std::lock_guard lock(state().mutex);
  state().command = name;
}

void set_interrupted_activity(const std::string& activity) {
  std::lock_guard lock(state().mutex);
  state().activity = activity;
}

void set_interrupted_progress_total(std::uint64_t total, const std::string& unit) {
  {
    std::lock_guard lock(state().mutex);
    state().unit = unit;
  }
  state().done = 0;
  state().total = total;
}

void set_interrupted_progress_done(std::uint64_t done) { state().done = done; }

std::string interruption_line(int signal, std::size_t removed_temporaries, bool committed) {
  std::string command, activity, unit;
  {
    std::lock_guard lock(state().mutex);
    command = state().command, activity = state().activity, unit = state().unit;
  }
  std::string line = command.empty() ? "mechcheck" : "mechcheck " + command;
  line += fmt::format(": interrupted by {}", signal == SIGINT ? "SIGINT" : "SIGTERM");
  const std::uint64_t total = state().total;
  if (total > 0)
    line += fmt::format(" after {} of {} {}", state().done.load(), total, unit);
  else if (!activity.empty())
    line += " " + activity;
  else
    line += " before it finished";
  line += committed ? "; its output files had been written" : "; no output file written";
  if (removed_temporaries > 0)
    line += fmt::format(" ({} partial file{} removed)", removed_temporaries,
                        removed_temporaries == 1 ? "" : "s");
  return line;
}

}  // namespace mechcheck::cli

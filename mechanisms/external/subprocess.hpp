#pragma once
// A child process spoken to in lines: its stdin and stdout are pipes, its stderr is copied to
// ours line by line behind a prefix, and every read and write has a deadline. Written on POSIX
// (posix_spawnp, poll) by hand: Debian 12's Boost.Process (1.74) has no read timeout without
// Asio and needs Boost.Filesystem; nothing else packaged does line I/O with deadlines.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace mechcheck {

// The child did something other than answer: exited, closed stdout, timed out, could not start.
class ProcessFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The child wrote a line longer than the reader's cap (reading stopped there).
class LineTooLong : public ProcessFailure {
 public:
  using ProcessFailure::ProcessFailure;
};

// "1 s", "0.5 s": a timeout as ProcessFailure words it (the Python module's callables too).
std::string seconds_text(std::chrono::milliseconds timeout);

// For a process about to _exit on a signal (cli/interruption.cpp): SIGKILLs every live child
// and its process group (its own children), and reaps it (waiting at most kGracePeriod in all), and
// keeps the registry locked so that no thread starts or reaps a child afterwards. Returns how many
// children it killed. Children run in their own process group, so a terminal's Ctrl-C reaches
// mechcheck only, which ends them.
std::size_t kill_subprocesses_for_exit() noexcept;

class Subprocess {
 public:
  // Starts `command` (argv[0] searched in PATH). Throws ProcessFailure when it cannot start.
  Subprocess(const std::vector<std::string>& command, std::string stderr_prefix);
  // Closes stdin, waits for the exit up to the grace period, then kills.
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Writes `line` and a newline. Throws ProcessFailure on a closed pipe or after `timeout`.
  void write_line(std::string_view line, std::chrono::milliseconds timeout);
  // The next line (without its newline). Throws ProcessFailure on EOF, after `timeout`, or when a
  // line exceeds `max_bytes`.
  std::string read_line(std::chrono::milliseconds timeout, std::size_t max_bytes);

  static constexpr std::chrono::milliseconds kGracePeriod{2000};

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1, stdout_fd_ = -1, stderr_fd_ = -1;
  std::string buffer_;  // bytes read from stdout after the last line returned
  std::string prefix_;
  std::atomic<bool> stop_forwarding_{false};
  std::thread stderr_forwarder_;
  bool exited_ = false;
  int exit_status_ = 0;

  void forward_stderr();
  // waitpid(WNOHANG) under the registry's lock (its result), dropping the child from the
  // registry unless it still runs.
  pid_t try_reap(int& status);
  // "exited with status 3", "was killed by signal 9", or "closed its stdout" if it still runs.
  std::string why_closed();
  void shutdown();
};

}  // namespace mechcheck

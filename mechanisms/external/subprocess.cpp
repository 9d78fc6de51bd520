#include "mechanisms/external/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <mutex>
#include <set>

extern char** environ;

namespace mechcheck {
namespace {

using Clock = std::chrono::steady_clock;

std::mutex& stderr_mutex() {
  static std::mutex mutex;
  return mutex;
}

// A write to a pipe whose reader died must be an error, not a SIGPIPE that kills mechcheck.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<long long>(0, left.count()));
}

}  // namespace

std::string seconds_text(std::chrono::milliseconds timeout) {
  const double seconds = static_cast<double>(timeout.count()) / 1000.0;
  std::string text = std::to_string(seconds);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text + " s";
}

namespace {

// The children not yet reaped: a pid in here is never reused, so the signal thread can kill it.
// Never destroyed (the signal thread may use it while static destructors run).
struct ChildRegistry {
  std::mutex mutex;
  std::set<pid_t> live;
};

ChildRegistry& children() {
  static auto* registry = new ChildRegistry;
  return *registry;
}

struct Pipe {
  int read = -1, write = -1;
};

Pipe make_pipe() {
  int fds[2];
  // Close-on-exec: a second worker's child must not inherit this one's pipe ends (it would
  // keep our child's stdin open after we close it).
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw ProcessFailure(std::string("could not create a pipe: ") + std::strerror(errno));
  return {fds[0], fds[1]};
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

Subprocess::Subprocess(const std::vector<std::string>& command, std::string stderr_prefix)
    : prefix_(std::move(stderr_prefix)) {
  if (command.empty() || command.front().empty()) throw ProcessFailure("the command is empty");
  ignore_sigpipe();
  Pipe in = make_pipe(), out = make_pipe(), err = make_pipe();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
  std::vector<char*> argv;
  for (const std::string& word : command) argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  // The child starts with no signal blocked (mechcheck blocks SIGINT and SIGTERM for its
  // signal thread) and default handlers for them, in a process group of its own.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  int spawned = 0;
  {
    // Registered under the lock it was started in: a signal cannot fall between the two.
    std::lock_guard lock(children().mutex);
    spawned = ::posix_spawnp(&pid_, argv[0], &actions, &attributes, argv.data(), environ);
    if (spawned == 0) children().live.insert(pid_);
  }
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in.read), ::close(out.write), ::close(err.write);
  if (spawned != 0) {
    ::close(in.write), ::close(out.read), ::close(err.read);
    pid_ = -1;
    throw ProcessFailure("could not start \"" + command.front() + "\": " + std::strerror(spawned));
  }
  stdin_fd_ = in.write, stdout_fd_ = out.read, stderr_fd_ = err.read;
  ::fcntl(stdin_fd_, F_SETFL, ::fcntl(stdin_fd_, F_GETFL) | O_NONBLOCK);
  stderr_forwarder_ = std::thread([this] { forward_stderr(); });
}

Subprocess::~Subprocess() { shutdown(); }

void Subprocess::shutdown() {
  close_fd(stdin_fd_);
  if (pid_ > 0 && !exited_) {
    const auto deadline = Clock::now() + kGracePeriod;
    int status = 0;
    while (try_reap(status) == 0) {
      if (Clock::now() >= deadline) {
        {
          std::lock_guard lock(children().mutex);
          ::kill(pid_, SIGKILL);
          children().live.erase(pid_);  // killed: reaped below, even if we are interrupted
        }
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    exited_ = true;
  }
  stop_forwarding_ = true;
  if (stderr_forwarder_.joinable()) stderr_forwarder_.join();
  close_fd(stdout_fd_);
  close_fd(stderr_fd_);
}

void Subprocess::forward_stderr() {
  std::string pending;
  char chunk[4096];
  auto flush_lines = [&](bool all) {
    std::size_t start = 0, end;
    std::lock_guard lock(stderr_mutex());
    while ((end = pending.find('\n', start)) != std::string::npos) {
      std::cerr << prefix_ << std::string_view(pending).substr(start, end - start) << '\n';
      start = end + 1;
    }
    if (all && start < pending.size())
      std::cerr << prefix_ << std::string_view(pending).substr(start) << '\n',
          start = pending.size();
    std::cerr.flush();
    pending.erase(0, start);
  };
  while (true) {
    pollfd fd{stderr_fd_, POLLIN, 0};
    // Polled with a short period so a grandchild holding stderr open cannot keep us here.
    const int ready = ::poll(&fd, 1, 50);
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0) {
      const ssize_t n = ::read(stderr_fd_, chunk, sizeof chunk);
      if (n <= 0 && !(n < 0 && errno == EINTR)) break;
      if (n > 0) pending.append(chunk, static_cast<std::size_t>(n)), flush_lines(false);
    } else if (stop_forwarding_) {
      break;
    }
  }
  flush_lines(true);
}

pid_t Subprocess::try_reap(int& status) {
  std::lock_guard lock(children().mutex);
  const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
  if (reaped != 0) children().live.erase(pid_);  // reaped, or not ours to wait for (-1)
  return reaped;
}

std::size_t kill_subprocesses_for_exit() noexcept {
  children().mutex.lock();  // never unlocked: the process is about to exit
  // Each child leads its own process group: the group goes too (a shell's pipeline, say).
  for (const pid_t pid : children().live) ::kill(-pid, SIGKILL), ::kill(pid, SIGKILL);
  const auto deadline = Clock::now() + Subprocess::kGracePeriod;
  std::size_t pending = children().live.size();
  std::set<pid_t> reaped;
  while (reaped.size() < pending && Clock::now() < deadline) {
    for (const pid_t pid : children().live) {
      int status = 0;
      if (!reaped.count(pid) && ::waitpid(pid, &status, WNOHANG) != 0) reaped.insert(pid);
    }
    if (reaped.size() < pending) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return pending;
}

std::string Subprocess::why_closed() {
  // The child may still be exiting: give it a moment to be reaped.
  int status = 0;
  for (int attempt = 0; attempt < 100 && !exited_; ++attempt) {
    if (try_reap(status) == pid_) {
      exited_ = true, exit_status_ = status;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!exited_) return "closed its stdout";
  if (WIFEXITED(exit_status_))
    return "exited with status " + std::to_string(WEXITSTATUS(exit_status_));
  if (WIFSIGNALED(exit_status_))
    return "was killed by signal " + std::to_string(WTERMSIG(exit_status_)) + " (" +
           ::strsignal(WTERMSIG(exit_status_)) + ")";
  return "stopped";
}

void Subprocess::write_line(std::string_view line, std::chrono::milliseconds timeout) {
  if (stdin_fd_ < 0) throw ProcessFailure("its stdin is closed");
  std::string data(line);
  data.push_back('\n');
  const auto deadline = Clock::now() + timeout;
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(stdin_fd_, data.data() + written, data.size() - written);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
      throw ProcessFailure("stopped reading its stdin: it " + why_closed());
    pollfd fd{stdin_fd_, POLLOUT, 0};
    const int ready = ::poll(&fd, 1, remaining_ms(deadline));
    if (ready == 0)
      throw ProcessFailure("did not read its request within " + seconds_text(timeout));
    if (ready < 0 && errno != EINTR) throw ProcessFailure("poll failed on its stdin");
    if (ready > 0 && (fd.revents & (POLLERR | POLLHUP)))
      throw ProcessFailure("stopped reading its stdin: it " + why_closed());
  }
}

std::string Subprocess::read_line(std::chrono::milliseconds timeout, std::size_t max_bytes) {
  const auto deadline = Clock::now() + timeout;
  std::size_t searched = 0;
  char chunk[65536];
  while (true) {
    const std::size_t newline = buffer_.find('\n', searched);
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    searched = buffer_.size();
    if (buffer_.size() > max_bytes)
      throw LineTooLong("wrote a line longer than " + std::to_string(max_bytes) + " bytes");
    pollfd fd{stdout_fd_, POLLIN, 0};
    const int ready = ::poll(&fd, 1, remaining_ms(deadline));
    if (ready == 0) throw ProcessFailure("did not reply within " + seconds_text(timeout));
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw ProcessFailure("poll failed on its stdout");
    }
    const ssize_t n = ::read(stdout_fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw ProcessFailure(why_closed());
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace mechcheck

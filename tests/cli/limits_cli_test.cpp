// Issue #14 item 6 through the executable: --max-memory refuses an oversized run before it
// allocates (exit 2, one line naming the option, no file written), lets a run that fits run,
// and its estimate bounds the peak memory measured; SIGINT/SIGTERM end any command with
// 130/143, a line saying what was done, no output file or temporary, and no child left running.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/cli_harness.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

using mechcheck::testing::CommandResult;
using mechcheck::testing::slurp;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Generous: the machine may be busy with other builds; nothing here measures speed.
constexpr auto kPatience = std::chrono::seconds(kSanitized ? 300 : 120);

struct Finished {
  int status = 0;
  long peak_kib = 0;  // the child's peak resident set (wait4)
};

class Limits : public mechcheck::testing::CliTest {
 protected:
  std::string instance(const std::string& name) {
    return source_file("examples/instances/" + name + ".json");
  }
  std::string check_config() { return source_file("examples/checks/affine-maximizer-chi2.json"); }
  // Exit 2, nothing on stdout, one stderr line naming --max-memory.
  void expect_refused(const CommandResult& r, const std::string& expected) {
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr(expected));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_THAT(r.err, Not(HasSubstr("internal error")));
  }
  // Files in the scratch directory other than the captured out/err.
  std::vector<std::string> written() {
    std::vector<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      const std::string name = fs::relative(entry.path(), dir).string();
      if (name != "out" && name != "err" && name != "mechanism.sh" && name != "mechanism.pid" &&
          name != "requests.log")
        names.push_back(name);
    }
    return names;
  }

  // Starts mechcheck with `arguments` (argv words), stdout and stderr to dir/out and dir/err.
  pid_t start(const std::vector<std::string>& arguments) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, (dir / "out").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (dir / "err").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> words{MECHCHECK_EXECUTABLE};
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(spawned, 0);
    return pid;
  }
  // Waits for `pid` (killing it after kPatience, which fails the test).
  Finished finish(pid_t pid) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    Finished done;
    rusage usage{};
    while (true) {
      const pid_t reaped = ::wait4(pid, &done.status, WNOHANG, &usage);
      if (reaped == pid) break;
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::wait4(pid, &done.status, 0, &usage);
        ADD_FAILURE() << "mechcheck did not finish within the patience";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    done.peak_kib = usage.ru_maxrss;
    return done;
  }
  // Waits until `path` exists and is not empty.
  bool wait_for_file(const fs::path& path) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (std::chrono::steady_clock::now() < deadline) {
      std::error_code error;
      if (fs::exists(path, error) && fs::file_size(path, error) > 0 && !error) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  // The processes of process group `group` that are not zombies (a killed orphan waits for
  // init to reap it, which some containers' init never does), from /proc/<pid>/stat.
  static std::vector<pid_t> alive_in_group(pid_t group) {
    std::vector<pid_t> alive;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      const std::string stat = slurp(entry.path() / "stat");
      const auto close = stat.rfind(')');
      if (close == std::string::npos) continue;
      std::istringstream fields(stat.substr(close + 2));
      char state = 0;
      pid_t parent = 0, process_group = 0;
      if (fields >> state >> parent >> process_group && process_group == group && state != 'Z')
        alive.push_back(std::stoi(name));
    }
    return alive;
  }
  // What a refused run said it needs plus what was in use, in bytes ("needs 1.23 MiB (...) on
  // top of the 4.56 MiB in use").
  static double stated_bytes(const std::string& err) {
    const std::regex pattern(
        R"(needs ([0-9.]+) (bytes|KiB|MiB|GiB) \(.*\) on top of the ([0-9.]+) (bytes|KiB|MiB|GiB))");
    std::smatch match;
    if (!std::regex_search(err, match, pattern)) return -1;
    const auto scale = [](const std::string& unit) {
      return unit == "bytes" ? 1.0
             : unit == "KiB" ? 1024.0
             : unit == "MiB" ? 1048576.0
                             : 1073741824.0;
    };
    // Printed with three significant digits: the last one may have been rounded down.
    return (std::stod(match[1]) * scale(match[2]) + std::stod(match[3]) * scale(match[4])) * 0.995;
  }
};

// --- --max-memory ----------------------------------------------------------------------------

TEST_F(Limits, GarbageMaxMemoryIsRefusedByEachCommand) {
  expect_refused(run("implementability " + instance("chi2-boundary") + " --max-memory 4X"),
                 "mechcheck implementability: --max-memory: is \"4X\", expected a size such as 4G");
  expect_refused(run("check " + check_config() + " --instances 1 --max-memory lots"),
                 "mechcheck check: --max-memory: is \"lots\", expected a size such as 4G");
  expect_refused(run("check " + check_config() + " --instances 1 --max-memory 0"),
                 "mechcheck check: --max-memory: is \"0\", expected at least 1 byte");
}

// K ≈ 19,000 types in double (the KL instance, resolution 60, sizes 1..10) is refused with a
// budget of 1 GiB before anything is allocated: immediately, naming the option, no report.
TEST_F(Limits, AnOversizedGainMatrixIsRefusedUpFront) {
  const std::string report = (dir / "report.json").string();
  const CommandResult r =
      run("implementability " + instance("kl-two-groups") +
          " --precision double --resolution 60 --max-memory 1G --report " + report);
  expect_refused(r,
                 "mechcheck implementability: --max-memory: the analysis of about 1.89e+04 "
                 "types (3 outcomes, 10 sizes) needs ");
  EXPECT_THAT(r.err, HasSubstr("(one 18921×18921 matrix of doubles)"));
  EXPECT_THAT(r.err, HasSubstr("over the budget of 1.00 GiB (--max-memory 1G); raise --max-memory "
                               "or lower --resolution or --sizes"));
  EXPECT_TRUE(written().empty());
  // At 100 digits the default budget of any machine refuses 200,000 types.
  const CommandResult huge =
      run("implementability " + instance("kl-two-groups") + " --resolution 200");
  expect_refused(huge, "--max-memory: the analysis of about 2.03e+05 types");
  EXPECT_THAT(huge.err, HasSubstr("matrix of 100-digit floats"));
  EXPECT_THAT(huge.err, HasSubstr("the default, 80% of the machine's"));
}

TEST_F(Limits, AGainMatrixWithinTheBudgetRuns) {
  const std::string report = (dir / "report.json").string();
  const CommandResult r =
      run("implementability " + instance("kl-two-groups") +
          " --precision double --resolution 4 --max-memory 256M --report " + report);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(report));
  EXPECT_EQ(r.err, "");
}

// The estimate is an upper bound of what the run holds: its peak resident set (wait4) stays
// below what a refusal of the same run states (needed + in use). Not under sanitizers, whose
// shadow memory the estimate does not count.
TEST_F(Limits, TheGainMatrixEstimateBoundsThePeakMeasured) {
  if (kSanitized) GTEST_SKIP() << "ASan's shadow memory is not in the estimate";
  const std::string arguments = "implementability " + instance("kl-two-groups") +
                                " --precision double --resolution 20 --threads 2";
  const double stated = stated_bytes(run(arguments + " --max-memory 1K").err);
  ASSERT_GT(stated, 0);
  const Finished done = finish(start({"implementability", instance("kl-two-groups"), "--precision",
                                      "double", "--resolution", "20", "--threads", "2"}));
  ASSERT_TRUE(WIFEXITED(done.status));
  EXPECT_EQ(WEXITSTATUS(done.status), 0);
  EXPECT_LE(static_cast<double>(done.peak_kib) * 1024, stated);
  // And not wildly above: the matrix (2,331 types: 43 MB) dominates.
  EXPECT_GE(static_cast<double>(done.peak_kib) * 1024, stated / 3);
}

TEST_F(Limits, TheCheckEstimateBoundsThePeakMeasured) {
  if (kSanitized) GTEST_SKIP() << "ASan's shadow memory is not in the estimate";
  const std::string arguments = "check " + check_config() + " --instances 400 --effort quick";
  const double stated = stated_bytes(run(arguments + " --max-memory 1K").err);
  ASSERT_GT(stated, 0);
  const Finished done = finish(
      start({"check", check_config(), "--instances", "400", "--effort", "quick", "--report",
             (dir / "report.json").string(), "--witness-dir", (dir / "witnesses").string()}));
  ASSERT_TRUE(WIFEXITED(done.status));
  EXPECT_EQ(WEXITSTATUS(done.status), 0) << slurp(dir / "err");
  EXPECT_LE(static_cast<double>(done.peak_kib) * 1024, stated);
}

TEST_F(Limits, AnOversizedCheckIsRefusedUpFront) {
  const std::string outputs = " --report " + (dir / "report.json").string() + " --junit " +
                              (dir / "junit.xml").string() + " --witness-dir " +
                              (dir / "witnesses").string();
  const CommandResult r =
      run("check " + check_config() + " --instances 1000000 --max-memory 512M" + outputs);
  expect_refused(r,
                 "mechcheck check: --max-memory: the run of 1000000 instances and 4 properties "
                 "needs ");
  EXPECT_THAT(r.err, HasSubstr("raise --max-memory or check fewer instances per process"));
  EXPECT_TRUE(written().empty());
  // A shard is a quarter of the run: its estimate is a quarter of the run's.
  const CommandResult shard =
      run("check " + check_config() + " --instances 1000000 --shard 2/4 --max-memory 512M");
  expect_refused(shard, "the run of 250000 instances and 4 properties needs ");
}

TEST_F(Limits, ACheckWithinTheBudgetRuns) {
  const CommandResult r =
      run("check " + check_config() + " --instances 5 --max-memory 512M --report " +
          (dir / "report.json").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "report.json"));
}

// --- SIGINT and SIGTERM ----------------------------------------------------------------------

class Interrupted : public Limits, public ::testing::WithParamInterface<int> {};

// `check` against an external mechanism (a shell piping its requests through tee into the
// Python program; the shell records its pid, which is also the process group of all three):
// interrupted once the run's requests flow, mechcheck exits 128 + signal, says how far it got and
// that nothing was written, leaves no report, temporary or witness, and no process of the
// mechanism's group is left.
TEST_P(Interrupted, CheckLeavesNothingBehind) {
  const int signal = GetParam();
  const fs::path pid_file = dir / "mechanism.pid", requests = dir / "requests.log";
  write("mechanism.sh", "echo $$ > '" + pid_file.string() + "'\ntee '" + requests.string() +
                            "' | python3 '" + source_file("examples/external/chi2_pricing.py") +
                            "'\n");
  const pid_t pid =
      start({"check", source_file("examples/external/chi2-check.json"), "--instances", "100000",
             "--max-memory", "64G", "--mechanism", "sh " + (dir / "mechanism.sh").string(),
             "--report", (dir / "report.json").string(), "--junit", (dir / "junit.xml").string(),
             "--witness-dir", (dir / "witnesses").string()});
  ASSERT_GT(pid, 0);
  // Started work: the mechanism has received its init and more than a few run requests.
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  bool started = false;
  while (!started && std::chrono::steady_clock::now() < deadline) {
    const std::string log = slurp(requests);
    started = std::count(log.begin(), log.end(), '\n') >= 6;
    if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, signal);
  const Finished done = finish(pid);
  ASSERT_TRUE(started) << slurp(dir / "err");
  ASSERT_TRUE(WIFEXITED(done.status)) << slurp(dir / "err");
  EXPECT_EQ(WEXITSTATUS(done.status), 128 + signal) << slurp(dir / "err");
  const std::string name = signal == SIGINT ? "SIGINT" : "SIGTERM";
  EXPECT_THAT(slurp(dir / "err"),
              ContainsRegex("mechcheck check: interrupted by " + name +
                            " after [0-9]+ of 100000 instances; no output file written\n"));
  EXPECT_EQ(slurp(dir / "out"), "");
  EXPECT_TRUE(written().empty());
  // The mechanism's processes were killed (and reaped by mechcheck, or by init once reparented).
  const pid_t group = std::stoi(slurp(pid_file));
  ASSERT_GT(group, 1);
  const auto gone_by = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!alive_in_group(group).empty() && std::chrono::steady_clock::now() < gone_by)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_THAT(alive_in_group(group), ::testing::IsEmpty())
      << "processes of the mechanism's group " << group << " still run";
}

INSTANTIATE_TEST_SUITE_P(Signals, Interrupted, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& test) {
                           return test.param == SIGINT ? "SIGINT" : "SIGTERM";
                         });

// A command without a child or a counter: implementability on a large grid, interrupted while it
// analyzes (it takes seconds; a signal before the analysis starts is reported the same way).
TEST_F(Limits, ImplementabilitySaysWhatItWasDoing) {
  const pid_t pid = start({"implementability", instance("kl-two-groups"), "--precision", "double",
                           "--resolution", "40", "--report", (dir / "report.json").string()});
  ASSERT_GT(pid, 0);
  // Started when its resident set has grown past the gain matrix's first pages (~20 MB).
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
    long size = 0, resident = 0;
    if (statm >> size >> resident && resident * ::sysconf(_SC_PAGE_SIZE) > 40L * 1024 * 1024) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGTERM);
  const Finished done = finish(pid);
  ASSERT_TRUE(WIFEXITED(done.status)) << slurp(dir / "err");
  if (WEXITSTATUS(done.status) == 0) GTEST_SKIP() << "finished before the signal";
  EXPECT_EQ(WEXITSTATUS(done.status), 143);
  EXPECT_THAT(slurp(dir / "err"),
              ContainsRegex("mechcheck implementability: interrupted by SIGTERM (while analyzing "
                            "up to [0-9]+ types|before it finished|while writing its report); no "
                            "output file written"));
  EXPECT_TRUE(written().empty());
}

}  // namespace

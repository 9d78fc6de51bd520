#pragma once
// SIGINT and SIGTERM during any command: no partial output file, no orphaned child, exit 130
// (SIGINT) or 143 (SIGTERM), and one line on stderr saying what had been done, e.g.
//
//   mechcheck check: interrupted by SIGINT after 340 of 1000 instances; no output file written
//
// main() calls install_interruption_handling() before anything starts a thread: both signals
// are blocked (every later thread inherits the mask) and one thread waits for them with
// sigwait. On arrival it removes the temporaries of every live OutputTransaction (and keeps
// any new one from being staged or committed; a commit under way is finished first), prints
// the line, kills and reaps the external mechanisms' child processes, and _exits. The commands
// say what they are doing through the functions below, which are safe to call from any thread
// (the counters are atomics, the texts behind a lock).
#include <cstdint>
#include <string>

namespace mechcheck::cli {

// Blocks SIGINT and SIGTERM in the calling thread and starts the waiting thread. Call once,
// from main, before any other thread exists.
void install_interruption_handling();

// The command's name for the line ("check", "experiment appendix-f").
void set_interrupted_command(const std::string& name);

// What the command is doing, when it has no counter: "while analyzing 20000 types".
void set_interrupted_activity(const std::string& activity);

// Work counted in units: "after <done> of <total> <unit>" (total 0: not counted).
void set_interrupted_progress_total(std::uint64_t total, const std::string& unit);
void set_interrupted_progress_done(std::uint64_t done);

// The line printed for signal `signal` (SIGINT or SIGTERM), from the state above and the output
// registry's: removed temporaries, whether some transaction had committed. Exposed for tests.
std::string interruption_line(int signal, std::size_t removed_temporaries, bool committed);

}  // namespace mechcheck::cli

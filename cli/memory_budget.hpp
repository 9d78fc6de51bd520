#pragma once
// `--max-memory SIZE`: the memory a command may use, checked against an estimate of what a run
// will hold *before* it allocates (implementability's gain matrix, check's results and report),
// so that an oversized run ends with exit 2 and a line naming the option instead of a
// std::bad_alloc or the kernel's OOM killer after minutes of work.
//
// SIZE is a number of bytes with an optional binary unit: 4G, 4GiB, 512M, 4096M, 1.5G, 800K,
// 123456789 (K, M, G, T = 2^10, 2^20, 2^30, 2^40; "B"/"iB" after the unit and lower case are
// accepted). The default is 80 % of the machine's memory: the physical RAM, or the cgroup's
// limit (v2 memory.max, v1 memory.limit_in_bytes) when that is smaller.
#include <cstdint>
#include <optional>
#include <string>

namespace mechcheck::cli {

struct MemoryBudget {
  std::uint64_t bytes = 0;
  std::string origin;  // "--max-memory 4G", or "the default, 80% of the machine's 23.5 GiB"
};

// Parses SIZE (above). Throws SpecError(option, ...) for anything else, 0 and > 2^63 included.
std::uint64_t parse_memory_size(const std::string& option, const std::string& text);

// The machine's memory as above; 0 when it cannot be read.
std::uint64_t machine_memory_bytes();

// --max-memory as given, else the default (from machine_memory_bytes(); unlimited when that
// cannot be read). Throws SpecError("--max-memory", ...) for a malformed SIZE.
MemoryBudget memory_budget(const std::optional<std::string>& option_text);

// This process's resident memory now (/proc/self/statm); 0 when it cannot be read.
std::uint64_t resident_bytes();

// "3.00 GiB", "512 MiB", "100 bytes": three significant digits, binary units.
std::string format_bytes(std::uint64_t bytes);

// Throws SpecError("--max-memory", "<what> needs <needed> (<detail>) on top of the <in use>
// in use, over the budget of <budget> (<origin>); raise --max-memory or <advice>") when
// resident_bytes() + needed exceeds the budget.
void require_within_budget(const MemoryBudget& budget, std::uint64_t needed,
                           const std::string& what, const std::string& detail,
                           const std::string& advice);

}  // namespace mechcheck::cli

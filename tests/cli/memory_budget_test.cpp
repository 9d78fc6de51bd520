// Issue #14 item 6 as units: --max-memory's SIZE, the default budget, the estimates the budget is
// compared with, and the line printed on SIGINT/SIGTERM.
#include "cli/memory_budget.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "checks/implementability/implementability.hpp"
#include "cli/interruption.hpp"
#include "report/check_report.hpp"
#include "spec/exact_json.hpp"
#include "spec/instance_json.hpp"
#include "spec/spec_error.hpp"

namespace {

using mechcheck::SpecError;
using mechcheck::cli::format_bytes;
using mechcheck::cli::parse_memory_size;
using ::testing::HasSubstr;

constexpr std::uint64_t kKiB = 1024, kMiB = kKiB * 1024, kGiB = kMiB * 1024;

std::string size_error(const std::string& text) {
  try {
    parse_memory_size("--max-memory", text);
  } catch (const SpecError& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(MemoryBudget, SizesTakeBinaryUnits) {
  EXPECT_EQ(parse_memory_size("--max-memory", "4G"), 4 * kGiB);
  EXPECT_EQ(parse_memory_size("--max-memory", "4g"), 4 * kGiB);
  EXPECT_EQ(parse_memory_size("--max-memory", "4GB"), 4 * kGiB);
  EXPECT_EQ(parse_memory_size("--max-memory", "4GiB"), 4 * kGiB);
  EXPECT_EQ(parse_memory_size("--max-memory", "4096M"), 4 * kGiB);
  EXPECT_EQ(parse_memory_size("--max-memory", "512M"), 512 * kMiB);
  EXPECT_EQ(parse_memory_size("--max-memory", "800K"), 800 * kKiB);
  EXPECT_EQ(parse_memory_size("--max-memory", "1.5G"), 3 * kGiB / 2);
  EXPECT_EQ(parse_memory_size("--max-memory", "2T"), 2048 * kGiB);
  EXPECT_EQ(parse_memory_size("--max-memory", "123456789"), 123456789u);
  EXPECT_EQ(parse_memory_size("--max-memory", "100B"), 100u);
}

TEST(MemoryBudget, GarbageIsRefusedNamingTheOption) {
  for (const char* text : {"", "G", "abc", "4X", "4 G", " 4G", "4G ", "-1", "+4G", "1e9", "4.G",
                           ".5G", "4GG", "4iB", "0x10", "4M4"})
    EXPECT_THAT(size_error(text), HasSubstr("--max-memory: is \"" + std::string(text) +
                                            "\", expected a size such as 4G"))
        << text;
  EXPECT_THAT(size_error("0"), HasSubstr("--max-memory: is \"0\", expected at least 1 byte"));
  EXPECT_THAT(size_error("0.1"), HasSubstr("expected at least 1 byte"));
  EXPECT_THAT(size_error("9000000T"), HasSubstr("expected at most 2^63 bytes"));
  EXPECT_THAT(size_error("99999999999999999999999999999999999"), HasSubstr("expected a size"));
}

TEST(MemoryBudget, BytesAreFormattedWithThreeDigits) {
  EXPECT_EQ(format_bytes(100), "100 bytes");
  EXPECT_EQ(format_bytes(1536), "1.50 KiB");
  EXPECT_EQ(format_bytes(512 * kMiB), "512 MiB");
  EXPECT_EQ(format_bytes(3'200'000'000), "2.98 GiB");
  EXPECT_EQ(format_bytes(20 * kGiB), "20.0 GiB");
}

TEST(MemoryBudget, TheDefaultIsMostOfTheMachine) {
  const std::uint64_t machine = mechcheck::cli::machine_memory_bytes();
  ASSERT_GT(machine, 0u);  // /proc and sysconf are readable on the machines this runs on
  const auto budget = mechcheck::cli::memory_budget(std::nullopt);
  EXPECT_EQ(budget.bytes, static_cast<std::uint64_t>(static_cast<long double>(machine) * 0.8L));
  EXPECT_THAT(budget.origin, HasSubstr("the default, 80% of the machine's"));
  const auto given = mechcheck::cli::memory_budget(std::string("2G"));
  EXPECT_EQ(given.bytes, 2 * kGiB);
  EXPECT_EQ(given.origin, "--max-memory 2G");
  EXPECT_GT(mechcheck::cli::resident_bytes(), 0u);
}

TEST(MemoryBudget, ARunOverTheBudgetIsRefusedWithWhatItNeeds) {
  const mechcheck::cli::MemoryBudget budget{64 * kMiB, "--max-memory 64M"};
  EXPECT_NO_THROW(mechcheck::cli::require_within_budget(budget, kMiB, "a", "b", "c"));
  try {
    mechcheck::cli::require_within_budget(budget, 3 * kGiB, "the analysis of 20000 types",
                                          "one matrix", "use fewer types");
    FAIL() << "accepted";
  } catch (const SpecError& error) {
    EXPECT_THAT(error.what(), HasSubstr("--max-memory: the analysis of 20000 types needs 3.00 GiB "
                                        "(one matrix) on top of the "));
    EXPECT_THAT(error.what(), HasSubstr("over the budget of 64.0 MiB (--max-memory 64M); raise "
                                        "--max-memory or use fewer types"));
  }
}

// The estimates grow as the data they count: K² entries of the precision's size.
TEST(MemoryBudget, GainMatrixEstimateIsOneMatrixOfThePrecision) {
  const mechcheck::Instance instance = mechcheck::read_instance(mechcheck::read_exact_json_file(
      std::string(MECHCHECK_SOURCE_DIR) + "/examples/instances/kl-two-groups.json"));
  mechcheck::ImplementabilityOptions options;
  options.precision = mechcheck::Precision::binary64;
  const auto memory = mechcheck::implementability_memory(instance, options, 20000);
  EXPECT_GE(memory.bytes, 20000ull * 20000 * 8);
  EXPECT_LE(memory.bytes, 20000ull * 20000 * 8 * 11 / 10 + 20 * kMiB);
  EXPECT_EQ(memory.layout, "one 20000×20000 matrix of doubles");
  options.precision = mechcheck::Precision::digits100;
  EXPECT_GE(mechcheck::implementability_memory(instance, options, 5000).bytes,
            5000ull * 5000 * sizeof(mechcheck::Float100));
  EXPECT_GT(mechcheck::game_implementability_memory(3001).bytes, 2ull * 3001 * 3001 * 32);
  EXPECT_GT(mechcheck::check_memory_bytes(2000, 3, 4096, 3),
            mechcheck::check_memory_bytes(1000, 3, 4096, 3));
  EXPECT_GT(mechcheck::check_memory_bytes(1000, 3, 8192, 3),
            mechcheck::check_memory_bytes(1000, 3, 4096, 3));
}

TEST(Interruption, TheLineSaysWhatWasDone) {
  using mechcheck::cli::interruption_line;
  mechcheck::cli::set_interrupted_command("check");
  mechcheck::cli::set_interrupted_progress_total(1000, "instances");
  mechcheck::cli::set_interrupted_progress_done(340);
  EXPECT_EQ(interruption_line(SIGINT, 0, false),
            "mechcheck check: interrupted by SIGINT after 340 of 1000 instances; no output file "
            "written");
  EXPECT_EQ(interruption_line(SIGTERM, 2, false),
            "mechcheck check: interrupted by SIGTERM after 340 of 1000 instances; no output file "
            "written (2 partial files removed)");
  mechcheck::cli::set_interrupted_command("implementability");
  mechcheck::cli::set_interrupted_progress_total(0, "");
  mechcheck::cli::set_interrupted_activity("while analyzing up to 20001 types");
  EXPECT_EQ(interruption_line(SIGTERM, 1, false),
            "mechcheck implementability: interrupted by SIGTERM while analyzing up to 20001 "
            "types; no output file written (1 partial file removed)");
  mechcheck::cli::set_interrupted_activity("");
  EXPECT_EQ(interruption_line(SIGINT, 0, true),
            "mechcheck implementability: interrupted by SIGINT before it finished; its output "
            "files had been written");
}

}  // namespace

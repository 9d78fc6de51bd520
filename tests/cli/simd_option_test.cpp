// MECHCHECK_SIMD (cli/simd_option.hpp): parsed from an injected environment, and as the mechcheck
// executable reads it (unknown value: exit 2 with one line naming the variable).
#include "cli/simd_option.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "solver/batch_kernels.hpp"
#include "spec/spec_error.hpp"
#include "tests/support/cli_harness.hpp"

namespace {

using mechcheck::BatchKernels;
using ::testing::HasSubstr;
using SimdVariables = std::map<std::string, std::string>;

mechcheck::cli::EnvironmentLookup simd_environment(const SimdVariables& variables) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    const auto it = variables.find(name);
    return it == variables.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

// The error select_simd_from_environment throws, "" when it selects without one.
std::string selection_error(const SimdVariables& variables) {
  try {
    mechcheck::cli::select_simd_from_environment(simd_environment(variables));
    return "";
  } catch (const mechcheck::SpecError& error) {
    return error.what();
  }
}

// Restores the process-wide selection (the tests of this program may share a process).
class SimdOption : public ::testing::Test {
 protected:
  void TearDown() override { mechcheck::select_batch_kernels(saved_); }

 private:
  BatchKernels saved_ = mechcheck::active_batch_kernels();
};

TEST_F(SimdOption, UnsetOrEmptyKeepsTheDefault) {
  const BatchKernels fastest = mechcheck::available_batch_kernels().front();
  EXPECT_EQ(selection_error({}), "");
  EXPECT_EQ(mechcheck::active_batch_kernels(), fastest);
  EXPECT_EQ(selection_error({{"MECHCHECK_SIMD", ""}}), "");
  EXPECT_EQ(mechcheck::active_batch_kernels(), fastest);
}

TEST_F(SimdOption, SelectsEveryAvailableVariant) {
  for (BatchKernels kernels : mechcheck::available_batch_kernels()) {
    const std::string name(mechcheck::batch_kernels_name(kernels));
    EXPECT_EQ(selection_error({{"MECHCHECK_SIMD", name}}), "") << name;
    EXPECT_EQ(mechcheck::active_batch_kernels(), kernels) << name;
  }
}

TEST_F(SimdOption, UnknownValuesAreRefusedNamingTheVariable) {
  for (const char* text : {"foo", "AVX2", "on", "scalar", "avx512"})
    EXPECT_EQ(selection_error({{"MECHCHECK_SIMD", text}}),
              "MECHCHECK_SIMD: is \"" + std::string(text) + "\", expected avx2, sse2 or off");
}

TEST_F(SimdOption, UnavailableVariantsAreRefusedSayingWhy) {
  const BatchKernels before = mechcheck::active_batch_kernels();
  for (BatchKernels kernels : {BatchKernels::avx2, BatchKernels::sse2}) {
    if (mechcheck::batch_kernels_available(kernels)) continue;
    const std::string name(mechcheck::batch_kernels_name(kernels));
    const std::string error = selection_error({{"MECHCHECK_SIMD", name}});
    EXPECT_THAT(error, HasSubstr("MECHCHECK_SIMD: is \"" + name + "\", which "));
    EXPECT_THAT(error, HasSubstr(mechcheck::batch_kernels_compiled(kernels)
                                     ? "needs a CPU with"
                                     : "is not compiled into this build"));
    EXPECT_THAT(error, HasSubstr("available: "));
    EXPECT_EQ(mechcheck::active_batch_kernels(), before);
  }
}

class SimdCli : public mechcheck::testing::CliTest {};

TEST_F(SimdCli, UnknownValueExitsTwoWithTheMessage) {
  const mechcheck::testing::CommandResult r = run_in("", "families", "MECHCHECK_SIMD=foo");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "mechcheck: MECHCHECK_SIMD: is \"foo\", expected avx2, sse2 or off\n");
  EXPECT_EQ(r.out, "");
}

TEST_F(SimdCli, EveryAvailableVariantRuns) {
  for (BatchKernels kernels : mechcheck::available_batch_kernels()) {
    const std::string name(mechcheck::batch_kernels_name(kernels));
    const mechcheck::testing::CommandResult r = run_in("", "families", "MECHCHECK_SIMD=" + name);
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
  }
}

TEST_F(SimdCli, AnUnavailableVariantExitsTwo) {
  for (BatchKernels kernels : {BatchKernels::avx2, BatchKernels::sse2}) {
    if (mechcheck::batch_kernels_available(kernels)) continue;
    const std::string name(mechcheck::batch_kernels_name(kernels));
    const mechcheck::testing::CommandResult r = run_in("", "families", "MECHCHECK_SIMD=" + name);
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_THAT(r.err, HasSubstr("mechcheck: MECHCHECK_SIMD: is \"" + name + "\", which "));
    return;
  }
  GTEST_SKIP() << "every variant is available in this build and on this CPU";
}

}  // namespace

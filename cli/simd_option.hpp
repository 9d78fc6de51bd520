#pragma once
// MECHCHECK_SIMD=avx2|sse2|off: which variant of the batch solver's kernels runs
// (solver/batch_kernels.hpp; every variant gives identical bits, only speed differs). Read once by
// main() before any command runs. Unset or empty: the solver's default, the fastest variant this
// build and CPU have. Any other value, or a variant this build or CPU lacks, is a SpecError naming
// the variable (`MECHCHECK_SIMD: is "foo", expected avx2, sse2 or off`): exit 2.
#include "cli/shard_option.hpp"

namespace mechcheck::cli {

inline constexpr const char* kSimdVariable = "MECHCHECK_SIMD";

// Selects the variant `environment` names (see above).
void select_simd_from_environment(const EnvironmentLookup& environment);

}  // namespace mechcheck::cli

// The batch kernels for the x86-64 baseline (SSE2), auto-vectorized, with -ffp-contract=off
// (solver/CMakeLists.txt): the fallback on x86-64 CPUs without AVX2.
#include "solver/batch_kernels.hpp"

#define MECHCHECK_BATCH_KERNEL_NAMESPACE kernels_sse2
#include "solver/batch_kernel_loops.hpp"

namespace mechcheck::detail {

const BatchKernelTable& batch_kernels_sse2() {
  static constexpr BatchKernelTable table{BatchKernels::sse2, kernels_sse2::exp_nonpositive,
                                          kernels_sse2::kl_weights, kernels_sse2::kl_policy,
                                          kernels_sse2::column_extremes};
  return table;
}

}  // namespace mechcheck::detail

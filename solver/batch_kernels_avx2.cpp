// The batch kernels for CPUs with AVX2: compiled with -mavx2 (no FMA) and -ffp-contract=off
// (solver/CMakeLists.txt); run only where the CPU reports AVX2 (solver/batch_kernels.cpp).
#include "solver/batch_kernels.hpp"

#define MECHCHECK_BATCH_KERNEL_NAMESPACE kernels_avx2
#include "solver/batch_kernel_loops.hpp"

namespace mechcheck::detail {

const BatchKernelTable& batch_kernels_avx2() {
  static constexpr BatchKernelTable table{BatchKernels::avx2, kernels_avx2::exp_nonpositive,
                                          kernels_avx2::kl_weights, kernels_avx2::kl_policy,
                                          kernels_avx2::column_extremes};
  return table;
}

}  // namespace mechcheck::detail

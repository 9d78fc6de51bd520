// The scalar batch kernels: compiled with vectorization off and -ffp-contract=off
// (solver/CMakeLists.txt). The only variant of a -DMECHCHECK_SIMD=OFF build, and the reference
// the others must match bit for bit.
#include "solver/batch_kernels.hpp"

#define MECHCHECK_BATCH_KERNEL_NAMESPACE kernels_off
#include "solver/batch_kernel_loops.hpp"

namespace mechcheck::detail {

const BatchKernelTable& batch_kernels_off() {
  static constexpr BatchKernelTable table{BatchKernels::off, kernels_off::exp_nonpositive,
                                          kernels_off::kl_weights, kernels_off::kl_policy,
                                          kernels_off::column_extremes};
  return table;
}

}  // namespace mechcheck::detail

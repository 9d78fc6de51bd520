#pragma once
// Which compiled variant of the batch SW-Max solver's hot loops (solver/batch_kernel_loops.hpp:
// exp_nonpositive, the KL weight and policy rows, the column extremes) runs:
//
//   avx2  compiled with -mavx2 (no FMA), 4 doubles a vector; only on CPUs with AVX2.
//   sse2  compiled for the x86-64 baseline, auto-vectorized 2 doubles a vector.
//   off   scalar: compiled with vectorization off, one double at a time.
//
// Every variant performs the same IEEE operations in the same order on each element (no FMA
// contraction anywhere), so all give identical bits; they differ only in speed. A build with
// -DMECHCHECK_SIMD=OFF, and any build off x86-64 or with another compiler than GCC/Clang, has only
// `off`. The default is the best variant this build and CPU have, chosen once, at first use; the
// choice is process-wide. The solver reads no environment: the mechcheck command maps
// MECHCHECK_SIMD onto select_batch_kernels (cli/simd_option.hpp).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace mechcheck {

enum class BatchKernels : std::uint8_t { avx2, sse2, off };

// "avx2", "sse2", "off"; parse_batch_kernels is its inverse (nullopt on any other text).
std::string_view batch_kernels_name(BatchKernels kernels);
std::optional<BatchKernels> parse_batch_kernels(std::string_view text);

// Compiled into this build (avx2 and sse2: MECHCHECK_SIMD on x86-64 under GCC/Clang).
bool batch_kernels_compiled(BatchKernels kernels);
// Compiled into this build and supported by this CPU.
bool batch_kernels_available(BatchKernels kernels);
// The available variants, fastest first.
std::vector<BatchKernels> available_batch_kernels();

// Makes `kernels` the variant every later solve runs; false (and no change) when it is not
// available. Thread-safe, but a solve running meanwhile may finish on either variant.
bool select_batch_kernels(BatchKernels kernels);
BatchKernels active_batch_kernels();

namespace detail {

// One variant's loops (see solver/batch_kernel_loops.hpp for what each computes).
struct BatchKernelTable {
  BatchKernels kernels;
  void (*exp_nonpositive)(const double* z, double* out, std::ptrdiff_t count);
  void (*kl_weights)(const double* scores, std::ptrdiff_t score_stride, std::ptrdiff_t m,
                     std::ptrdiff_t batch, const double* initial, double lambda, const double* top,
                     double* z, double* weight, std::ptrdiff_t stride, double* total, double* flag);
  void (*kl_policy)(const double* scores, std::ptrdiff_t score_stride, std::ptrdiff_t m,
                    std::ptrdiff_t batch, const double* top, const double* weight,
                    std::ptrdiff_t stride, const double* total, double* policy,
                    std::ptrdiff_t policy_stride, double* gap_sum);
  void (*column_extremes)(const double* scores, std::ptrdiff_t score_stride, std::ptrdiff_t m,
                          std::ptrdiff_t batch, double* top, double* low, double* nonfinite,
                          double* flag);
};

// The selected variant's table; read it once per solve so that a solve runs one variant.
const BatchKernelTable& batch_kernel_table();

// Each variant's table, defined in its own file (solver/batch_kernels_<name>.cpp) and linked only
// when that variant is compiled (solver/CMakeLists.txt).
const BatchKernelTable& batch_kernels_avx2();
const BatchKernelTable& batch_kernels_sse2();
const BatchKernelTable& batch_kernels_off();

}  // namespace detail
}  // namespace mechcheck

#include "solver/batch_kernels.hpp"

#include <atomic>

// MECHCHECK_BATCH_KERNELS_AVX2 / _SSE2: 1 when solver/CMakeLists.txt compiled that variant (the
// scalar one is always compiled).
#ifndef MECHCHECK_BATCH_KERNELS_AVX2
#define MECHCHECK_BATCH_KERNELS_AVX2 0
#endif
#ifndef MECHCHECK_BATCH_KERNELS_SSE2
#define MECHCHECK_BATCH_KERNELS_SSE2 0
#endif

namespace mechcheck {
namespace {

constexpr BatchKernels kFastestFirst[] = {BatchKernels::avx2, BatchKernels::sse2,
                                          BatchKernels::off};

// The variant's table when it is compiled in and this CPU can run it, else null.
const detail::BatchKernelTable* usable_table(BatchKernels kernels) {
  switch (kernels) {
    case BatchKernels::avx2:
#if MECHCHECK_BATCH_KERNELS_AVX2
      // libgcc's check includes the OS saving the AVX registers (XGETBV). The init call makes it
      // safe even before libgcc's own constructor has run (static initialization elsewhere).
      __builtin_cpu_init();
      if (__builtin_cpu_supports("avx2")) return &detail::batch_kernels_avx2();
#endif
      return nullptr;
    case BatchKernels::sse2:
#if MECHCHECK_BATCH_KERNELS_SSE2
      return &detail::batch_kernels_sse2();  // the x86-64 baseline: every x86-64 CPU
#else
      return nullptr;
#endif
    case BatchKernels::off:
      return &detail::batch_kernels_off();
  }
  return nullptr;
}

// The selected table: the fastest usable variant until select_batch_kernels says otherwise.
// Initialized once, thread-safely (a function-local static).
std::atomic<const detail::BatchKernelTable*>& selected_table() {
  static std::atomic<const detail::BatchKernelTable*> table{[] {
    for (BatchKernels kernels : kFastestFirst)
      if (const detail::BatchKernelTable* usable = usable_table(kernels)) return usable;
    return &detail::batch_kernels_off();
  }()};
  return table;
}

}  // namespace

std::string_view batch_kernels_name(BatchKernels kernels) {
  switch (kernels) {
    case BatchKernels::avx2:
      return "avx2";
    case BatchKernels::sse2:
      return "sse2";
    case BatchKernels::off:
      return "off";
  }
  return "?";
}

std::optional<BatchKernels> parse_batch_kernels(std::string_view text) {
  for (BatchKernels kernels : kFastestFirst)
    if (text == batch_kernels_name(kernels)) return kernels;
  return std::nullopt;
}

bool batch_kernels_compiled(BatchKernels kernels) {
  switch (kernels) {
    case BatchKernels::avx2:
      return MECHCHECK_BATCH_KERNELS_AVX2 != 0;
    case BatchKernels::sse2:
      return MECHCHECK_BATCH_KERNELS_SSE2 != 0;
    case BatchKernels::off:
      return true;
  }
  return false;
}

bool batch_kernels_available(BatchKernels kernels) { return usable_table(kernels) != nullptr; }

std::vector<BatchKernels> available_batch_kernels() {
  std::vector<BatchKernels> out;
  for (BatchKernels kernels : kFastestFirst)
    if (batch_kernels_available(kernels)) out.push_back(kernels);
  return out;
}

bool select_batch_kernels(BatchKernels kernels) {
  const detail::BatchKernelTable* table = usable_table(kernels);
  if (!table) return false;
  selected_table().store(table, std::memory_order_release);
  return true;
}

BatchKernels active_batch_kernels() { return detail::batch_kernel_table().kernels; }

const detail::BatchKernelTable& detail::batch_kernel_table() {
  return *selected_table().load(std::memory_order_acquire);
}

}  // namespace mechcheck

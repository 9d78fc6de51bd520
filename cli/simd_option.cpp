#include "cli/simd_option.hpp"

#include <string>

#include "solver/batch_kernels.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {
namespace {

std::string available_list() {
  std::string out;
  for (BatchKernels kernels : available_batch_kernels())
    out += (out.empty() ? "" : ", ") + std::string(batch_kernels_name(kernels));
  return out;
}

}  // namespace

void select_simd_from_environment(const EnvironmentLookup& environment) {
  const std::optional<std::string> text = environment(kSimdVariable);
  if (!text || text->empty()) return;
  const std::optional<BatchKernels> kernels = parse_batch_kernels(*text);
  if (!kernels) throw SpecError(kSimdVariable, "is \"" + *text + "\", expected avx2, sse2 or off");
  if (select_batch_kernels(*kernels)) return;
  const std::string why = !batch_kernels_compiled(*kernels)
                              ? "is not compiled into this build (built with -DMECHCHECK_SIMD=OFF, "
                                "or not for x86-64 with GCC/Clang)"
                              : "needs a CPU with " +
                                    std::string(*kernels == BatchKernels::avx2 ? "AVX2" : "SSE2") +
                                    ", which this one lacks";
  throw SpecError(kSimdVariable,
                  "is \"" + *text + "\", which " + why + "; available: " + available_list());
}

}  // namespace mechcheck::cli

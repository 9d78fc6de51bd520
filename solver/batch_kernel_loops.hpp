// The batch SW-Max solver's hot loops (solver/batch_sw_max.cpp), written once and compiled once per
// kernel variant (solver/batch_kernels_{avx2,sse2,off}.cpp, each with its own flags in
// solver/CMakeLists.txt) into that variant's namespace:
//
//   #define MECHCHECK_BATCH_KERNEL_NAMESPACE kernels_avx2
//   #include "solver/batch_kernel_loops.hpp"
//
// No include guard: each variant's file includes it once (so the header check skips it:
// header-check: skip). The loops call no inline function with
// external linkage (std::max, std::bit_cast, ...): the linker keeps one copy of such a function
// for the whole program, and the copy compiled with -mavx2 would then also run in the SSE2 and
// scalar variants on a CPU without AVX2. Every operation is an IEEE double operation with no FMA
// contraction (-ffp-contract=off), vectorized across columns only, so each variant performs the
// same operations per element in the same order: identical bits.
#include <cstddef>
#include <cstdint>
#include <cstring>

#ifndef MECHCHECK_BATCH_KERNEL_NAMESPACE
#error "define MECHCHECK_BATCH_KERNEL_NAMESPACE before including solver/batch_kernel_loops.hpp"
#endif

namespace mechcheck::MECHCHECK_BATCH_KERNEL_NAMESPACE {
namespace {

constexpr double kLogMinNormal = -708.3964185322641;  // log(2^−1022), rounded down
// exp(z) is a normal double for z ≥ log(DBL_MIN) and rounds to 0 below kExpZero. exp_nonpositive
// returns 0 below log(DBL_MIN), and a column with any z in between goes to the scalar route.
constexpr double kExpZero = -745.2;  // exp(z) < 2^−1075 below this

// std::max / std::min's exact semantics (the first argument on ties and NaN in the first).
double max_of(double a, double b) { return a < b ? b : a; }
double min_of(double a, double b) { return b < a ? b : a; }

std::int64_t bits_of(double value) {
  std::int64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}
double double_of(std::int64_t bits) {
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

}  // namespace

// exp(z) for z ≤ 0; 0 below log(DBL_MIN). n = round(z/ln 2) by the 1.5·2^52 shifter (its low bits
// are then n), r = z − n·ln 2 with ln 2 split Cody–Waite (n·ln2_hi exact), exp(r) = 1 + (r +
// r²·Q(r)) with Q the Taylor series to r^13/13! (truncation < 5e-18 on |r| ≤ ln2/2), 2^n from
// exponent bits (n ≥ −1022: a normal scale).
void exp_nonpositive(const double* z, double* out, std::ptrdiff_t count) {
  constexpr double log2e = 1.4426950408889634, shifter = 0x1.8p52;
  constexpr double ln2_hi = 0x1.62e42fee00000p-1, ln2_lo = 0x1.a39ef35793c76p-33;
  constexpr double c2 = 1.0 / 2, c3 = 1.0 / 6, c4 = 1.0 / 24, c5 = 1.0 / 120, c6 = 1.0 / 720,
                   c7 = 1.0 / 5040, c8 = 1.0 / 40320, c9 = 1.0 / 362880, c10 = 1.0 / 3628800,
                   c11 = 1.0 / 39916800, c12 = 1.0 / 479001600, c13 = 1.0 / 6227020800;
  const std::int64_t shifter_bits = bits_of(shifter);
  for (std::ptrdiff_t i = 0; i < count; ++i) {
    const double x = max_of(z[i], kLogMinNormal);
    const double t = x * log2e + shifter;
    const double n = t - shifter;
    const double r = (x - n * ln2_hi) - n * ln2_lo;
    double q = c13;
    q = q * r + c12;
    q = q * r + c11;
    q = q * r + c10;
    q = q * r + c9;
    q = q * r + c8;
    q = q * r + c7;
    q = q * r + c6;
    q = q * r + c5;
    q = q * r + c4;
    q = q * r + c3;
    q = q * r + c2;
    const double p = 1.0 + (r + (r * r) * q);
    const std::int64_t exponent = bits_of(t) - shifter_bits;  // n
    const double scale = double_of((exponent + 1023) << 52);
    const double keep = static_cast<double>(z[i] >= kLogMinNormal);  // no branch: vectorizes
    out[i] = p * scale * keep;
  }
}

// The KL far path's row loops (BatchSwMaxSolver::solve_kl), plain loops over contiguous rows so
// that they vectorize across columns. Row x of an array starts at data + x·stride.
//  1: z = (s − top)/λ, w = π·exp(z) (0 below log DBL_MIN), total += w, and the flag of columns
//     with an exp argument where exp is subnormal;
void kl_weights(const double* scores, std::ptrdiff_t score_stride, std::ptrdiff_t m,
                std::ptrdiff_t batch, const double* initial, double lambda, const double* top,
                double* z, double* weight, std::ptrdiff_t stride, double* total, double* flag) {
  for (std::ptrdiff_t x = 0; x < m; ++x) {
    const double* s = scores + x * score_stride;
    double* zx = z + x * stride;
    for (std::ptrdiff_t b = 0; b < batch; ++b) zx[b] = (s[b] - top[b]) / lambda;
  }
  // One exp loop over the whole block when it is contiguous: a narrow batch (the regret search's
  // dozens of columns) would leave each row's loop mostly a latency-bound remainder.
  if (stride == batch)
    exp_nonpositive(z, weight, m * batch);
  else
    for (std::ptrdiff_t x = 0; x < m; ++x)
      exp_nonpositive(z + x * stride, weight + x * stride, batch);
  for (std::ptrdiff_t x = 0; x < m; ++x) {
    const double* zx = z + x * stride;
    double* wx = weight + x * stride;
    const double p = initial[x];
    for (std::ptrdiff_t b = 0; b < batch; ++b) {
      wx[b] = p * wx[b];
      total[b] += wx[b];
      flag[b] = zx[b] < kLogMinNormal && zx[b] >= kExpZero ? 1.0 : flag[b];
    }
  }
}

//  2: p = w/total and Σ p·(s − top).
void kl_policy(const double* scores, std::ptrdiff_t score_stride, std::ptrdiff_t m,
               std::ptrdiff_t batch, const double* top, const double* weight, std::ptrdiff_t stride,
               const double* total, double* policy, std::ptrdiff_t policy_stride, double* gap_sum) {
  for (std::ptrdiff_t x = 0; x < m; ++x) {
    const double *s = scores + x * score_stride, *wx = weight + x * stride;
    double* px = policy + x * policy_stride;
    for (std::ptrdiff_t b = 0; b < batch; ++b) {
      px[b] = wx[b] / total[b];
      gap_sum[b] += px[b] * (s[b] - top[b]);
    }
  }
}

// The top and bottom score of every column, and the flag of columns with a non-finite score
// (Σ s·0 is NaN exactly then).
void column_extremes(const double* scores, std::ptrdiff_t score_stride, std::ptrdiff_t m,
                     std::ptrdiff_t batch, double* top, double* low, double* nonfinite,
                     double* flag) {
  for (std::ptrdiff_t b = 0; b < batch; ++b) {
    top[b] = low[b] = scores[b];
    nonfinite[b] = scores[b] * 0.0;
  }
  for (std::ptrdiff_t x = 1; x < m; ++x) {
    const double* s = scores + x * score_stride;
    for (std::ptrdiff_t b = 0; b < batch; ++b) {
      top[b] = max_of(top[b], s[b]);
      low[b] = min_of(low[b], s[b]);
      nonfinite[b] += s[b] * 0.0;
    }
  }
  for (std::ptrdiff_t b = 0; b < batch; ++b) flag[b] = nonfinite[b] == 0.0 ? flag[b] : 1.0;
}

}  // namespace mechcheck::MECHCHECK_BATCH_KERNEL_NAMESPACE

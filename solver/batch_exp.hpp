#pragma once
// The batch route's exp (solver/batch_sw_max.hpp): a plain loop the compiler vectorizes.
#include <Eigen/Core>
#include <algorithm>
#include <bit>
#include <cstdint>

namespace mechcheck {

inline constexpr double kLogMinNormal = -708.3964185322641;  // log(2^−1022), rounded down

// exp(z) for z ≤ 0; 0 below log(DBL_MIN). n = round(z/ln 2) by the 1.5·2^52 shifter (its low bits
// are then n), r = z − n·ln 2 with ln 2 split Cody–Waite (n·ln2_hi exact), exp(r) = 1 + (r +
// r²·Q(r)) with Q the Taylor series to r^13/13! (truncation < 5e-18 on |r| ≤ ln2/2), 2^n from
// exponent bits (n ≥ −1022: a normal scale). Compile without FMA contraction for reproducible bits.
inline void exp_nonpositive_loop(const double* z, double* out, Eigen::Index count) {
  constexpr double log2e = 1.4426950408889634, shifter = 0x1.8p52;
  constexpr double ln2_hi = 0x1.62e42fee00000p-1, ln2_lo = 0x1.a39ef35793c76p-33;
  constexpr std::int64_t shifter_bits = std::bit_cast<std::int64_t>(shifter);
  constexpr double c2 = 1.0 / 2, c3 = 1.0 / 6, c4 = 1.0 / 24, c5 = 1.0 / 120, c6 = 1.0 / 720,
                   c7 = 1.0 / 5040, c8 = 1.0 / 40320, c9 = 1.0 / 362880, c10 = 1.0 / 3628800,
                   c11 = 1.0 / 39916800, c12 = 1.0 / 479001600, c13 = 1.0 / 6227020800;
  for (Eigen::Index i = 0; i < count; ++i) {
    const double x = std::max(z[i], kLogMinNormal);
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
    const std::int64_t exponent = std::bit_cast<std::int64_t>(t) - shifter_bits;  // n
    const double scale = std::bit_cast<double>((exponent + 1023) << 52);
    const double keep = static_cast<double>(z[i] >= kLogMinNormal);  // no branch: vectorizes
    out[i] = p * scale * keep;
  }
}

}  // namespace mechcheck

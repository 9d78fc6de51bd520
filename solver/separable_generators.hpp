#pragma once
// Convex generators f = λ·f₀ of separable f-divergences, each given by f, f′ and (f′)⁻¹ — all
// the generic SW-Max solver needs. Conventions for fprime_inverse(y): 0 when y ≤ f′₊(0) (the
// boundary: the outcome gets no mass), +∞ when y ≥ sup f′.
#include <cmath>
#include <limits>

namespace mechcheck {

template <class S>
S positive_infinity() {
  return std::numeric_limits<S>::infinity();
}

// One term of D_f written as f(r) − f′(1)(r − 1): the same sum (Σ π(r − 1) = 0), but without the
// linear parts that cancel only up to λ·(Σp − 1) — rounding that dominates when λ ≫ scores
// (fuzz finding: reverse KL at λ = 10¹² gave D = −7e-5). Each term is ≥ 0 by convexity (f(1) = 0),
// so rounding below zero is clamped.
template <class S, class Generator>
S centred_divergence_term(const Generator& generator, const S& r) {
  const S term = generator.f(r) - generator.fprime(S(1)) * (r - 1);
  return term > 0 ? term : S(0);
}

// Generators whose f′ is bounded above (g = (f′)⁻¹ blows up at y → sup f′) also give g in terms
// of the distance z = sup f′ − y > 0, computed without forming y: an outcome with tiny π takes
// mass only when its y is within a relative 10⁻¹⁵⁰ of sup f′, far below the working precision,
// while z itself is an ordinary number (separable_solver.hpp).
//   sup_fprime():            sup f′
//   inverse_below_sup(z):    g(sup f′ − z)
//   distance_for_ratio(r):   the z with g(sup f′ − z) = r

// Reverse KL: f(r) = −λ log r. f′(r) = −λ/r ranges over (−∞, 0).
template <class S>
struct ReverseKlGenerator {
  S lambda;
  S sup_fprime() const { return S(0); }
  S inverse_below_sup(const S& z) const { return lambda / z; }
  S distance_for_ratio(const S& r) const { return lambda / r; }
  S f(const S& r) const {
    using std::log;
    return r == 0 ? positive_infinity<S>() : S(-lambda * log(r));
  }
  S fprime(const S& r) const { return -lambda / r; }
  S fprime_inverse(const S& y) const { return y >= 0 ? positive_infinity<S>() : S(-lambda / y); }
};

// Squared Hellinger: f(r) = λ(√r − 1)². f′(r) = λ(1 − 1/√r) ranges over (−∞, λ).
template <class S>
struct HellingerGenerator {
  S lambda;
  S sup_fprime() const { return lambda; }
  S inverse_below_sup(const S& z) const {
    const S d = z / lambda;  // 1 − y/λ without the cancellation
    return 1 / (d * d);
  }
  S distance_for_ratio(const S& r) const {
    using std::sqrt;
    return lambda / sqrt(r);
  }
  S f(const S& r) const {
    using std::sqrt;
    S d = sqrt(r) - 1;
    return lambda * d * d;
  }
  S fprime(const S& r) const {
    using std::sqrt;
    return lambda * (1 - 1 / sqrt(r));
  }
  S fprime_inverse(const S& y) const {
    if (y >= lambda) return positive_infinity<S>();
    S d = 1 - y / lambda;
    return 1 / (d * d);
  }
};

// KL: f(r) = λ r log r, (f′)⁻¹(y) = exp(y/λ − 1). The closed form in kl_solver.hpp is what
// mechcheck uses; this generator lets tests cross-check it against the generic root find.
template <class S>
struct KlGenerator {
  S lambda;
  S f(const S& r) const {
    using std::log;
    return r == 0 ? S(0) : S(lambda * r * log(r));
  }
  S fprime(const S& r) const {
    using std::log;
    return lambda * (log(r) + 1);
  }
  S fprime_inverse(const S& y) const {
    using std::exp;
    return exp(y / lambda - 1);
  }
};

// χ²: f(r) = λ(r − 1)², (f′)⁻¹(y) = max(0, 1 + y/(2λ)). Cross-check twin of chi2_solver.hpp.
template <class S>
struct Chi2Generator {
  S lambda;
  S f(const S& r) const { return lambda * (r - 1) * (r - 1); }
  S fprime(const S& r) const { return 2 * lambda * (r - 1); }
  S fprime_inverse(const S& y) const {
    S r = 1 + y / (2 * lambda);
    return r > 0 ? r : S(0);
  }
};

}  // namespace mechcheck

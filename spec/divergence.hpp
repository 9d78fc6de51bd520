#pragma once
// The f-divergences mechcheck knows by name. D_f(p‖π) = Σ_x π(x) f(p(x)/π(x)), f = λ·f₀.
#include <optional>
#include <string>
#include <string_view>

namespace mechcheck {

enum class DivergenceKind {
  kl,          // f₀(r) = r log r
  chi2,        // f₀(r) = (r − 1)²
  tv,          // f₀(r) = |r − 1|
  reverse_kl,  // f₀(r) = −log r
  hellinger,   // f₀(r) = (√r − 1)²  (squared Hellinger)
};

std::string_view divergence_name(DivergenceKind kind);
std::optional<DivergenceKind> parse_divergence(std::string_view name);
// "kl, chi2, tv, reverse-kl, hellinger": for error messages and help.
std::string divergence_names();

// Whether the SW-Max optimum is rational for rational inputs, so exact arithmetic applies.
bool has_rational_optimum(DivergenceKind kind);

}  // namespace mechcheck

#include "spec/divergence.hpp"

#include <array>
#include <utility>

namespace mechcheck {
namespace {
constexpr std::array<std::pair<DivergenceKind, std::string_view>, 5> kNames{{
    {DivergenceKind::kl, "kl"},
    {DivergenceKind::chi2, "chi2"},
    {DivergenceKind::tv, "tv"},
    {DivergenceKind::reverse_kl, "reverse-kl"},
    {DivergenceKind::hellinger, "hellinger"},
}};
}  // namespace

std::string_view divergence_name(DivergenceKind kind) {
  for (const auto& [k, name] : kNames)
    if (k == kind) return name;
  return "unknown";
}

std::optional<DivergenceKind> parse_divergence(std::string_view name) {
  for (const auto& [k, known] : kNames)
    if (known == name) return k;
  return std::nullopt;
}

std::string divergence_names() {
  std::string out;
  for (const auto& [k, name] : kNames) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

bool has_rational_optimum(DivergenceKind kind) {
  return kind == DivergenceKind::chi2 || kind == DivergenceKind::tv;
}

}  // namespace mechcheck

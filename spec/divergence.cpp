#include "spec/divergence.hpp"

#include "spec/enum_names.hpp"

namespace mechcheck {
namespace {
constexpr EnumName<DivergenceKind> kNames[] = {{DivergenceKind::kl, "kl"},
                                               {DivergenceKind::chi2, "chi2"},
                                               {DivergenceKind::tv, "tv"},
                                               {DivergenceKind::reverse_kl, "reverse-kl"},
                                               {DivergenceKind::hellinger, "hellinger"}};
}  // namespace

std::string_view divergence_name(DivergenceKind kind) { return name_of(kNames, kind); }

std::optional<DivergenceKind> parse_divergence(std::string_view name) {
  return value_of(kNames, name);
}

std::string divergence_names() {
  std::string out;
  for (const auto& entry : kNames) out += (out.empty() ? "" : ", ") + std::string(entry.name);
  return out;
}

bool has_rational_optimum(DivergenceKind kind) {
  return kind == DivergenceKind::chi2 || kind == DivergenceKind::tv;
}

}  // namespace mechcheck

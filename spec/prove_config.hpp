#pragma once
// `mechcheck prove` configs: a mechanism as for `check` (extra `check` fields are ignored), with
// the initial model and λ fixed when given and symbolic within bounds when not:
//   "rule": {"type": "sw-max", "divergence": "chi2" | "tv", "lambda": λ | {"min": a, "max": b}}
//   "rule": {"type": "candidates", "divergence": "chi2" | "tv", "lambda": ..., "policies": [[...]]}
//   "initial": [...] | "uniform" | {"min": a} (symbolic, π(x) ≥ a) | absent (symbolic, π > 0)
//   "outcomes": m, "groups": n, "interior": true (χ² interior optima only),
//   "noise": {"epsilon": ε, "bound": c}, "timeout": seconds, "samples": k, "seed": s
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "spec/smt_mechanism.hpp"

namespace mechcheck {

struct ProveConfig {
  smt::SmtMechanism mechanism;
  // A fixed initial model or candidate policies fix the outcome count; "outcomes" is a default
  // the command line overrides.
  bool outcomes_fixed = false;
  bool uniform_initial = false;  // "initial": "uniform", for whatever outcome count is chosen
  std::optional<Rational> epsilon, bound_factor;
  std::optional<double> timeout_seconds;
  std::optional<std::uint64_t> samples, seed;
};

// Throws SpecError naming the field.
ProveConfig read_prove_config(const nlohmann::json& document);

// Applies command-line sizes (when given) and resolves a uniform initial model.
void set_prove_sizes(ProveConfig& config, std::optional<std::size_t> outcomes,
                     std::optional<std::size_t> groups);

}  // namespace mechcheck

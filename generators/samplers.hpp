#pragma once
// Seeded samplers of exact game data: reward models of every shape the checks need, initial
// models, sizes and whole instances. All values are rationals with small denominators, so
// any instance can be solved exactly (χ², TV) and printed readably.
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generators/rng.hpp"
#include "spec/generator_spec.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

// Resolution of sampled rationals: entries are k/kGrain before normalization.
inline constexpr int kGrain = 1000;

// A normalized reward model of `m` outcomes. uniform: uniform on the simplex (sum) or on the
// cube (max), discretized; with_zeros: about a third of the outcomes at 0; ties: values drawn
// from three levels; constant: the same value everywhere; one_hot: 1 on one outcome;
// mixed: one of the others at random.
std::vector<Rational> sample_reward(Rng& rng, std::size_t m, Normalization normalization,
                                    RewardShape shape);

// uniform: 1/m; random: uniform on the simplex (strictly positive); skewed: one outcome with
// mass between 1e-6 and 1e-2, as in the IR construction of Thm 4.11.
std::vector<Rational> sample_initial(Rng& rng, std::size_t m, InitialShape shape);

// A whole instance of the given mechanism (rule, payment, normalization, w̄ taken from
// `mechanism`; its groups and initial model are replaced).
Instance sample_instance(Rng& rng, const Instance& mechanism, const GeneratorSpec& spec);

// Exact normalization of non-negative weights (all-zero weights become uniform).
std::vector<Rational> normalize_weights(const std::vector<Rational>& weights,
                                        Normalization normalization);

}  // namespace mechcheck

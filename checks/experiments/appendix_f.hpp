#pragma once
// The synthetic RLHF Game of Appendix F (Table 1): random groups, the Thm 4.2 polarizing
// misreport by group 1 at several ε, and the mean/std change of its valuation and utility
// under the affine-maximizer payment. The paper gives n = 5, m = 10, U[0,1] preferences,
// sizes in {1..10}, 100,000 samples and seven ε; it does not state λ, the divergence or the
// initial model — the defaults here (KL, λ = 1, uniform π, sum normalization) are mechcheck's.
#include <cstdint>
#include <vector>

#include "solver/precision.hpp"
#include "spec/divergence.hpp"
#include "spec/generator_spec.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

struct AppendixFOptions {
  int groups = 5;
  int outcomes = 10;
  Rational lambda{1};
  DivergenceKind divergence = DivergenceKind::kl;
  InitialShape initial = InitialShape::uniform;
  int min_size = 1, max_size = 10;
  std::vector<double> epsilons{0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1};
  std::uint64_t samples = 100000;
  std::uint64_t seed = 1;
  Normalization normalization = Normalization::sum;
  int threads = 1;
  Precision precision = Precision::binary64;
  // Double only: solve the samples of a chunk together (BatchSwMaxSolver) rather than one game at
  // a time; KL results then differ by exp/log rounding (≤ 1e-15 absolute in the table), χ² not.
  bool batched = true;
};

struct Moments {
  double mean = 0, std = 0;
};

struct AppendixFRow {
  double epsilon = 0;
  Moments delta_valuation, delta_utility;
};

// Rows in the order of options.epsilons. Deterministic for any thread count.
std::vector<AppendixFRow> run_appendix_f(const AppendixFOptions& options);

}  // namespace mechcheck

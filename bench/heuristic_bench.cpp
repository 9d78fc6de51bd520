// Section 4.4's payments against the exact p^AFF (issue #12): one mechanism run (ψ and every
// group's payment) on a KL game with n = 5 groups and m = 10 outcomes, in double, for
//   affine maximizer  ψ exact, n leave-one-out exact solves;
//   heuristic 1       ψ trained by T steps, the T + 1 iterates reused for every payment;
//   heuristic 2       ψ exact, n early-stopped runs of T steps on the others' reports;
// and the trained rule with the exact p^AFF, T ∈ {1, 10, 100}. Counter "solves" is the number of
// KL solves (closed-form iterates count as one each) per mechanism run. bench/README.md has the
// table; run with --benchmark_repetitions=5.
#include <benchmark/benchmark.h>

#include "generators/rng.hpp"
#include "generators/samplers.hpp"
#include "solver/instance_solver.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {
namespace {

Instance kl_game(std::uint64_t seed) {
  Instance mechanism;
  mechanism.normalization = Normalization::sum;
  mechanism.max_group_size = 10;
  mechanism.rule = TrainingRule{RuleType::sw_max, DivergenceKind::kl, Rational(1, 2)};
  GeneratorSpec spec;
  spec.min_outcomes = spec.max_outcomes = 10;
  spec.min_groups = spec.max_groups = 5;
  Rng rng = Rng::stream(seed, 0);
  return sample_instance(rng, mechanism, spec);
}

Trainer mirror_descent(long steps) {
  return Trainer{TrainerMethod::mirror_descent, static_cast<std::uint64_t>(steps), Rational(1)};
}

void run_mechanism_once(benchmark::State& state, const Instance& instance, double solves) {
  const Mechanism<double> mechanism = mechanism_of<double>(instance);
  const Profile<double> profile = profile_of<double>(instance);
  for (auto _ : state) benchmark::DoNotOptimize(run_mechanism(mechanism, profile).payments);
  state.counters["solves"] = solves;
}

void BM_AffineMaximizer(benchmark::State& state) { run_mechanism_once(state, kl_game(1), 1 + 5); }

void BM_HeuristicOne(benchmark::State& state) {
  Instance instance = kl_game(1);
  instance.rule.type = RuleType::trained;
  instance.rule.trainer = mirror_descent(state.range(0));
  instance.payment.type = PaymentType::heuristic_1;
  // The rule's iterate, then the T + 1 iterates (θ₀ = π costs nothing) shared by all payments.
  run_mechanism_once(state, instance, 1 + static_cast<double>(state.range(0)));
}

void BM_HeuristicTwo(benchmark::State& state) {
  Instance instance = kl_game(1);
  instance.payment.type = PaymentType::heuristic_2;
  instance.payment.trainer = mirror_descent(state.range(0));
  // Mirror descent's T-th iterate is one closed-form solve: 1 + n.
  run_mechanism_once(state, instance, 1 + 5);
}

void BM_TrainedWithAffineMaximizer(benchmark::State& state) {
  Instance instance = kl_game(1);
  instance.rule.type = RuleType::trained;
  instance.rule.trainer = mirror_descent(state.range(0));
  run_mechanism_once(state, instance, 1 + 5);
}

// Projected gradient on χ², where every step is paid for: heuristic 2's n runs of T steps.
void BM_HeuristicTwoChi2(benchmark::State& state) {
  Instance instance = kl_game(1);
  instance.rule.divergence = DivergenceKind::chi2;
  instance.payment.type = PaymentType::heuristic_2;
  instance.payment.trainer = Trainer{TrainerMethod::projected_gradient,
                                     static_cast<std::uint64_t>(state.range(0)), Rational(1, 100)};
  run_mechanism_once(state, instance, 1 + 5 * static_cast<double>(state.range(0)));
}

void BM_AffineMaximizerChi2(benchmark::State& state) {
  Instance instance = kl_game(1);
  instance.rule.divergence = DivergenceKind::chi2;
  run_mechanism_once(state, instance, 1 + 5);
}

BENCHMARK(BM_AffineMaximizer);
BENCHMARK(BM_HeuristicOne)->Arg(1)->Arg(10)->Arg(100);
BENCHMARK(BM_HeuristicTwo)->Arg(1)->Arg(10)->Arg(100);
BENCHMARK(BM_TrainedWithAffineMaximizer)->Arg(1)->Arg(10)->Arg(100);
BENCHMARK(BM_AffineMaximizerChi2);
BENCHMARK(BM_HeuristicTwoChi2)->Arg(1)->Arg(10)->Arg(100);

}  // namespace
}  // namespace mechcheck

BENCHMARK_MAIN();

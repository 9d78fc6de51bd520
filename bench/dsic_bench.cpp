// DSIC regret search benchmarks (bench/README.md): what one instance of
// bench/configs/dsic-1000.json costs `mechcheck check`, and what that cost is made of.
//
// The instances are the config's own: instance k is sampled exactly as run_checks does
// (Rng::stream(seed, k), sample_instance) and checked with the same per-instance stream, so
// `dsic/...` times what `mechcheck check bench/configs/dsic-1000.json` does per instance (minus
// the JSON report). Each benchmark cycles through the first 64 instances. Names:
//   dsic/check/kl/m:10/n:5       check_dsic with effort "default" (standard): 5 regret searches
//   dsic/sample/kl/m:10/n:5      sample_instance alone (run_checks does it per instance)
//   dsic/setup/kl/m:10/n:5       mechanism_of + profile_of + 5 DeviationEvaluator constructions
//   dsic/evaluate/kl/m:10/n:5    one DeviationEvaluator::evaluate (the unit of the search)
//   dsic/solve/kl/m:10/n:5       one solve_sw_max on the same scores (the solver inside it)
// Counters: evaluations per check (from the check's evidence), instances/s, evaluations/s.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "checks/check_runner.hpp"
#include "checks/rlhf_checks.hpp"
#include "generators/rng.hpp"
#include "generators/samplers.hpp"
#include "mechanisms/rlhf_game/deviation_evaluator.hpp"
#include "spec/check_config.hpp"
#include "spec/exact_json.hpp"
#include "spec/spec_error.hpp"

#ifndef MECHCHECK_DSIC_BENCH_CONFIG
#define MECHCHECK_DSIC_BENCH_CONFIG "bench/configs/dsic-1000.json"
#endif

namespace mechcheck {
namespace {

constexpr std::size_t kInstances = 64;

struct Setup {
  CheckConfig config;
  std::vector<Instance> instances;
  std::vector<std::uint64_t> seeds;  // check seeds, as run_checks derives them (property 0)
};

const Setup& setup() {
  static const Setup s = [] {
    const char* path = std::getenv("DSIC_BENCH_CONFIG");
    Setup out;
    out.config = read_check_config(read_exact_json_file(path ? path : MECHCHECK_DSIC_BENCH_CONFIG));
    for (std::uint64_t k = 0; k < kInstances; ++k) {
      Rng rng = Rng::stream(out.config.seed, k);
      out.instances.push_back(sample_instance(rng, out.config.mechanism, *out.config.generator));
      // check_runner.cpp: mix64(mix64(seed ^ "check") ^ index) ^ mix64(property + 1)
      out.seeds.push_back(mix64(mix64(out.config.seed ^ 0x636865636bULL) ^ k) ^ mix64(1));
    }
    return out;
  }();
  return s;
}

CheckOptions options_for(std::size_t k) {
  CheckOptions options;
  options.effort = effort_preset(*parse_effort(setup().config.effort));
  options.seed = setup().seeds[k];
  return options;
}

void rate(benchmark::State& state, const char* name, double per_iteration = 1) {
  state.counters[name] = benchmark::Counter(static_cast<double>(state.iterations()) * per_iteration,
                                            benchmark::Counter::kIsRate);
}

void check(benchmark::State& state) {
  const Setup& s = setup();
  std::size_t k = 0;
  double evaluations = 0;
  long violated = 0;
  for (auto _ : state) {
    PropertyResult result = check_dsic(s.instances[k], options_for(k));
    evaluations += static_cast<double>(result.evidence.evaluations.value_or(0));
    violated += result.verdict != Verdict::holds;
    benchmark::DoNotOptimize(result.verdict);
    k = (k + 1) % kInstances;
  }
  state.counters["evaluations_per_check"] = evaluations / static_cast<double>(state.iterations());
  state.counters["not_holding"] = static_cast<double>(violated);
  rate(state, "instances_per_s");
  state.counters["evaluations_per_s"] =
      benchmark::Counter(evaluations, benchmark::Counter::kIsRate);
}

void sample(benchmark::State& state) {
  const Setup& s = setup();
  std::uint64_t k = 0;
  for (auto _ : state) {
    Rng rng = Rng::stream(s.config.seed, k++ % kInstances);
    Instance instance = sample_instance(rng, s.config.mechanism, *s.config.generator);
    benchmark::DoNotOptimize(instance.groups.data());
  }
  rate(state, "instances_per_s");
}

void evaluator_setup(benchmark::State& state) {
  const Setup& s = setup();
  std::size_t k = 0;
  for (auto _ : state) {
    const Instance& instance = s.instances[k];
    const Mechanism<double> mechanism = mechanism_of<double>(instance);
    const Profile<double> truth = profile_of<double>(instance);
    for (Eigen::Index i = 0; i < truth.group_count(); ++i) {
      DeviationEvaluator<double> evaluator(mechanism, truth, i);
      benchmark::DoNotOptimize(evaluator.truthful().utility);
    }
    k = (k + 1) % kInstances;
  }
  rate(state, "instances_per_s");
}

// Evaluators for group 0 of every instance and a fixed set of reports near the truth.
struct EvaluatorSet {
  std::vector<DeviationEvaluator<double>> evaluators;
  std::vector<Report<double>> reports;
};

const EvaluatorSet& evaluator_set() {
  static const EvaluatorSet set = [] {
    EvaluatorSet out;
    for (const Instance& instance : setup().instances) {
      out.evaluators.emplace_back(mechanism_of<double>(instance), profile_of<double>(instance), 0);
      Report<double> report = out.evaluators.back().truth();
      report.reward[0] += 1e-3;  // any valid-ish report: the solve does not care
      out.reports.push_back(report);
    }
    return out;
  }();
  return set;
}

void evaluate(benchmark::State& state) {
  const EvaluatorSet& set = evaluator_set();
  std::size_t k = 0;
  for (auto _ : state) {
    Evaluation<double> e = set.evaluators[k].evaluate(set.reports[k]);
    benchmark::DoNotOptimize(e.utility);
    k = (k + 1) % kInstances;
  }
  rate(state, "evaluations_per_s");
}

void solve(benchmark::State& state) {
  const EvaluatorSet& set = evaluator_set();
  std::vector<Vector<double>> scores;
  for (const Instance& instance : setup().instances)
    scores.push_back(aggregate_scores(profile_of<double>(instance)));
  std::size_t k = 0;
  for (auto _ : state) {
    const Mechanism<double>& mechanism = set.evaluators[k].mechanism();
    PolicySolution<double> solution = solve_sw_max(mechanism.rule, scores[k], mechanism.initial);
    benchmark::DoNotOptimize(solution.objective);
    k = (k + 1) % kInstances;
  }
  rate(state, "solves_per_s");
}

}  // namespace
}  // namespace mechcheck

int main(int argc, char** argv) {
  try {
    mechcheck::setup();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "dsic_bench: %s (set DSIC_BENCH_CONFIG)\n", error.what());
    return 1;
  }
  benchmark::RegisterBenchmark("dsic/check/kl/m:10/n:5", mechcheck::check)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("dsic/sample/kl/m:10/n:5", mechcheck::sample)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("dsic/setup/kl/m:10/n:5", mechcheck::evaluator_setup)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("dsic/evaluate/kl/m:10/n:5", mechcheck::evaluate);
  benchmark::RegisterBenchmark("dsic/solve/kl/m:10/n:5", mechcheck::solve);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

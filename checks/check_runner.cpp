#include "checks/check_runner.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <mutex>

#include "generators/rng.hpp"
#include "generators/samplers.hpp"

namespace mechcheck {

CheckRun run_checks(const CheckConfig& config, const RunOptions& options) {
  CheckRun run;
  for (const std::string& name : config.properties) run.properties.push_back(*parse_property(name));
  const std::uint64_t total = config.generator ? options.instance_count : config.instances.size();
  for (std::uint64_t k = options.shard_index; k < total; k += options.shard_count) {
    InstanceOutcome outcome;
    outcome.index = k;
    run.instances.push_back(std::move(outcome));
  }
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  auto check_one = [&](InstanceOutcome& outcome) {
    if (config.generator) {
      Rng rng = Rng::stream(options.seed, outcome.index);
      outcome.instance = sample_instance(rng, config.mechanism, *config.generator);
    } else {
      outcome.instance = config.instances[outcome.index];
    }
    for (std::size_t p = 0; p < run.properties.size(); ++p) {
      CheckOptions check;
      check.effort = effort_preset(options.effort);
      check.seed = mix64(mix64(options.seed ^ 0x636865636bULL) ^ outcome.index) ^ mix64(p + 1);
      check.noise_epsilon = config.noise_epsilon.value_or(Rational(0));
      try {
        outcome.results.push_back(check_property(run.properties[p], outcome.instance, check));
      } catch (const std::exception& error) {  // a solver failure is not a pass
        PropertyResult failed;
        failed.verdict = Verdict::inconclusive;
        failed.evidence = {{"error", error.what()}};
        outcome.results.push_back(std::move(failed));
      }
    }
    const std::size_t finished = ++done;
    if (options.progress) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      options.progress(finished, run.instances.size());
    }
  };
  tbb::task_arena arena(std::max(1, options.threads));
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, run.instances.size(),
                      [&](std::size_t k) { check_one(run.instances[k]); });
  });
  return run;
}

Verdict property_verdict(const CheckRun& run, std::size_t property_position) {
  Verdict verdict = Verdict::holds;
  for (const InstanceOutcome& outcome : run.instances)
    verdict = combine(verdict, outcome.results[property_position].verdict);
  return verdict;
}

Verdict overall_verdict(const CheckRun& run) {
  Verdict verdict = Verdict::holds;
  for (std::size_t p = 0; p < run.properties.size(); ++p)
    verdict = combine(verdict, property_verdict(run, p));
  return verdict;
}

}  // namespace mechcheck

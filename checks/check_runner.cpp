#include "checks/check_runner.hpp"

#include <atomic>
#include <mutex>

#include "checks/parallel.hpp"
#include "checks/property_checks.hpp"
#include "mechanisms/external/external_mechanism.hpp"

namespace mechcheck {

CheckRun run_checks(const CheckSetup& setup, const RunOptions& options) {
  CheckRun run;
  run.properties = setup.properties;
  const std::uint64_t fixed = setup.source->fixed_count();
  const std::uint64_t total = fixed == 0 ? options.instance_count : fixed;
  for (std::uint64_t k = options.shard_index; k < total; k += options.shard_count) {
    InstanceOutcome outcome;
    outcome.index = k;
    run.instances.push_back(std::move(outcome));
  }
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  auto check_one = [&](InstanceOutcome& outcome) {
    outcome.game = setup.source->game(outcome.index, options.seed);
    for (std::size_t p = 0; p < run.properties.size(); ++p) {
      CheckOptions check;
      check.effort = effort_preset(options.effort);
      check.seed = mix64(mix64(options.seed ^ 0x636865636bULL) ^ outcome.index) ^ mix64(p + 1);
      check.noise_epsilon = setup.noise_epsilon.value_or(Rational(0));
      try {
        outcome.results.push_back(check_property(run.properties[p], outcome.game, check));
      } catch (const ExternalMechanismError& error) {
        // A misbehaving mechanism ends the run (bad input, not a verdict) unless the config
        // asks to record the instance as inconclusive and go on.
        if (!setup.external || !setup.external->errors_inconclusive) throw;
        CheckResult failed;
        failed.verdict = Verdict::inconclusive;
        failed.evidence.agents = outcome.game->agent_count();
        failed.evidence.reason = std::string("the mechanism failed: ") + error.what();
        outcome.results.push_back(std::move(failed));
      } catch (const std::exception& error) {  // a solver failure is not a pass
        CheckResult failed;
        failed.verdict = Verdict::inconclusive;
        failed.evidence.agents = outcome.game->agent_count();
        failed.evidence.reason = error.what();
        outcome.results.push_back(std::move(failed));
      }
    }
    const std::size_t finished = ++done;
    if (options.progress) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      options.progress(finished, run.instances.size());
    }
  };
  parallel_for_each(options.threads, run.instances.size(),
                    [&](std::size_t k) { check_one(run.instances[k]); });
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

#include "cli/check_command.hpp"

#include <fmt/format.h>
#include <malloc.h>
#include <unistd.h>

#include <ostream>

#include "cli/file_output.hpp"
#include "cli/interruption.hpp"
#include "cli/memory_budget.hpp"
#include "cli/option_parsing.hpp"
#include "cli/shard_option.hpp"
#include "mechanisms/external/external_mechanism.hpp"
#include "mechanisms/family.hpp"
#include "report/check_report.hpp"
#include "report/report_identity.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {
namespace {

using json = nlohmann::json;

// The instances this shard checks.
std::uint64_t shard_instances(const CheckSetup& setup, const RunOptions& run_options) {
  const std::uint64_t fixed = setup.source->fixed_count();
  const std::uint64_t total = fixed == 0 ? run_options.instance_count : fixed;
  if (run_options.shard_index >= total) return 0;
  return (total - run_options.shard_index + run_options.shard_count - 1) / run_options.shard_count;
}

// Refuses (SpecError naming --max-memory) a run whose results, report and witnesses would not
// fit the budget. A game's size is measured, as the heap it takes (mallinfo2), on the shard's
// first few games, the largest doubled: generated games vary in size within the config's ranges.
void require_check_within_budget(const CheckSetup& setup, const RunOptions& run_options,
                                 const MemoryBudget& budget) {
  const std::uint64_t instances = shard_instances(setup, run_options);
  std::uint64_t game_bytes = 0;
  std::size_t agents = 0;
  for (std::uint64_t k = run_options.shard_index, samples = 0; samples < 8 && samples < instances;
       ++samples, k += run_options.shard_count) {
    const std::size_t before = ::mallinfo2().uordblks;
    const std::shared_ptr<const Game> game = setup.source->game(k, run_options.seed);
    const std::size_t after = ::mallinfo2().uordblks;
    game_bytes = std::max<std::uint64_t>(game_bytes, after > before ? after - before : 0);
    agents = std::max(agents, game->agent_count());
  }
  // Without malloc statistics (a sanitizer's allocator) a game is taken to be 16 KiB.
  game_bytes = game_bytes == 0 ? 16 * 1024 : 2 * game_bytes;
  const std::uint64_t needed =
      check_memory_bytes(instances, setup.properties.size(), game_bytes, agents);
  require_within_budget(
      budget, needed,
      fmt::format("the run of {} instances and {} properties", instances, setup.properties.size()),
      fmt::format("results, report and, were every result violated, witnesses; {} a game",
                  format_bytes(game_bytes)),
      "check fewer instances per process (--instances, or split the run with --shard k/N)");
}

}  // namespace

json config_as_run(json document, const RunOptions& run_options, const std::string& effort) {
  if (!document.is_object()) return document;
  document["seed"] = run_options.seed;
  document["instance_count"] = run_options.instance_count;
  document["effort"] = effort;
  return document;
}

void print_check_summary(const std::vector<PropertySummary>& summaries, std::size_t instances,
                         std::ostream& out) {
  Verdict overall = Verdict::holds;
  for (const PropertySummary& summary : summaries) {
    out << fmt::format("{:<12} {:<13} {} instances, {} violated, {} inconclusive",
                       property_name(summary.property), verdict_name(summary.verdict), instances,
                       summary.violations, summary.inconclusive);
    if (summary.unconfirmed > 0)
      out << fmt::format(" ({} held although a float finding did not stand when re-measured)",
                         summary.unconfirmed);
    out << "\n";
    overall = combine(overall, summary.verdict);
  }
  out << "verdict: " << verdict_name(overall) << "\n";
}

int run_check(const CheckCommandOptions& options, std::ostream& out, std::ostream& err) {
  CheckSetup setup;
  RunOptions run_options;
  json document;
  ShardSelection shard;
  MemoryBudget budget;
  try {
    budget = memory_budget(options.max_memory);
    document = read_exact_json_file(options.config_path);
    if (options.mechanism)
      document = with_mechanism_option(std::move(document), *options.mechanism);
    setup = family_of(document).read_check_config(document);
    shard = resolve_shard_option("--shard", options.shard, process_environment());
    run_options.shard_index = shard.index;
    run_options.shard_count = shard.count;
    // Every destination is checked before the run: a bad path fails before any verdict.
    if (!options.report_path.empty()) OutputTransaction::preflight("--report", options.report_path);
    if (!options.junit_path.empty()) OutputTransaction::preflight("--junit", options.junit_path);
    OutputTransaction::preflight("--witness-dir", options.witness_dir + "/witness.json", true);
    if (options.threads < 1) throw SpecError("--threads", "expected >= 1");
    const std::string effort = options.effort.value_or(setup.effort);
    auto parsed = parse_effort(effort);
    if (!parsed)
      throw SpecError("--effort", "is \"" + effort + "\", expected quick, default or thorough");
    run_options.effort = *parsed;
    if (options.instances && *options.instances == 0)
      throw SpecError("--instances", "expected >= 1");
  } catch (const SpecError& error) {
    err << "mechcheck check: " << error.what() << "\n";
    return 2;
  }
  run_options.seed = options.seed.value_or(setup.seed);
  run_options.instance_count = options.instances.value_or(setup.instance_count);
  run_options.threads = options.threads;
  try {
    require_check_within_budget(setup, run_options, budget);
  } catch (const std::exception& error) {  // SpecError, or a game the source cannot make
    err << "mechcheck check: " << error.what() << "\n";
    return 2;
  }
  set_interrupted_progress_total(shard_instances(setup, run_options), "instances");
  const bool show_progress = options.progress && isatty(STDERR_FILENO);
  run_options.progress = [&err, show_progress](std::size_t done, std::size_t total) {
    set_interrupted_progress_done(done);
    if (show_progress) {
      const int width = 40,
                filled = static_cast<int>(width * done / std::max<std::size_t>(total, 1));
      err << "\r[" << std::string(static_cast<std::size_t>(filled), '=')
          << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << "/"
          << total << std::flush;
      if (done == total) err << "\n";
    }
  };

  try {
    // A misbehaving external mechanism ends the run here (exit 2, nothing written).
    const CheckRun run = run_checks(setup, run_options);
    const std::string effort = options.effort.value_or(setup.effort);
    json header = {
        {"config", options.config_path},
        {"config_sha256", config_sha256(config_as_run(std::move(document), run_options, effort))},
        {"mechcheck_version", mechcheck_version()},
        {"family", setup.family},
        {"seed", run_options.seed},
        {"shard", shard.text()},
        {"effort", effort}};
    // The program under test: its command, handshake, name and version (from init_ok).
    if (setup.external) {
      header["mechanism"] = setup.external->mechanism->record();
      header["tolerance"] = to_exact_string(setup.external->tolerance);
    }
    const CheckReport report = check_report(run, options.witness_dir, std::move(header));
    // All files are written together, then the verdict is printed.
    OutputTransaction files;
    for (const auto& [path, content] : report.witness_files) files.stage(path, content);
    if (!options.report_path.empty())
      files.stage(options.report_path, report.report.dump(2) + "\n");
    if (!options.junit_path.empty())
      files.stage(options.junit_path, junit_xml(report.summaries, shard.text()));
    files.commit();
    print_check_summary(report.summaries, run.instances.size(), out);
    const Verdict overall = overall_verdict(run);
    return overall == Verdict::holds ? 0 : overall == Verdict::violated ? 1 : 3;
  } catch (const std::exception& error) {
    err << "mechcheck check: " << error.what() << "\n";
    return 2;
  }
}

}  // namespace mechcheck::cli

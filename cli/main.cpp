// mechcheck: the thin command line. Parses options, calls the library, sets the exit code
// (0 ok, 1 violation, 2 bad input or usage, 3 inconclusive).
#include <CLI/CLI.hpp>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

#include "cli/check_command.hpp"
#include "cli/experiment_command.hpp"
#include "cli/families_command.hpp"
#include "cli/implementability_command.hpp"
#include "cli/interruption.hpp"
#include "cli/merge_command.hpp"
#include "cli/option_parsing.hpp"
#include "cli/prove_command.hpp"
#include "cli/replay_command.hpp"
#include "cli/shard_option.hpp"
#include "cli/simd_option.hpp"
#include "cli/solve_command.hpp"
#include "cli/verify_command.hpp"
#include "report/report_identity.hpp"
#include "spec/spec_error.hpp"

int main(int argc, char** argv) {
  using namespace mechcheck;
  // Before any thread starts: SIGINT/SIGTERM are then handled by one waiting thread.
  cli::install_interruption_handling();
  CLI::App app{"mechcheck: verify incentive properties of LLM fine-tuning mechanisms"};
  app.require_subcommand(1);
  // The version reports name in their header (`mechcheck_version`), so a shard's report can be
  // matched to the binary that wrote it. --help-all feeds the man page (help2man) every
  // command's options.
  app.set_version_flag("--version", "mechcheck " + mechcheck_version());
  app.set_help_all_flag("--help-all", "Print this help with every command's options and exit");

  cli::SolveOptions solve_options;
  std::string precision_text = "double", format_text = "json";
  auto* solve =
      app.add_subcommand("solve", "Solve an instance: policy, payments, valuations, utilities");
  solve->add_option("FILE", solve_options.file, "instance JSON file")->required();
  solve->add_option("--precision", precision_text, "double, 50, 100 (significant digits) or exact")
      ->check(CLI::IsMember({"double", "50", "100", "exact"}));
  solve->add_option("--format", format_text, "json or table")
      ->check(CLI::IsMember({"json", "table"}));

  cli::VerifyOptions verify_options;
  std::string only_text;
  auto* verify = app.add_subcommand("verify", "Run the paper-claims suite (the main job)");
  verify->add_option("--report", verify_options.report_path, "write the JSON report here");
  // Numeric options are read as text and validated by cli/option_parsing.hpp (see below).
  std::optional<std::string> verify_threads, verify_seed;
  verify->add_option("--threads", verify_threads, "worker threads 1..1024 (default: all cores)");
  verify->add_option("--seed", verify_seed, "seed of every sampled instance (0..2^64-1)");
  verify->add_option("--only", only_text, "comma-separated claim ids");
  verify->add_flag("--thorough", verify_options.thorough,
                   "5x the instances and the thorough search effort");
  std::optional<std::string> verify_shard;
  verify->add_option("--shard", verify_shard,
                     "k/N: run selected claims k, k+N, ... (1-based); auto: from the environment "
                     "(Slurm, Kubernetes, MECHCHECK_SHARD_INDEX/COUNT)");

  cli::CheckCommandOptions check_options;
  auto* check =
      app.add_subcommand("check", "Check DSIC/IR/nonneg/approx-dsic over a config's instances");
  check->add_option("CONFIG", check_options.config_path, "check config JSON")->required();
  std::optional<std::string> check_instances, check_seed, check_threads;
  check->add_option("--instances", check_instances,
                    "generated instances 1..1000000 (overrides the config)");
  check->add_option("--seed", check_seed, "seed 0..2^64-1 (overrides the config)");
  check->add_option("--shard", check_options.shard,
                    "k/N: check instances k, k+N, ... (1-based); auto: from the environment "
                    "(Slurm, Kubernetes, MECHCHECK_SHARD_INDEX/COUNT)");
  check->add_option("--threads", check_threads,
                    "worker threads 1..1024 (results do not depend on it)");
  check->add_option("--effort", check_options.effort,
                    "quick, default or thorough (overrides the config)");
  check->add_option("--report", check_options.report_path, "write the JSON report here");
  check->add_option("--junit", check_options.junit_path, "write JUnit XML here");
  check->add_option("--witness-dir", check_options.witness_dir,
                    "where violation witnesses go (default ./witnesses)");
  check->add_option("--max-memory", check_options.max_memory,
                    "memory budget, e.g. 4G or 512M (default: 80% of the machine's memory)");
  check->add_option("--mechanism", check_options.mechanism,
                    "an external mechanism's command line (docs/protocol.md), e.g. 'python3 "
                    "pricing.py'; replaces the config's mechanism.external.command");

  auto* experiment = app.add_subcommand("experiment", "Reproduce the paper's experiments");
  experiment->require_subcommand(1);
  cli::AppendixFCommandOptions appendix;
  auto* appendix_f =
      experiment->add_subcommand("appendix-f", "Table 1: the polarizing misreport under p^AFF");
  std::optional<std::string> f_groups, f_outcomes, f_min_size, f_max_size, f_eps, f_samples, f_seed,
      f_threads;
  appendix_f->add_option("--groups", f_groups, "groups 1..1000 (paper: 5)");
  appendix_f->add_option("--outcomes", f_outcomes, "outcomes 2..10000 (paper: 10)");
  appendix_f->add_option("--lambda", appendix.lambda_text,
                         "regularization strength (not in the paper; default 1)");
  appendix_f->add_option("--divergence", appendix.divergence_text,
                         "kl, chi2, tv, reverse-kl, hellinger (default kl)");
  appendix_f->add_option("--initial", appendix.initial_text,
                         "uniform or random initial model (default uniform)");
  appendix_f->add_option("--min-size", f_min_size, "smallest group size (paper: 1)");
  appendix_f->add_option("--max-size", f_max_size, "largest group size (paper: 10)");
  appendix_f->add_option("--eps", f_eps,
                         "comma-separated misreport sizes >= 0, at most 20 (paper's seven)");
  appendix_f->add_option("--samples", f_samples, "sampled games 1..1000000 (paper: 100000)");
  appendix_f->add_option("--seed", f_seed, "seed 0..2^64-1");
  appendix_f->add_option("--normalization", appendix.normalization_text,
                         "sum or max (default sum)");
  appendix_f->add_option("--threads", f_threads,
                         "worker threads 1..1024 (results do not depend on it)");
  appendix_f->add_option("--precision", appendix.precision_text, "double, 50 or 100");
  appendix_f->add_option("--format", appendix.format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cli::StrategiesCommandOptions strategies;
  auto* strategies_command =
      experiment->add_subcommand("strategies", "Section 5's alpha/beta strategies for one group");
  strategies_command->add_option("INSTANCE", strategies.instance_path, "instance JSON")->required();
  std::optional<std::string> s_group, s_alpha, s_beta;
  strategies_command->add_option("--group", s_group, "the misreporting group (0-based)");
  strategies_command->add_option("--alpha", s_alpha, "comma-separated size factors > 0");
  strategies_command->add_option("--beta", s_beta, "comma-separated mixing weights");
  strategies_command->add_option("--plot", strategies.plot_path,
                                 "draw Figure 2's panels to this SVG (gnuplot)");
  strategies_command->add_option("--format", strategies.format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));

  cli::ImplementabilityCommandOptions implementability_options;
  auto* implementability = app.add_subcommand(
      "implementability", "Cycle monotonicity and payment ranges on a type grid");
  implementability
      ->add_option("INSTANCE", implementability_options.instance_path,
                   "instance JSON (the others' reports)")
      ->required();
  std::optional<std::string> i_group, i_resolution, i_sizes, i_threads;
  implementability->add_option("--group", i_group, "the group whose types vary (0-based)");
  implementability->add_option("--resolution", i_resolution, "lattice resolution q (rewards k/q)");
  implementability->add_option("--sizes", i_sizes, "comma-separated sizes (default 1..w̄)");
  implementability->add_option(
      "--precision", implementability_options.precision,
      "double, 50, 100 or exact (default: exact for sw-max with chi2/tv, else 100)");
  implementability->add_option("--report", implementability_options.report_path,
                               "also write the JSON here");
  implementability->add_option("--threads", i_threads, "worker threads 1..1024");
  implementability->add_option(
      "--types", implementability_options.types_path,
      "explicit types: a JSON array of {reward, size}, or a report (replays its negative_cycle)");
  implementability->add_option("--range", implementability_options.range,
                               "auctions: low,high of the agent's type grid (default 0 to twice "
                               "the largest type)");
  implementability->add_option(
      "--max-memory", implementability_options.max_memory,
      "memory budget, e.g. 4G or 512M (default: 80% of the machine's memory)");
  implementability->add_flag("--no-grid", implementability_options.no_grid,
                             "only the --types types and the group's own report");

  cli::ProveCommandOptions prove_options;
  auto* prove =
      app.add_subcommand("prove", "SMT proof (Z3) of a property for every report profile");
  prove
      ->add_option("CONFIG", prove_options.config_path,
                   "prove config JSON (an instance for cycle-monotone, payment-equivalence)")
      ->required();
  prove
      ->add_option("--property", prove_options.property,
                   "dsic, ir, nonneg, approx-dsic, cycle-monotone or payment-equivalence")
      ->required();
  std::optional<std::string> p_outcomes, p_groups, p_timeout, p_samples, p_seed, p_group,
      p_resolution, p_sizes;
  prove->add_option("--outcomes", p_outcomes, "outcome count m (1..1000)");
  prove->add_option("--groups", p_groups, "group count n (1..100)");
  prove->add_option("--timeout", p_timeout, "Z3 timeout in seconds (default 60)");
  prove->add_option("--smtlib", prove_options.smtlib_path, "write the query as SMT-LIB 2 here");
  prove->add_option("--witness-dir", prove_options.witness_dir,
                    "where a counterexample's witness goes (default ./witnesses)");
  prove->add_option("--epsilon", prove_options.epsilon, "approx-dsic: the noise bound");
  prove->add_option("--bound", prove_options.bound,
                    "approx-dsic: c in the gain bound c*w*eps (default 2, Thm 4.12)");
  prove->add_option("--samples", p_samples,
                    "instances of the same size cross-checked numerically, 0..100000 (default 20)");
  prove->add_option("--seed", p_seed, "seed of the cross-check instances (0..2^64-1)");
  prove->add_option("--group", p_group,
                    "cycle-monotone, payment-equivalence: the group whose types vary (0-based)");
  prove->add_option("--resolution", p_resolution,
                    "cycle-monotone, payment-equivalence: lattice resolution q (default 3)");
  prove->add_option("--sizes", p_sizes, "... comma-separated sizes (default 1..w̄)");
  prove->add_option("--types", prove_options.types_path, "... explicit types (JSON)");
  prove->add_flag("--no-grid", prove_options.no_grid, "... only the --types types");
  prove->add_flag("--exact", prove_options.exact,
                  "dsic, ir, nonneg, approx-dsic: skip the relaxed query (affine maximizer)");
  std::optional<std::string> p_threads;
  prove->add_option("--threads", p_threads,
                    "dsic, ir, nonneg, approx-dsic: cases decided at once, 1..1024 (default: all "
                    "cores; the report does not depend on it)");
  prove->add_option("--shard", prove_options.shard,
                    "dsic, ir, nonneg, approx-dsic: decide only shard k/N of the cases (or auto); "
                    "join the reports with merge");
  prove->add_option("--report", prove_options.report_path,
                    "dsic, ir, nonneg, approx-dsic: write the JSON report here (default stdout)");

  std::string families_format = "table";
  auto* families_command = app.add_subcommand(
      "families", "List the mechanism families, their parameters and properties");
  families_command->add_option("--format", families_format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));

  cli::MergeOptions merge_options;
  auto* merge = app.add_subcommand(
      "merge",
      "Join the shard reports of one check, verify or prove run into the unsharded report");
  merge->add_option("REPORT", merge_options.inputs, "shard reports (--report of each shard)")
      ->required();
  merge->add_option("--report", merge_options.report_path, "write the merged JSON report here");
  merge->add_option("--junit", merge_options.junit_path, "write JUnit XML here (check reports)");

  std::string witness_path;
  auto* replay = app.add_subcommand("replay", "Recompute a witness exactly or at 100 digits");
  replay->add_option("WITNESS", witness_path, "witness JSON written by check")->required();
  std::optional<std::string> replay_mechanism;
  replay->add_option("--mechanism", replay_mechanism,
                     "replay against this external mechanism command instead of the recorded one");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "mechcheck: " << e.what() << "\n";
    return 2;
  }

  // The batch solver's kernel variant, once, before any command runs (not for --help or a usage
  // error: those do no work).
  try {
    cli::select_simd_from_environment(cli::process_environment());
  } catch (const SpecError& error) {
    std::cerr << "mechcheck: " << error.what() << "\n";
    return 2;
  }

  std::string command_name;
  for (const CLI::App* sub = &app; !sub->get_subcommands().empty();) {
    sub = sub->get_subcommands().front();
    command_name += (command_name.empty() ? "" : " ") + sub->get_name();
  }
  cli::set_interrupted_command(command_name);

  // Every numeric option is validated before any work starts: exit 2, one line naming it.
  const auto validated = [](const char* command, auto&& convert) -> int {
    try {
      convert();
      return 0;
    } catch (const SpecError& error) {
      std::cerr << "mechcheck " << command << ": " << error.what() << "\n";
      return 2;
    }
  };
  using cli::parse_integer_option, cli::parse_seed_option, cli::parse_threads_option;
  constexpr std::uint64_t kAnyIndex = std::numeric_limits<std::uint32_t>::max();
  int option_status = 0;
  if (*verify)
    option_status = validated("verify", [&] {
      if (verify_threads)
        verify_options.threads = parse_threads_option("--threads", *verify_threads);
      if (verify_seed) verify_options.seed = parse_seed_option("--seed", *verify_seed);
      if (verify_shard) {
        const auto shard =
            cli::resolve_shard_option("--shard", *verify_shard, cli::process_environment());
        verify_options.shard_index = shard.index;
        verify_options.shard_count = shard.count;
      }
    });
  if (*check)
    option_status = validated("check", [&] {
      if (check_instances)
        check_options.instances =
            parse_integer_option("--instances", *check_instances, 1, cli::kMaxCheckInstances);
      if (check_seed) check_options.seed = parse_seed_option("--seed", *check_seed);
      if (check_threads) check_options.threads = parse_threads_option("--threads", *check_threads);
      // `auto` is read from the environment once, here; run_check records the "k/N".
      check_options.shard =
          cli::resolve_shard_option("--shard", check_options.shard, cli::process_environment())
              .text();
    });
  if (*appendix_f)
    option_status = validated("experiment appendix-f", [&] {
      AppendixFOptions& e = appendix.experiment;
      if (f_groups)
        e.groups = static_cast<int>(
            parse_integer_option("--groups", *f_groups, 1, cli::kMaxExperimentGroups));
      if (f_outcomes)
        e.outcomes = static_cast<int>(
            parse_integer_option("--outcomes", *f_outcomes, 2, cli::kMaxExperimentOutcomes));
      if (f_min_size)
        e.min_size = static_cast<int>(
            parse_integer_option("--min-size", *f_min_size, 1, cli::kMaxGroupSize));
      if (f_max_size)
        e.max_size = static_cast<int>(
            parse_integer_option("--max-size", *f_max_size, 1, cli::kMaxGroupSize));
      if (f_eps)
        e.epsilons = cli::parse_number_list_option("--eps", *f_eps, 0, cli::kMaxExperimentEpsilons);
      if (f_samples)
        e.samples = parse_integer_option("--samples", *f_samples, 1, cli::kMaxExperimentSamples);
      if (f_seed) e.seed = parse_seed_option("--seed", *f_seed);
      if (f_threads) e.threads = parse_threads_option("--threads", *f_threads);
    });
  if (*strategies_command)
    option_status = validated("experiment strategies", [&] {
      if (s_group) strategies.group = parse_integer_option("--group", *s_group, 0, kAnyIndex);
      if (s_alpha) {
        strategies.alphas = cli::parse_number_list_option("--alpha", *s_alpha, 0);
        for (double alpha : strategies.alphas)
          if (!(alpha > 0))
            throw SpecError("--alpha", "has " + std::to_string(alpha) + ", expected sizes > 0");
      }
      if (s_beta)
        strategies.betas =
            cli::parse_number_list_option("--beta", *s_beta, std::numeric_limits<double>::lowest());
    });
  if (*implementability)
    option_status = validated("implementability", [&] {
      if (i_group)
        implementability_options.group = parse_integer_option("--group", *i_group, 0, kAnyIndex);
      if (i_resolution)
        implementability_options.resolution = static_cast<int>(
            parse_integer_option("--resolution", *i_resolution, 1, cli::kMaxResolution));
      if (i_sizes)
        implementability_options.sizes =
            cli::parse_integer_list_option("--sizes", *i_sizes, 1, cli::kMaxGroupSize);
      if (i_threads)
        implementability_options.threads = parse_threads_option("--threads", *i_threads);
    });
  if (*prove)
    option_status = validated("prove", [&] {
      if (p_outcomes)
        prove_options.outcomes =
            parse_integer_option("--outcomes", *p_outcomes, 1, cli::kMaxProveOutcomes);
      if (p_groups)
        prove_options.groups = parse_integer_option("--groups", *p_groups, 1, cli::kMaxProveGroups);
      if (p_timeout)
        prove_options.timeout_seconds = cli::parse_number_option("--timeout", *p_timeout, 0);
      if (p_samples)
        prove_options.samples =
            parse_integer_option("--samples", *p_samples, 0, cli::kMaxProveSamples);
      if (p_seed) prove_options.seed = parse_seed_option("--seed", *p_seed);
      if (p_group) prove_options.group = parse_integer_option("--group", *p_group, 0, kAnyIndex);
      if (p_resolution)
        prove_options.resolution = static_cast<int>(
            parse_integer_option("--resolution", *p_resolution, 1, cli::kMaxResolution));
      if (p_sizes)
        prove_options.sizes =
            cli::parse_integer_list_option("--sizes", *p_sizes, 1, cli::kMaxGroupSize);
      if (p_threads) prove_options.threads = parse_threads_option("--threads", *p_threads);
    });
  if (option_status != 0) return option_status;

  try {
    if (*solve) {
      solve_options.precision = *parse_precision(precision_text);
      solve_options.table = format_text == "table";
      return cli::run_solve(solve_options, std::cout, std::cerr);
    }
    if (*families_command) return cli::run_families(families_format == "json", std::cout);
    if (*check) return cli::run_check(check_options, std::cout, std::cerr);
    if (*merge) return cli::run_merge(merge_options, std::cout, std::cerr);
    if (*prove) return cli::run_prove(prove_options, std::cout, std::cerr);
    if (*replay) return cli::run_replay(witness_path, replay_mechanism, std::cout, std::cerr);
    if (*implementability)
      return cli::run_implementability(implementability_options, std::cout, std::cerr);
    if (*appendix_f) return cli::run_appendix_f_command(appendix, std::cout, std::cerr);
    if (*strategies_command) return cli::run_strategies_command(strategies, std::cout, std::cerr);
    if (!only_text.empty()) {
      std::stringstream ids(only_text);
      for (std::string id; std::getline(ids, id, ',');) verify_options.only.push_back(id);
    }
    return cli::run_verify(verify_options, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "mechcheck: internal error: " << e.what() << "\n";
    return 3;
  }
}

// mechcheck: the thin command line. Parses options, calls the library, sets the exit code
// (0 ok, 1 violation, 2 bad input or usage, 3 inconclusive).
#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "cli/check_command.hpp"
#include "cli/experiment_command.hpp"
#include "cli/families_command.hpp"
#include "cli/implementability_command.hpp"
#include "cli/prove_command.hpp"
#include "cli/replay_command.hpp"
#include "cli/solve_command.hpp"
#include "cli/verify_command.hpp"

int main(int argc, char** argv) {
  using namespace mechcheck;
  CLI::App app{"mechcheck: verify incentive properties of LLM fine-tuning mechanisms"};
  app.require_subcommand(1);

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
  verify->add_option("--threads", verify_options.threads, "worker threads (default: all cores)");
  verify->add_option("--seed", verify_options.seed, "seed of every sampled instance");
  verify->add_option("--only", only_text, "comma-separated claim ids");
  verify->add_flag("--thorough", verify_options.thorough,
                   "5x the instances and the thorough search effort");

  cli::CheckCommandOptions check_options;
  auto* check =
      app.add_subcommand("check", "Check DSIC/IR/nonneg/approx-dsic over a config's instances");
  check->add_option("CONFIG", check_options.config_path, "check config JSON")->required();
  check->add_option("--instances", check_options.instances,
                    "generated instances (overrides the config)");
  check->add_option("--seed", check_options.seed, "seed (overrides the config)");
  check->add_option("--shard", check_options.shard, "k/N: check instances k, k+N, ... (1-based)");
  check->add_option("--threads", check_options.threads,
                    "worker threads (results do not depend on it)");
  check->add_option("--effort", check_options.effort,
                    "quick, default or thorough (overrides the config)");
  check->add_option("--report", check_options.report_path, "write the JSON report here");
  check->add_option("--junit", check_options.junit_path, "write JUnit XML here");
  check->add_option("--witness-dir", check_options.witness_dir,
                    "where violation witnesses go (default ./witnesses)");

  auto* experiment = app.add_subcommand("experiment", "Reproduce the paper's experiments");
  experiment->require_subcommand(1);
  cli::AppendixFCommandOptions appendix;
  auto* appendix_f =
      experiment->add_subcommand("appendix-f", "Table 1: the polarizing misreport under p^AFF");
  appendix_f->add_option("--groups", appendix.experiment.groups, "groups (paper: 5)");
  appendix_f->add_option("--outcomes", appendix.experiment.outcomes, "outcomes (paper: 10)");
  appendix_f->add_option("--lambda", appendix.lambda_text,
                         "regularization strength (not in the paper; default 1)");
  appendix_f->add_option("--divergence", appendix.divergence_text,
                         "kl, chi2, tv, reverse-kl, hellinger (default kl)");
  appendix_f->add_option("--initial", appendix.initial_text,
                         "uniform or random initial model (default uniform)");
  appendix_f->add_option("--min-size", appendix.experiment.min_size,
                         "smallest group size (paper: 1)");
  appendix_f->add_option("--max-size", appendix.experiment.max_size,
                         "largest group size (paper: 10)");
  appendix_f
      ->add_option("--eps", appendix.experiment.epsilons,
                   "comma-separated misreport sizes (paper's seven)")
      ->delimiter(',');
  appendix_f->add_option("--samples", appendix.experiment.samples, "sampled games (paper: 100000)");
  appendix_f->add_option("--seed", appendix.experiment.seed, "seed");
  appendix_f->add_option("--normalization", appendix.normalization_text,
                         "sum or max (default sum)");
  appendix_f->add_option("--threads", appendix.experiment.threads,
                         "worker threads (results do not depend on it)");
  appendix_f->add_option("--precision", appendix.precision_text, "double, 50 or 100");
  appendix_f->add_option("--format", appendix.format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cli::StrategiesCommandOptions strategies;
  auto* strategies_command =
      experiment->add_subcommand("strategies", "Section 5's alpha/beta strategies for one group");
  strategies_command->add_option("INSTANCE", strategies.instance_path, "instance JSON")->required();
  strategies_command->add_option("--group", strategies.group, "the misreporting group (0-based)");
  strategies_command->add_option("--alpha", strategies.alphas, "comma-separated size factors")
      ->delimiter(',');
  strategies_command->add_option("--beta", strategies.betas, "comma-separated mixing weights")
      ->delimiter(',');
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
  implementability->add_option("--group", implementability_options.group,
                               "the group whose types vary (0-based)");
  implementability->add_option("--resolution", implementability_options.resolution,
                               "lattice resolution q (rewards k/q)");
  implementability
      ->add_option("--sizes", implementability_options.sizes,
                   "comma-separated sizes (default 1..w̄)")
      ->delimiter(',');
  implementability->add_option(
      "--precision", implementability_options.precision,
      "double, 50, 100 or exact (default: exact for sw-max with chi2/tv, else 100)");
  implementability->add_option("--report", implementability_options.report_path,
                               "also write the JSON here");
  implementability->add_option("--threads", implementability_options.threads, "worker threads");
  implementability->add_option(
      "--types", implementability_options.types_path,
      "explicit types: a JSON array of {reward, size}, or a report (replays its negative_cycle)");
  implementability->add_option("--range", implementability_options.range,
                               "auctions: low,high of the agent's type grid (default 0 to twice "
                               "the largest type)");
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
  prove->add_option("--outcomes", prove_options.outcomes, "outcome count m");
  prove->add_option("--groups", prove_options.groups, "group count n");
  prove->add_option("--timeout", prove_options.timeout_seconds,
                    "Z3 timeout in seconds (default 60)");
  prove->add_option("--smtlib", prove_options.smtlib_path, "write the query as SMT-LIB 2 here");
  prove->add_option("--witness-dir", prove_options.witness_dir,
                    "where a counterexample's witness goes (default ./witnesses)");
  prove->add_option("--epsilon", prove_options.epsilon, "approx-dsic: the noise bound");
  prove->add_option("--bound", prove_options.bound,
                    "approx-dsic: c in the gain bound c*w*eps (default 2, Thm 4.12)");
  prove->add_option("--samples", prove_options.samples,
                    "instances of the same size cross-checked numerically (default 20)");
  prove->add_option("--seed", prove_options.seed, "seed of the cross-check instances");
  prove->add_option("--group", prove_options.group,
                    "cycle-monotone, payment-equivalence: the group whose types vary (0-based)");
  prove->add_option("--resolution", prove_options.resolution,
                    "cycle-monotone, payment-equivalence: lattice resolution q (default 3)");
  prove->add_option("--sizes", prove_options.sizes, "... comma-separated sizes (default 1..w̄)")
      ->delimiter(',');
  prove->add_option("--types", prove_options.types_path, "... explicit types (JSON)");
  prove->add_flag("--no-grid", prove_options.no_grid, "... only the --types types");
  prove->add_flag("--exact", prove_options.exact,
                  "dsic, ir, nonneg, approx-dsic: skip the relaxed query (affine maximizer)");

  std::string families_format = "table";
  auto* families_command = app.add_subcommand(
      "families", "List the mechanism families, their parameters and properties");
  families_command->add_option("--format", families_format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));

  std::string witness_path;
  auto* replay = app.add_subcommand("replay", "Recompute a witness exactly or at 100 digits");
  replay->add_option("WITNESS", witness_path, "witness JSON written by check")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "mechcheck: " << e.what() << "\n";
    return 2;
  }

  try {
    if (*solve) {
      solve_options.precision = *parse_precision(precision_text);
      solve_options.table = format_text == "table";
      return cli::run_solve(solve_options, std::cout, std::cerr);
    }
    if (*families_command) return cli::run_families(families_format == "json", std::cout);
    if (*check) return cli::run_check(check_options, std::cout, std::cerr);
    if (*prove) return cli::run_prove(prove_options, std::cout, std::cerr);
    if (*replay) return cli::run_replay(witness_path, std::cout, std::cerr);
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

// mechcheck: the thin command line. Parses options, calls the library, sets the exit code
// (0 ok, 1 violation, 2 bad input or usage, 3 inconclusive).
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/solve_command.hpp"
#include "cli/verify_command.hpp"

int main(int argc, char** argv) {
  using namespace mechcheck;
  CLI::App app{"mechcheck: verify incentive properties of LLM fine-tuning mechanisms"};
  app.require_subcommand(1);

  cli::SolveOptions solve_options;
  std::string precision_text = "double", format_text = "json";
  auto* solve = app.add_subcommand("solve", "Solve an instance: policy, payments, valuations, utilities");
  solve->add_option("FILE", solve_options.file, "instance JSON file")->required();
  solve->add_option("--precision", precision_text, "double, 50, 100 (significant digits) or exact")
      ->check(CLI::IsMember({"double", "50", "100", "exact"}));
  solve->add_option("--format", format_text, "json or table")->check(CLI::IsMember({"json", "table"}));

  app.add_subcommand("verify", "Run the main job on the built-in suite");

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
    return cli::run_verify(std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "mechcheck: internal error: " << e.what() << "\n";
    return 3;
  }
}

#pragma once
// `mechcheck experiment appendix-f [options]` and `mechcheck experiment strategies INSTANCE
// --group i --alpha LIST --beta LIST [--plot FILE.svg]`.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "checks/experiments/appendix_f.hpp"

namespace mechcheck::cli {

struct AppendixFCommandOptions {
  AppendixFOptions experiment;
  std::string lambda_text = "1", divergence_text = "kl", initial_text = "uniform",
              normalization_text = "sum";
  std::string precision_text = "double", format = "table";
};

int run_appendix_f_command(AppendixFCommandOptions options, std::ostream& out, std::ostream& err);

struct StrategiesCommandOptions {
  std::string instance_path;
  std::size_t group = 0;
  std::vector<double> alphas{0.2, 0.5, 1.0, 1.5, 2.0, 3.0};
  std::vector<double> betas{0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5};
  std::string plot_path, format = "table";
};

int run_strategies_command(const StrategiesCommandOptions& options, std::ostream& out,
                           std::ostream& err);

}  // namespace mechcheck::cli

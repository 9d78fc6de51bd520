#include "cli/strategy_plot.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mechcheck::cli {
namespace {

std::string data_block(const std::vector<StrategyRow>& rows, const std::string& strategy,
                       const std::string& name) {
  std::string block = "$" + name + " << EOD\n";
  for (const StrategyRow& r : rows)
    if (r.strategy == strategy)
      block += fmt::format("{:.17g} {:.17g} {:.17g} {:.17g}\n", r.value, r.valuation, r.payment,
                           r.utility);
  return block + "EOD\n";
}

std::string panel(const std::string& name, const std::string& label, std::size_t group) {
  return fmt::format(
      "set title 'Group {} under strategy ({})'\nset xlabel '{}'\n"
      "plot ${} using 1:2 with linespoints title 'valuation', ${} using 1:3 with linespoints title "
      "'payment', "
      "${} using 1:4 with linespoints title 'utility'\n",
      group, label, label, name, name, name);
}

}  // namespace

std::string render_strategy_plot(const std::vector<StrategyRow>& rows, std::size_t group) {
  namespace fs = std::filesystem;
  const fs::path output =
      fs::temp_directory_path() / fmt::format("mechcheck-plot-{}.svg", ::getpid());
  std::string script =
      "set terminal svg size 1000,420 dynamic enhanced\nset output '" + output.string() + "'\n";
  script += "set key outside bottom center horizontal\nset grid\nset multiplot layout 1,2\n";
  script += data_block(rows, "alpha", "alpha") + data_block(rows, "beta", "beta");
  script += panel("alpha", "alpha", group) + panel("beta", "beta", group) +
            "unset multiplot\nset output\n";
  FILE* gnuplot = popen("gnuplot 2>/dev/null", "w");
  if (gnuplot == nullptr)
    throw std::runtime_error("--plot: cannot start gnuplot (apt-get install gnuplot-nox)");
  std::fwrite(script.data(), 1, script.size(), gnuplot);
  const int status = pclose(gnuplot);
  std::ifstream in(output);
  std::stringstream svg;
  svg << in.rdbuf();
  std::error_code ignored;
  fs::remove(output, ignored);
  if (status != 0 || svg.str().find("<svg") == std::string::npos)
    throw std::runtime_error("--plot: gnuplot failed (is gnuplot-nox installed?)");
  return svg.str();
}

}  // namespace mechcheck::cli

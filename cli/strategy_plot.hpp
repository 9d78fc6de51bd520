#pragma once
// Figure 2's panels for a strategies sweep, drawn by gnuplot as SVG.
#include <string>
#include <vector>

#include "checks/experiments/strategies.hpp"

namespace mechcheck::cli {

// Runs gnuplot and returns the SVG; throws std::runtime_error when gnuplot is unavailable.
std::string render_strategy_plot(const std::vector<StrategyRow>& rows, std::size_t group);

}  // namespace mechcheck::cli

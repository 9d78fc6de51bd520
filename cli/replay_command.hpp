#pragma once
// `mechcheck replay WITNESS`: recomputes a witness exactly (χ², TV) or at 100 digits and
// exits 1 if the violation stands, 0 if it does not, 2 on a bad file.
#include <iosfwd>
#include <optional>
#include <string>

namespace mechcheck::cli {

// `mechanism`: an external mechanism's command line that replaces the one the witness recorded.
int run_replay(const std::string& path, const std::optional<std::string>& mechanism,
               std::ostream& out, std::ostream& err);

}  // namespace mechcheck::cli

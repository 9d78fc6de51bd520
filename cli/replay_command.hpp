#pragma once
// `mechcheck replay WITNESS`: recomputes a witness exactly (χ², TV) or at 100 digits and
// exits 1 if the violation stands, 0 if it does not, 2 on a bad file.
#include <iosfwd>
#include <string>

namespace mechcheck::cli {

int run_replay(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace mechcheck::cli

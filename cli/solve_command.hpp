#pragma once
// `mechcheck solve FILE [--precision ...] [--format json|table]`.
#include <iosfwd>
#include <string>

#include "solver/precision.hpp"

namespace mechcheck::cli {

struct SolveOptions {
  std::string file;
  Precision precision = Precision::binary64;
  bool table = false;
};

// Returns the exit code: 0 solved, 2 bad input, 3 numerical failure. Writes to `out` only on
// success, and then in one piece.
int run_solve(const SolveOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mechcheck::cli

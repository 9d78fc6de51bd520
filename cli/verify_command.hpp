#pragma once
// `mechcheck verify`: the main job. Until the paper-claims suite exists it solves every bundled
// example at double, 50 and 100 digits (and exactly where the optimum is rational), prints
// each, and fails unless all precisions agree and each outcome is a valid mechanism outcome.
#include <iosfwd>

namespace mechcheck::cli {

int run_verify(std::ostream& out, std::ostream& err);

}  // namespace mechcheck::cli

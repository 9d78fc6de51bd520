#pragma once
// `mechcheck prove INSTANCE --property cycle-monotone|payment-equivalence [--group i]
//  [--resolution q] [--sizes LIST] [--types FILE] [--no-grid] [--timeout S] [--smtlib FILE]`:
// the properties of a finite type set, decided by Z3 over Rochet's difference constraints on the
// exact gain matrix of `mechcheck implementability` (same instance schema, same type grid).
// Every answer is also computed by shortest paths (Bellman–Ford, exact); a disagreement is an
// error of mechcheck (exit 3). Exit 0 proved, 1 violated (negative cycle), 2 bad input, 3
// inconclusive or error.
#include <iosfwd>

#include "cli/prove_command.hpp"

namespace mechcheck::cli {

bool is_type_set_property(const std::string& property);

int run_prove_type_set(const ProveCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mechcheck::cli

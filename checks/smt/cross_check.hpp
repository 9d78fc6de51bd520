#pragma once
// The numeric cross-check of a proof: instances of the same size sampled and searched by the
// numeric checks. A confirmed numeric violation of a proved property is an error of mechcheck
// (one of the two is wrong).
#include "checks/smt/prove.hpp"

namespace mechcheck::smt {

CrossCheck cross_check(const SmtMechanism& mechanism, SmtProperty property,
                       const ProveOptions& options, bool proved, bool& disagreement);

}  // namespace mechcheck::smt

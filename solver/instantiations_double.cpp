#include "solver/instantiations.hpp"

namespace mechcheck {
MECHCHECK_SOLVER_TEMPLATES(, double)
}  // namespace mechcheck

#include "solver/instance_solver.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {
MECHCHECK_SOLVER_TEMPLATES(, double)
MECHCHECK_INSTANCE_SOLVER_TEMPLATES(, double)
}  // namespace mechcheck

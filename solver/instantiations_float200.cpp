#include "solver/instance_solver.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {
MECHCHECK_SOLVER_TEMPLATES(, Float200)
MECHCHECK_INSTANCE_SOLVER_TEMPLATES(, Float200)
}  // namespace mechcheck

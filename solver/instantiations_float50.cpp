#include "solver/instance_solver.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {
MECHCHECK_SOLVER_TEMPLATES(, Float50)
MECHCHECK_INSTANCE_SOLVER_TEMPLATES(, Float50)
}  // namespace mechcheck

#include "solver/instance_solver.hpp"
#include "solver/instantiations.hpp"

namespace mechcheck {
MECHCHECK_SOLVER_TEMPLATES(, Rational)
MECHCHECK_INSTANCE_SOLVER_TEMPLATES(, Rational)
}  // namespace mechcheck

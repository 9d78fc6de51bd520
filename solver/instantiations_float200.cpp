#include "solver/instantiations.hpp"

namespace mechcheck {
MECHCHECK_SOLVER_TEMPLATES(, Float200)
}  // namespace mechcheck

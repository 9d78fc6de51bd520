#include "solver/instantiations.hpp"

namespace mechcheck {
MECHCHECK_SOLVER_TEMPLATES(, Float50)
}  // namespace mechcheck

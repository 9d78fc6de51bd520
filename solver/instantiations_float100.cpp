#include "solver/instantiations.hpp"

namespace mechcheck {
MECHCHECK_SOLVER_TEMPLATES(, Float100)
}  // namespace mechcheck

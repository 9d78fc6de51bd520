#pragma once
// The solver templates are compiled once, in instantiations_*.cpp (one per scalar, so they
// build in parallel), for every scalar mechcheck
// supports; other translation units only declare them (saves minutes of build on two cores).
#include "solver/mechanism.hpp"

#define MECHCHECK_SOLVER_TEMPLATES(PREFIX, S)                                                     \
  PREFIX template PolicySolution<S> solve_sw_max<S>(const SwMaxRule<S>&, const Vector<S>&,        \
                                                    const Vector<S>&);                            \
  PREFIX template WelfareSolution<S> solve_welfare<S>(const WelfareRule<S>&, const Matrix<S>&,    \
                                                      const Vector<S>&, const Vector<S>&);        \
  PREFIX template S divergence_value<S>(const SwMaxRule<S>&, const Vector<S>&, const Vector<S>&); \
  PREFIX template MechanismOutcome<S> run_mechanism<S>(const Mechanism<S>&, const Profile<S>&,    \
                                                       const Profile<S>&);                        \
  PREFIX template MechanismOutcome<S> run_mechanism<S>(const Mechanism<S>&, const Profile<S>&);

namespace mechcheck {
MECHCHECK_SOLVER_TEMPLATES(extern, double)
MECHCHECK_SOLVER_TEMPLATES(extern, Float50)
MECHCHECK_SOLVER_TEMPLATES(extern, Float100)
MECHCHECK_SOLVER_TEMPLATES(extern, Float200)
MECHCHECK_SOLVER_TEMPLATES(extern, Rational)
}  // namespace mechcheck

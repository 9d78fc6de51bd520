#include "checks/smt/linearize.hpp"

#include <gtest/gtest.h>

namespace mechcheck::smt {
namespace {

z3::check_result decide_abstraction(z3::context& context, Linearizer& linearizer,
                                    const std::vector<z3::expr>& formulas) {
  z3::solver solver(context, "QF_LRA");
  for (const z3::expr& formula : formulas) solver.add(linearizer.abstract(formula));
  return solver.check();
}

TEST(Linearizer, OneMonomialIsOneAtomWhereverItAppears) {
  z3::context context;
  const z3::expr x = context.real_const("x"), y = context.real_const("y");
  Linearizer linearizer(context);
  // x·y ≥ 1 and 2·(y·x) ≤ 1 contradict each other linearly in the atom x·y.
  EXPECT_EQ(decide_abstraction(context, linearizer, {x * y >= 1, 2 * (y * x) <= 1}), z3::unsat);
  EXPECT_EQ(linearizer.monomials(), 1u);
}

TEST(Linearizer, ExpandsProductsOfSumsIntoMonomials) {
  z3::context context;
  const z3::expr a = context.real_const("a"), b = context.real_const("b"),
                 q = context.real_const("q");
  Linearizer linearizer(context);
  // (a + b)·q − a·q − b·q = 0 is an identity over monomials: its negation is unsat.
  EXPECT_EQ(decide_abstraction(context, linearizer, {(a + b) * q - a * q - b * q != 0}), z3::unsat);
}

TEST(Linearizer, IsSoundOnlyOneWay) {
  z3::context context;
  const z3::expr x = context.real_const("x");
  Linearizer linearizer(context);
  // x² < 0 has no real model, but its abstraction (an atom below 0) does: `sat` of the
  // abstraction proves nothing, which is why prove.cpp lets nlsat decide then.
  EXPECT_EQ(decide_abstraction(context, linearizer, {x * x < 0}), z3::sat);
}

TEST(Linearizer, LeavesLinearFormulasEquivalent) {
  z3::context context;
  const z3::expr x = context.real_const("x"), y = context.real_const("y");
  Linearizer linearizer(context);
  EXPECT_EQ(decide_abstraction(context, linearizer, {x + y == 1, x - y == 3, x != 2}), z3::unsat);
  EXPECT_EQ(decide_abstraction(context, linearizer, {x + y == 1, x / 4 - y == 3}), z3::sat);
  EXPECT_EQ(linearizer.monomials(), 0u);
}

TEST(Linearizer, DivisionByAVariableIsAnAtom) {
  z3::context context;
  const z3::expr x = context.real_const("x"), p = context.real_const("p");
  Linearizer linearizer(context);
  EXPECT_EQ(decide_abstraction(context, linearizer, {x / p >= 1, x / p <= 0}), z3::unsat);
}

}  // namespace
}  // namespace mechcheck::smt

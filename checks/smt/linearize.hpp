#pragma once
// The linear abstraction of a nonlinear real problem: every product of variables (and every
// division by one) becomes a fresh variable, one per distinct monomial. Each model of the
// original problem is a model of the abstraction, so `unsat` of the abstraction proves the
// original unsat; `sat` says nothing. Z3 has no such tactic, and its SMT core with nonlinear
// reasoning switched off still ignored interrupts and try-for on some of mechcheck's queries,
// while linear real arithmetic stops when asked.
#include <z3++.h>

#include <map>
#include <string>

namespace mechcheck::smt {

class Linearizer {
 public:
  explicit Linearizer(z3::context& context) : context_(context) {}
  // `formula` over sums of monomials (simplified with som), monomials replaced.
  z3::expr abstract(const z3::expr& formula);
  std::size_t monomials() const { return atoms_.size(); }

 private:
  z3::expr rewrite(const z3::expr& term);
  z3::expr atom(const z3::expr& monomial);
  bool is_linear_product(const z3::expr& product) const;

  z3::context& context_;
  std::map<std::string, z3::expr> atoms_;  // monomial text → its variable
};

}  // namespace mechcheck::smt

#include "checks/smt/linearize.hpp"

#include <optional>

namespace mechcheck::smt {

z3::expr Linearizer::abstract(const z3::expr& formula) {
  z3::params sum_of_monomials(context_);
  sum_of_monomials.set("som", true);
  return rewrite(formula.simplify(sum_of_monomials));
}

bool Linearizer::is_linear_product(const z3::expr& product) const {
  // c·x: at most one factor that is not a numeral.
  unsigned symbolic = 0;
  for (unsigned k = 0; k < product.num_args(); ++k)
    if (!product.arg(k).is_numeral()) ++symbolic;
  return symbolic <= 1;
}

z3::expr Linearizer::atom(const z3::expr& monomial) {
  const std::string key = monomial.to_string();
  auto found = atoms_.find(key);
  if (found == atoms_.end()) {
    const std::string name = "monomial!" + std::to_string(atoms_.size());
    found = atoms_.emplace(key, context_.real_const(name.c_str())).first;
  }
  return found->second;
}

z3::expr Linearizer::rewrite(const z3::expr& term) {
  if (!term.is_app() || term.num_args() == 0) return term;
  const Z3_decl_kind kind = term.decl().decl_kind();
  if (term.is_arith()) {
    if (kind == Z3_OP_MUL) {
      if (!is_linear_product(term)) {
        // Keep the numeral coefficient, abstract the product of the rest.
        std::optional<z3::expr> coefficient, product;
        for (unsigned k = 0; k < term.num_args(); ++k) {
          std::optional<z3::expr>& into = term.arg(k).is_numeral() ? coefficient : product;
          into = into ? *into * term.arg(k) : term.arg(k);
        }
        return coefficient ? *coefficient * atom(*product) : atom(*product);
      }
    } else if (kind == Z3_OP_DIV || kind == Z3_OP_POWER || kind == Z3_OP_IDIV ||
               kind == Z3_OP_MOD || kind == Z3_OP_REM) {
      if (!(kind == Z3_OP_DIV && term.arg(1).is_numeral())) return atom(term);
    }
  }
  z3::expr_vector arguments(context_);
  for (unsigned k = 0; k < term.num_args(); ++k) arguments.push_back(rewrite(term.arg(k)));
  return term.decl()(arguments);
}

}  // namespace mechcheck::smt

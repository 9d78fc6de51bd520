#pragma once
// The negated property as a Z3 query over an Encoder's terms, and a model of it as an exact
// witness (prove.hpp describes the queries; prove.cpp runs them).
#include <optional>
#include <vector>

#include "checks/smt/encoding.hpp"
#include "checks/smt/prove.hpp"
#include "spec/witness.hpp"

namespace mechcheck::smt {

struct Query {
  std::vector<SymbolicType> groups;  // truthful types; group 0 is the one whose incentive fails
  std::optional<SymbolicType> deviation;
  std::vector<z3::expr> truth_noise, deviation_noise;  // approx-dsic: w_0·e
  std::optional<z3::expr> goal;
  // Facts each proved on their own (the constraints imply them: negation unsat) and then
  // assumed, to break a proof into steps nlsat takes quickly.
  std::vector<z3::expr> lemmas;
};

// Which policy a relaxed query frees (any distribution instead of the rule's optimum). Under the
// affine-maximizer payment each property compares an optimum against another policy that only
// enters through an ASW term, so freeing that policy keeps the query unsat while the case split
// shrinks from a product over two policies to one policy's cases (Prop. 4.4's argument, with the
// proof still Z3's):
//  dsic, approx-dsic  the misreport's policy: u_0 = ASW_true(ψ) − ASW_{-0}(ψ_{-0}) for any report
//  ir                 ψ_{-0}, the optimum without group 0 in the payment's first term
//  nonneg             the chosen ψ in the payment's second term
// Dropping constraints only adds models, so `unsat` proves the property; `sat` says nothing and
// the exact query decides.
enum class Relaxation { none, misreport, without, chosen };

Relaxation relaxation_for(const SmtMechanism& mechanism, SmtProperty property);

// Builds the query into `encoder` (its constraints and case groups). Deterministic: the same
// mechanism, property and options give the same terms in any fresh context.
Query build_query(Encoder& encoder, SmtProperty property, const ProveOptions& options,
                  Relaxation relaxation);

// The model as an exact witness: π, λ and every report, noise divided back by the size.
Witness witness_of(const z3::model& model, const Encoder& encoder, const Query& query,
                   SmtProperty property, const ProveOptions& options);

}  // namespace mechcheck::smt

#pragma once
// Z3 encodings of the RLHF Game for m outcomes: reported types, the training rule's policy
// (χ² SW-Max with boundary optima, TV SW-Max with mechcheck's tie-break, or a finite candidate
// set), its divergence, and the zero and affine-maximizer payments. Everything is exact real
// arithmetic; with π and λ fixed the rules are linear in the reports and only valuations
// (report × policy) are quadratic.
//
// Types are carried as weighted rewards t(x) = w·rm(x), which keeps the normalization constraints
// linear (sum: Σ t = w; max: t ≤ w with equality somewhere) and the scores s = Σ t linear.
#include <z3++.h>

#include <optional>
#include <string>
#include <vector>

#include "spec/divergence.hpp"
#include "spec/instance.hpp"
#include "spec/smt_mechanism.hpp"

namespace mechcheck::smt {

struct SymbolicType {
  std::vector<z3::expr> weighted;  // t(x) = w·rm(x)
  z3::expr size;                   // w ∈ {1..w̄}
};

struct PolicyTerms {
  std::vector<z3::expr> policy;
  z3::expr divergence;  // D_f(policy‖π), λ included
};

// One group's view of the mechanism on a report: the policy, its payment and utility.
struct OutcomeTerms {
  PolicyTerms chosen;
  z3::expr valuation, payment, utility;
};

class Encoder {
 public:
  Encoder(z3::context& context, SmtMechanism mechanism);

  z3::context& context() { return context_; }
  const SmtMechanism& mechanism() const { return mechanism_; }
  // Every constraint the encodings so far rely on.
  const z3::expr_vector& constraints() const { return constraints_; }
  void require(const z3::expr& constraint) { constraints_.push_back(constraint); }

  z3::expr number(const Rational& value);
  const z3::expr& lambda() const { return lambda_; }
  const std::vector<z3::expr>& initial() const { return initial_; }

  // A reported type with the normalization and size constraints. `size` fixes the size to
  // another type's size (a reward-only misreport).
  SymbolicType type(const std::string& name, const std::optional<z3::expr>& size = std::nullopt);
  // A score vector with no constraints at all, standing for the other groups' sum where a
  // relaxed query needs only that sum: m variables instead of n·m, and no normalization for
  // nlsat to project (bounding it made single cases take seconds instead of milliseconds).
  std::vector<z3::expr> free_scores(const std::string& name);
  // A type fixed to exact values (for cross-checks).
  SymbolicType fixed_type(const Group& group);

  // The rule's policy for `scores` (a fresh set of variables pinned down by constraints).
  PolicyTerms policy(const std::string& name, const std::vector<z3::expr>& scores);
  // Any distribution on the outcomes in place of the rule's policy: it drops the rule's
  // constraints, so a query that stays unsat with it is proved for the rule as well (χ² and TV,
  // whose policies are distributions; not a candidate set's proof, whose range is smaller).
  PolicyTerms any_policy(const std::string& name);
  // Σ_x p(x)·s(x) − D_f(p‖π).
  z3::expr objective(const PolicyTerms& terms, const std::vector<z3::expr>& scores);

  // Group i's outcome when it reports `own` (weighted) next to the others' scores, valued with
  // `truth`. `best_without` is ASW_{-i}(ψ(rm_{-i})), needed by the affine-maximizer payment.
  // `relaxed`: the chosen policy is any distribution (any_policy), `own` unused.
  OutcomeTerms outcome(const std::string& name, const std::vector<z3::expr>& others,
                       const std::vector<z3::expr>& own, const SymbolicType& truth,
                       const std::optional<z3::expr>& best_without, bool relaxed = false);
  // ASW_{-i}(ψ(rm_{-i})) for the affine-maximizer payment (nullopt for the zero payment).
  std::optional<z3::expr> best_without(const std::string& name,
                                       const std::vector<z3::expr>& others);

  // The case structure of every policy encoded so far: one entry per policy, one boolean per
  // outcome and "dimension" (χ²: active; TV: at the top, dropped). Fixing them makes the policy
  // an affine function of the reports (χ²) or a constant (TV), so a query splits into
  // conjunctive cases that Z3 decides quickly; `cases` enumerates the consistent assignments.
  struct CaseGroup {
    RuleKind rule;
    std::vector<z3::expr> first, second;  // χ²: active; TV: top, dropped; candidates: chosen
  };
  const std::vector<CaseGroup>& case_groups() const { return case_groups_; }
  // The consistent assignments of one group, as conjunctions of literals (χ²: non-empty supports;
  // TV: at least one top outcome, none both top and dropped), most interior first.
  std::vector<z3::expr> cases(const CaseGroup& group);

  std::vector<z3::expr> sum(const std::vector<z3::expr>& a, const std::vector<z3::expr>& b);
  std::vector<z3::expr> zeros();
  z3::expr dot(const std::vector<z3::expr>& a, const std::vector<z3::expr>& b);

 private:
  PolicyTerms chi2_policy(const std::string& name, const std::vector<z3::expr>& scores);
  PolicyTerms tv_policy(const std::string& name, const std::vector<z3::expr>& scores);
  PolicyTerms candidate_policy(const std::vector<z3::expr>& scores);
  z3::expr divergence_of(const std::vector<z3::expr>& policy);

  z3::context& context_;
  SmtMechanism mechanism_;
  z3::expr_vector constraints_;
  z3::expr lambda_;
  std::vector<z3::expr> initial_;
  std::vector<CaseGroup> case_groups_;
};

// Exact rational value of a model's real term; algebraic numbers are rounded to `digits`
// decimals (the caller re-checks exactly). Sets `rounded` when that happened.
Rational model_value(const z3::model& model, const z3::expr& term, bool& rounded, int digits = 40);

// A Z3 rational numeral ("p/q", "p") as an exact rational; nothing for any other expression.
std::optional<Rational> rational_of(const z3::expr& value);

}  // namespace mechcheck::smt

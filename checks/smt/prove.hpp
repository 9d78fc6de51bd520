#pragma once
// Incentive properties as SMT queries: each asserts the negation of the property for group 0
// (groups are interchangeable) with every report symbolic, so `unsat` proves it for all reports
// of the given size, and a model is a counterexample. A model becomes an exact witness that is
// replayed through the exact solver before it is reported; every run also samples instances of
// the same size through the numeric checks and reports a disagreement as an error of mechcheck.
//
//  dsic        u_0(misreport of reward and size) > u_0(truth)
//  ir          u_0(truth) < 0
//  nonneg      p_0(truth) < 0
//  approx-dsic noises e, e' within ε (max-norm) on the truthful and misreported reward (same
//              size): u_0(rm' + e') − u_0(rm + e) > c·w_0·ε, c = 2 by default (Thm 4.12); a
//              smaller c asks how tight the bound is.
//
// Under the affine-maximizer payment (χ² and TV) a relaxed query goes first: one policy freed to
// any distribution and the other groups' sum to any vector, with Z3-proved lemmas as steps. Its
// `unsat` is a proof for every group count; otherwise the exact query decides.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checks/smt/encoding.hpp"
#include "checks/verdict.hpp"
#include "spec/witness.hpp"

namespace mechcheck::smt {

enum class SmtProperty { dsic, ir, nonneg, approx_dsic };
std::optional<SmtProperty> parse_smt_property(std::string_view name);
std::string_view smt_property_name(SmtProperty property);

struct ProveOptions {
  unsigned timeout_ms = 60000;
  Rational epsilon{0};       // approx-dsic
  Rational bound_factor{2};  // approx-dsic: c in the bound c·w_0·ε
  std::size_t samples = 20;  // numeric cross-check instances (0: none)
  std::uint64_t seed = 1;
  bool smtlib = false;  // keep the query as SMT-LIB 2
  // Under the affine-maximizer payment, try the relaxed query first (prove.cpp, relaxation_for);
  // false: only the exact query, with its (2^m − 1)-fold case product.
  bool relax = true;
  // Cases decided concurrently, one Z3 context per thread (case_search.hpp); the answer does not
  // depend on it.
  unsigned threads = 1;
  // Only cases shard_index, shard_index + shard_count, … (0-based): a shard of the proof, joined
  // by `mechcheck merge` (report/prove_merge.hpp).
  std::size_t shard_index = 0, shard_count = 1;
};

enum class ProveStatus { proved, violated, inconclusive, error };
std::string_view prove_status_name(ProveStatus status);

// The relaxed query's own answer (when it ran).
struct RelaxedAnswer {
  std::string policy;  // which policy was freed: misreport, optimum without group 0, chosen
  std::string answer;  // sat / unsat / unknown
  std::size_t cases = 0, cases_solved = 0;
  std::optional<std::size_t> decided_by_case;  // 1-based: the first case that was not unsat
};

// Sampled instances of the same size through the numeric checks (or, for candidate sets, exact
// evaluation of sampled profiles and misreports).
struct CrossCheck {
  std::size_t samples = 0;
  std::optional<std::size_t> numeric_violations, numeric_inconclusive;
  std::optional<std::string> skipped;  // why no numeric check applies
  std::vector<Witness> disagreements;  // violations of a proved property (instance or witness)
};

struct ProveEvidence {
  std::string property;
  std::size_t outcomes = 0, groups = 0;
  std::optional<Rational> epsilon, bound_factor;  // approx-dsic
  std::optional<RelaxedAnswer> relaxed;
  std::string query;  // which query's answer is reported: relaxed / exact
  // cases: the reported query's whole split; cases_solved: this run's cases answered up to the
  // deciding one (all of them when proved).
  std::size_t cases = 0, lemmas = 0, cases_solved = 0;
  std::optional<std::size_t> decided_by_case;  // 1-based: the sat or undecided case that decided
  bool timed_out = false;                      // the deadline came first
  double solve_seconds = 0;                    // not in reports (they do not depend on timing)
  std::optional<CrossCheck> cross_check;
};

struct ProveResult {
  ProveStatus status = ProveStatus::inconclusive;
  std::string reason;              // inconclusive / error: why
  std::optional<Witness> witness;  // violated: exact, replayed
  // The replayed quantity, exact: dsic the gain, ir the utility, nonneg the payment,
  // approx-dsic gain − c·w·ε.
  std::string witness_value;
  // Whether `mechcheck replay` confirms the witness file (approx-dsic with c < 2 is confirmed
  // only against c, so no file is written for it).
  bool witness_replayable = false;
  std::string smtlib;         // with ProveOptions::smtlib
  std::string solver_answer;  // sat / unsat / unknown
  double solve_seconds = 0;
  ProveEvidence evidence;

  Verdict verdict() const {
    return status == ProveStatus::proved     ? Verdict::holds
           : status == ProveStatus::violated ? Verdict::violated
                                             : Verdict::inconclusive;
  }
};

ProveResult prove(const SmtMechanism& mechanism, SmtProperty property, const ProveOptions& options);

// The instance-level mechanism (no groups) a witness or sampled instance uses; π and λ come from
// the mechanism when fixed.
Instance instance_mechanism(const SmtMechanism& mechanism);

}  // namespace mechcheck::smt

#include "checks/smt/prove.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "checks/rlhf_checks.hpp"
#include "checks/smt/cross_check.hpp"
#include "checks/smt/linearize.hpp"
#include "generators/rng.hpp"
#include "generators/samplers.hpp"
#include "mechanisms/rlhf_game/confirm.hpp"
#include "spec/enum_names.hpp"
#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::smt {
namespace {

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

Relaxation relaxation_for(const SmtMechanism& mechanism, SmtProperty property) {
  if (mechanism.payment.type != PaymentType::affine_maximizer ||
      mechanism.rule == RuleKind::candidates)
    return Relaxation::none;
  switch (property) {
    case SmtProperty::ir:
      return Relaxation::without;
    case SmtProperty::nonneg:
      return Relaxation::chosen;
    default:
      return Relaxation::misreport;
  }
}

Query build_query(Encoder& encoder, SmtProperty property, const ProveOptions& options,
                  Relaxation relaxation) {
  const SmtMechanism& mechanism = encoder.mechanism();
  Query query;
  // A relaxed query depends on the other groups only through their sum, which it frees too: any
  // real vector, a superset of what n − 1 groups can report, so its proof holds for every n.
  const std::size_t listed = relaxation == Relaxation::none ? mechanism.groups : 1;
  for (std::size_t i = 0; i < listed; ++i)
    query.groups.push_back(encoder.type("g" + std::to_string(i)));
  std::vector<z3::expr> others = encoder.zeros();
  for (std::size_t i = 1; i < listed; ++i) others = encoder.sum(others, query.groups[i].weighted);
  if (relaxation != Relaxation::none && mechanism.groups > 1)
    others = encoder.free_scores("others");
  const SymbolicType& truth = query.groups[0];
  // ASW_{-i}(ψ(rm_{-i})), the first term of Eq. (1), does not depend on group 0's report: in a
  // utility difference it cancels exactly, so DSIC queries leave it (and its policy) out.
  const bool difference = property == SmtProperty::dsic || property == SmtProperty::approx_dsic;
  std::optional<z3::expr> best;
  std::optional<PolicyTerms> free_without;
  if (relaxation == Relaxation::without) {
    free_without = encoder.any_policy("without");
    best = encoder.objective(*free_without, others);
  } else if (mechanism.payment.type == PaymentType::affine_maximizer) {
    best = difference ? encoder.context().real_val(0) : *encoder.best_without("without", others);
  }
  const bool free_misreport = relaxation == Relaxation::misreport;
  switch (property) {
    case SmtProperty::dsic: {
      const OutcomeTerms honest = encoder.outcome("truth", others, truth.weighted, truth, best);
      query.deviation = encoder.type("dev");
      const OutcomeTerms lie =
          encoder.outcome("lie", others, query.deviation->weighted, truth, best, free_misreport);
      query.goal = lie.utility > honest.utility;
      break;
    }
    case SmtProperty::ir: {
      const OutcomeTerms honest = encoder.outcome("truth", others, truth.weighted, truth, best);
      query.goal = honest.utility < 0;
      if (free_without) {
        // u_0 = ASW(ψ) − ASW_{-0}(q) ≥ ASW(q) − ASW_{-0}(q) = t_0·q ≥ 0, one step at a time.
        const std::vector<z3::expr> scores = encoder.sum(others, truth.weighted);
        query.lemmas.push_back(encoder.objective(honest.chosen, scores) >=
                               encoder.objective(*free_without, scores));
        query.lemmas.push_back(encoder.dot(truth.weighted, free_without->policy) >= 0);
      }
      break;
    }
    case SmtProperty::nonneg: {
      const OutcomeTerms honest = encoder.outcome("truth", others, truth.weighted, truth, best,
                                                  relaxation == Relaxation::chosen);
      query.goal = honest.payment < 0;
      break;
    }
    case SmtProperty::approx_dsic: {
      // The mechanism sees w·(rm + e) = t + w·e; bounding ê = w·e by w·ε keeps this linear.
      query.deviation = encoder.type("dev", truth.size);
      z3::context& context = encoder.context();
      const z3::expr bound = truth.size * encoder.number(options.epsilon);
      for (std::size_t x = 0; x < mechanism.outcomes; ++x) {
        for (auto* noise : {&query.truth_noise, &query.deviation_noise}) {
          const std::string name =
              std::string(noise == &query.truth_noise ? "noise_truth_" : "noise_dev_") +
              std::to_string(x);
          noise->push_back(context.real_const(name.c_str()));
          encoder.require(noise->back() >= -bound && noise->back() <= bound);
        }
      }
      const OutcomeTerms honest = encoder.outcome(
          "truth", others, encoder.sum(truth.weighted, query.truth_noise), truth, best);
      const OutcomeTerms lie = encoder.outcome(
          "lie", others, encoder.sum(query.deviation->weighted, query.deviation_noise), truth, best,
          free_misreport);
      query.goal = lie.utility - honest.utility > encoder.number(options.bound_factor) * bound;
      if (free_misreport) {
        // Thm 4.12's steps: ψ is optimal for the noisy scores s + ê, and the noise moves the
        // value of ψ and of q by at most w·ε each.
        const std::vector<z3::expr> noisy =
            encoder.sum(others, encoder.sum(truth.weighted, query.truth_noise));
        query.lemmas.push_back(encoder.objective(honest.chosen, noisy) >=
                               encoder.objective(lie.chosen, noisy));
        // Per outcome (w·ε ± ê_x)·p_x ≥ 0, and Σ w·ε·p_x = w·ε: products of two non-negative
        // factors and a sum nlsat takes at once, where ê·ψ ≤ w·ε in one piece took it > 10 s.
        for (const auto& [policy, sign] :
             {std::pair{&lie.chosen.policy, 1}, std::pair{&honest.chosen.policy, -1}}) {
          for (std::size_t x = 0; x < mechanism.outcomes; ++x)
            query.lemmas.push_back((bound + sign * query.truth_noise[x]) * (*policy)[x] >= 0);
          z3::expr spread = context.real_val(0);
          for (const z3::expr& p : *policy) spread = spread + bound * p;
          query.lemmas.push_back(spread == bound);
        }
      }
      break;
    }
  }
  return query;
}

std::vector<Rational> values(const z3::model& model, const std::vector<z3::expr>& terms,
                             bool& rounded) {
  std::vector<Rational> out;
  for (const z3::expr& term : terms) out.push_back(model_value(model, term, rounded));
  return out;
}

Group group_of(const z3::model& model, const SymbolicType& type, Normalization normalization,
               bool& rounded) {
  Group group;
  group.size = model_value(model, type.size, rounded);
  for (const Rational& t : values(model, type.weighted, rounded))
    group.reward.push_back(t / group.size);
  if (rounded) {
    for (Rational& r : group.reward) r = std::max(r, Rational(0));
    group.reward = normalize_weights(group.reward, normalization);
  }
  return group;
}

// The model as an exact witness: π, λ and every report, noise divided back by the size.
Witness witness_of(const z3::model& model, const Encoder& encoder, const Query& query,
                   SmtProperty property, const ProveOptions& options) {
  const SmtMechanism& mechanism = encoder.mechanism();
  bool rounded = false;
  Witness witness;
  witness.property = std::string(smt_property_name(property));
  witness.instance = instance_mechanism(mechanism);
  if (!mechanism.initial) {
    bool initial_rounded = false;
    witness.instance.initial = values(model, encoder.initial(), initial_rounded);
    if (initial_rounded) {
      rounded = true;
      witness.instance.initial = normalize_weights(witness.instance.initial, Normalization::sum);
    }
  }
  if (!mechanism.lambda.value)
    witness.instance.rule.lambda = model_value(model, encoder.lambda(), rounded);
  for (const SymbolicType& type : query.groups)
    witness.instance.groups.push_back(group_of(model, type, mechanism.normalization, rounded));
  if (query.deviation)
    witness.deviation = group_of(model, *query.deviation, mechanism.normalization, rounded);
  if (property == SmtProperty::approx_dsic) {
    witness.epsilon = options.epsilon;
    const Rational size = witness.instance.groups[0].size;
    for (auto [from, to] : {std::pair{&query.truth_noise, &witness.truth_noise},
                            std::pair{&query.deviation_noise, &witness.deviation_noise}})
      for (const Rational& v : values(model, *from, rounded))
        to->push_back(std::clamp(Rational(v / size), Rational(-options.epsilon), options.epsilon));
  }
  witness.precision = rounded ? "exact (from rounded algebraic model values)" : "exact";
  return witness;
}

std::string_view answer_name(z3::check_result answer) {
  return answer == z3::unsat ? "unsat" : answer == z3::sat ? "sat" : "unknown";
}

struct CaseSearch {
  z3::check_result answer = z3::unsat;
  std::optional<z3::model> model;  // sat: the first satisfiable case's
  std::size_t cases = 1, solved = 0, lemmas = 0;
  std::string reason;  // unknown: why
  std::string smtlib;  // with ProveOptions::smtlib
};

// Splits the query on the policies' case structure (supports, TV levels): each case is
// conjunctive and quick for Z3, the whole disjunction is not. Cases run most-interior first; the
// first satisfiable one is a counterexample, all unsatisfiable is a proof.
CaseSearch search_cases(Encoder& encoder, const Query& query,
                        std::chrono::steady_clock::time_point deadline, const ProveOptions& options,
                        const std::atomic<bool>& interrupted) {
  z3::context& context = encoder.context();
  CaseSearch search;
  std::vector<std::vector<z3::expr>> group_cases;
  for (const auto& group : encoder.case_groups()) {
    group_cases.push_back(encoder.cases(group));
    search.cases *= group_cases.back().size();
  }
  const std::size_t case_count = search.cases;
  search.lemmas = query.lemmas.size();

  // SMT-LIB: one standalone problem per lemma and per case, separated by (reset), so solvers
  // stay non-incremental; any `sat` is a counterexample (or an unproved lemma), all `unsat` is
  // the proof.
  std::string declarations;
  auto add_problem = [&](const std::vector<z3::expr>& assertions) {
    if (!search.smtlib.empty()) search.smtlib += "(reset)\n";
    search.smtlib += declarations;
    for (const z3::expr& assertion : assertions)
      search.smtlib += "(assert " + assertion.to_string() + ")\n";
    search.smtlib += "(check-sat)\n";
  };
  if (options.smtlib) {
    z3::solver base(context);
    for (const z3::expr& constraint : encoder.constraints()) base.add(constraint);
    // Every symbol must be declared even when no constraint mentions it.
    base.add(*query.goal || !*query.goal);
    for (const z3::expr& lemma : query.lemmas) base.add(lemma || !lemma);
    for (const auto& group : encoder.case_groups())
      for (const auto* literals : {&group.first, &group.second})
        for (const z3::expr& literal : *literals) base.add(literal || !literal);
    declarations = base.to_smt2();
    const auto last = declarations.rfind("(check-sat)");
    if (last != std::string::npos) declarations.erase(last);
  }

  z3::check_result& answer = search.answer;
  std::vector<std::size_t> digits(group_cases.size(), 0);
  // Substituting the case's linear equalities first leaves nlsat a small problem. Candidate sets
  // are linear once a case fixes the choices: the SMT core's simplex decides them. The last step
  // after lemmas is linear over the monomials as atoms, which nlsat's cells can take minutes to
  // see: its linear abstraction (Linearizer) goes first there; `unsat` proves the step, `sat`
  // may be spurious and nlsat decides.
  enum class Stage { nlsat, smt, linear_abstraction };
  auto decide = [&](const std::vector<z3::expr>& assertions, bool after_lemmas,
                    std::optional<z3::model>& model) {
    const bool candidates = encoder.mechanism().rule == RuleKind::candidates;
    const std::vector<Stage> stages =
        candidates     ? std::vector<Stage>{Stage::smt}
        : after_lemmas ? std::vector<Stage>{Stage::linear_abstraction, Stage::nlsat}
                       : std::vector<Stage>{Stage::nlsat};
    std::string why;
    for (const Stage stage : stages) {
      const z3::tactic decide_tactic =
          stage == Stage::nlsat ? z3::tactic(context, "qfnra-nlsat") : z3::tactic(context, "smt");
      z3::solver solver = (z3::tactic(context, "simplify") & z3::tactic(context, "solve-eqs") &
                           z3::tactic(context, "propagate-values") &
                           z3::tactic(context, "simplify") & decide_tactic)
                              .mk_solver();
      Linearizer linearizer(context);
      auto add = [&](const z3::expr& assertion) {
        solver.add(stage == Stage::linear_abstraction ? linearizer.abstract(assertion) : assertion);
      };
      for (const z3::expr& constraint : encoder.constraints()) add(constraint);
      for (const z3::expr& assertion : assertions) add(assertion);
      const z3::check_result part = solver.check();
      if (stage == Stage::linear_abstraction && part == z3::sat) continue;  // maybe spurious
      if (part == z3::sat) model = solver.get_model();
      if (part != z3::unknown) return std::pair{part, why};
      why = interrupted ? std::string("timeout") : solver.reason_unknown();
      if (interrupted || std::chrono::steady_clock::now() >= deadline) break;
    }
    return std::pair{z3::unknown, why};
  };

  // In each case the lemmas are proved first (negation unsat), then assumed with the goal. An
  // unproved lemma is no counterexample: the search ends unknown and the exact query decides.
  try {
    for (std::size_t k = 0; k < case_count; ++k) {
      z3::expr_vector literals(context);
      for (std::size_t g = 0; g < group_cases.size(); ++g)
        literals.push_back(group_cases[g][digits[g]]);
      for (std::size_t g = group_cases.size(); g-- > 0;) {  // next case (mixed radix)
        if (++digits[g] < group_cases[g].size()) break;
        digits[g] = 0;
      }
      const z3::expr assumption = literals.empty() ? context.bool_val(true) : z3::mk_and(literals);
      std::vector<std::vector<z3::expr>> problems;
      for (const z3::expr& lemma : query.lemmas) problems.push_back({assumption, !lemma});
      problems.push_back(query.lemmas);
      problems.back().push_back(assumption);
      problems.back().push_back(*query.goal);
      if (options.smtlib)
        for (const auto& problem : problems) add_problem(problem);
      if (answer != z3::unsat && answer != z3::unknown) continue;
      if (std::chrono::steady_clock::now() >= deadline) {
        answer = z3::unknown;
        search.reason = "timeout after " + std::to_string(search.solved) + " of " +
                        std::to_string(case_count) + " cases";
        if (!options.smtlib) break;
        continue;
      }
      for (std::size_t step = 0; step < problems.size(); ++step) {
        const bool lemma = step + 1 < problems.size();
        std::optional<z3::model> model;
        const auto [part, why] = decide(problems[step], !lemma && !query.lemmas.empty(), model);
        if (!lemma) ++search.solved;
        if (part == z3::unsat) continue;
        answer = z3::unknown;
        if (part == z3::unknown)
          search.reason = "Z3 answered unknown (" + why + ")";
        else if (lemma)
          search.reason = "lemma " + std::to_string(step + 1) + " does not hold";
        else
          answer = z3::sat, search.model = std::move(model);
        if (answer == z3::unknown)
          search.reason +=
              " in case " + std::to_string(k + 1) + " of " + std::to_string(case_count);
        break;
      }
      if (answer == z3::unknown && !options.smtlib) break;
    }
  } catch (const z3::exception& error) {
    answer = z3::unknown;
    search.reason = std::string("Z3: ") + error.msg();
  }
  return search;
}

}  // namespace

namespace {
constexpr EnumName<SmtProperty> kSmtPropertyNames[] = {{SmtProperty::dsic, "dsic"},
                                                       {SmtProperty::ir, "ir"},
                                                       {SmtProperty::nonneg, "nonneg"},
                                                       {SmtProperty::approx_dsic, "approx-dsic"}};
constexpr EnumName<ProveStatus> kProveStatusNames[] = {{ProveStatus::proved, "proved"},
                                                       {ProveStatus::violated, "violated"},
                                                       {ProveStatus::inconclusive, "inconclusive"},
                                                       {ProveStatus::error, "error"}};
}  // namespace

std::optional<SmtProperty> parse_smt_property(std::string_view name) {
  return value_of(kSmtPropertyNames, name);
}
std::string_view smt_property_name(SmtProperty property) {
  return name_of(kSmtPropertyNames, property);
}
std::string_view prove_status_name(ProveStatus status) {
  return name_of(kProveStatusNames, status);
}

Instance instance_mechanism(const SmtMechanism& mechanism) {
  Instance instance;
  instance.outcomes = indexed_outcomes(mechanism.outcomes);
  instance.normalization = mechanism.normalization;
  instance.initial =
      mechanism.initial ? *mechanism.initial
                        : std::vector<Rational>(mechanism.outcomes,
                                                Rational(1, static_cast<long>(mechanism.outcomes)));
  instance.max_group_size = mechanism.max_group_size;
  instance.rule.type =
      mechanism.rule == RuleKind::candidates ? RuleType::candidates : RuleType::sw_max;
  instance.rule.policies = mechanism.candidates;
  instance.rule.divergence =
      mechanism.rule == RuleKind::tv
          ? DivergenceKind::tv
          : (mechanism.rule == RuleKind::chi2 ? DivergenceKind::chi2 : mechanism.divergence);
  instance.rule.lambda = mechanism.lambda.value ? *mechanism.lambda.value : mechanism.lambda.max;
  instance.payment = mechanism.payment;
  return instance;
}

ProveResult prove(const SmtMechanism& mechanism, SmtProperty property,
                  const ProveOptions& options) {
  ProveResult result;
  result.evidence.property = std::string(smt_property_name(property));
  result.evidence.outcomes = mechanism.outcomes;
  result.evidence.groups = mechanism.groups;
  if (property == SmtProperty::approx_dsic) {
    result.evidence.epsilon = options.epsilon;
    result.evidence.bound_factor = options.bound_factor;
  }
  z3::context context;
  // The deadline is enforced by interrupting Z3 from a watchdog thread: the solver's own timeout
  // is not checked everywhere in nonlinear arithmetic.
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::milliseconds(options.timeout_ms);
  std::mutex mutex;
  std::condition_variable finished_signal;
  bool finished = false;
  std::atomic<bool> interrupted = false;
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(mutex);
    if (!finished_signal.wait_until(lock, deadline, [&] { return finished; })) {
      interrupted = true;
      context.interrupt();
    }
  });

  // The relaxed query first (see relaxation_for); the exact one when it does not prove.
  std::optional<Encoder> encoder;
  std::optional<Query> query;
  CaseSearch search;
  const Relaxation relaxation =
      options.relax ? relaxation_for(mechanism, property) : Relaxation::none;
  if (relaxation != Relaxation::none) {
    encoder.emplace(context, mechanism);
    query = build_query(*encoder, property, options, relaxation);
    search = search_cases(*encoder, *query, deadline, options, interrupted);
    result.evidence.relaxed =
        RelaxedAnswer{relaxation == Relaxation::misreport ? "misreport"
                      : relaxation == Relaxation::without ? "optimum without group 0"
                                                          : "chosen",
                      std::string(answer_name(search.answer)), search.cases, search.solved};
  }
  const bool proved_relaxed = relaxation != Relaxation::none && search.answer == z3::unsat;
  const bool out_of_time = interrupted || std::chrono::steady_clock::now() >= deadline;
  bool exact = relaxation == Relaxation::none;
  if (!proved_relaxed && !out_of_time) {
    exact = true;
    encoder.emplace(context, mechanism);
    query = build_query(*encoder, property, options, Relaxation::none);
    search = search_cases(*encoder, *query, deadline, options, interrupted);
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    finished = true;
  }
  finished_signal.notify_all();
  watchdog.join();
  const z3::check_result answer = search.answer;
  result.smtlib = std::move(search.smtlib);
  result.reason = (exact || search.reason.empty() ? "" : "relaxed query: ") + search.reason;
  result.solve_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The query whose answer is reported: a relaxed proof, or the exact query's answer.
  result.evidence.query = exact ? "exact" : "relaxed";
  result.evidence.cases = search.cases;
  result.evidence.lemmas = search.lemmas;
  result.evidence.solve_seconds = result.solve_seconds;
  result.evidence.cases_solved = search.solved;
  const z3::model* model = search.model ? &*search.model : nullptr;

  bool disagreement = false;
  if (answer == z3::unsat) {
    result.solver_answer = "unsat";
    result.status = ProveStatus::proved;
  } else if (answer == z3::unknown) {
    result.solver_answer = "unknown";
    result.status = ProveStatus::inconclusive;
    if (result.reason.empty()) result.reason = "Z3 answered unknown";
  } else {
    result.solver_answer = "sat";
    try {
      Witness witness = witness_of(*model, *encoder, *query, property, options);
      validate(witness.instance);
      // Candidate sets too: the witness's instance carries the candidates rule, so it replays.
      ConfirmedValue value = measure_witness(witness);
      bool stands = witness_stands(witness, value);
      result.witness_replayable = stands;
      if (property == SmtProperty::approx_dsic && options.bound_factor != 2) {
        // measured: gain − 2·w·ε; the query's bound is c·w·ε.
        const Rational slack =
            (2 - options.bound_factor) * witness.instance.groups[0].size * options.epsilon;
        const auto measured = parse_exact_number(value.text);
        stands = value.precision == "exact" && measured && measured->value + slack > 0;
        result.witness_replayable = false;
        if (measured) result.witness_value = to_exact_string(measured->value + slack);
      } else {
        result.witness_value = value.text;
      }
      witness.recorded_value = value.text;
      result.witness = std::move(witness);
      if (stands) {
        result.status = ProveStatus::violated;
      } else {
        result.status = ProveStatus::inconclusive;
        result.reason = "Z3's counterexample does not replay exactly (measured " + value.text +
                        "): the encoding and the solver disagree";
      }
    } catch (const std::exception& error) {
      result.status = ProveStatus::inconclusive;
      result.reason =
          std::string("Z3's counterexample could not be turned into a witness: ") + error.what();
    }
  }
  if (options.samples > 0 && result.status != ProveStatus::error) {
    result.evidence.cross_check = cross_check(mechanism, property, options,
                                              result.status == ProveStatus::proved, disagreement);
    if (disagreement) {
      result.status = ProveStatus::error;
      result.reason =
          "internal error of mechcheck: the numeric checks found a violation the SMT proof rules "
          "out";
    }
  }
  return result;
}

}  // namespace mechcheck::smt

#include "checks/smt/prove.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include "checks/smt/case_search.hpp"
#include "checks/smt/cross_check.hpp"
#include "checks/smt/query.hpp"
#include "mechanisms/rlhf_game/confirm.hpp"
#include "spec/enum_names.hpp"
#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::smt {
namespace {

std::string_view answer_name(z3::check_result answer) {
  return answer == z3::unsat ? "unsat" : answer == z3::sat ? "sat" : "unknown";
}

std::string_view relaxed_policy_name(Relaxation relaxation) {
  return relaxation == Relaxation::misreport ? "misreport"
         : relaxation == Relaxation::without ? "optimum without group 0"
                                             : "chosen";
}

std::optional<std::size_t> case_number(const CaseSearch& search) {
  return search.decided_by ? std::optional<std::size_t>(*search.decided_by + 1) : std::nullopt;
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
  const auto start = std::chrono::steady_clock::now();
  const auto timeout = std::chrono::milliseconds(options.timeout_ms);
  const CaseSplit split{std::max(1u, options.threads), options.shard_index,
                        std::max<std::size_t>(1, options.shard_count)};
  auto sessions = [&](Relaxation relaxation) -> SessionFactory {
    return [&, relaxation] {
      return std::make_unique<QuerySession>(mechanism, property, options, relaxation);
    };
  };

  // The relaxed query first (see relaxation_for); the exact one when it does not prove.
  const Relaxation relaxation =
      options.relax ? relaxation_for(mechanism, property) : Relaxation::none;
  bool exact = relaxation == Relaxation::none;
  CaseSearch search;
  std::string failure;  // Z3 failed building a query
  {
    Deadline deadline(start + timeout);
    try {
      if (relaxation != Relaxation::none) {
        search = search_cases(sessions(relaxation), split, deadline);
        result.evidence.relaxed = RelaxedAnswer{std::string(relaxed_policy_name(relaxation)),
                                                std::string(answer_name(search.answer)),
                                                search.cases, search.solved, case_number(search)};
      }
      const bool proved_relaxed = relaxation != Relaxation::none && search.answer == z3::unsat;
      if (!proved_relaxed && !deadline.expired()) {
        exact = true;
        search = search_cases(sessions(Relaxation::none), split, deadline);
      }
    } catch (const z3::exception& error) {
      failure = std::string("Z3: ") + error.msg();
    }
  }
  const Relaxation reported = exact ? Relaxation::none : relaxation;
  if (options.smtlib && failure.empty())
    result.smtlib = smtlib_of_cases(*sessions(reported)(), split);
  z3::check_result answer = failure.empty() ? search.answer : z3::unknown;
  result.reason = !failure.empty() ? failure : undecided_reason(search);
  if (!exact && !result.reason.empty()) result.reason = "relaxed query: " + result.reason;
  if (!exact && answer == z3::sat) {  // a relaxed model is no counterexample
    answer = z3::unknown;
    result.reason += "; no time was left for the exact query";
  }
  // The counterexample: the deciding case solved again alone in a fresh context, so the model
  // does not depend on the threads or shards that found it (its own deadline: the timeout again).
  std::unique_ptr<QuerySession> witness_session;
  std::optional<z3::model> model;
  if (answer == z3::sat) {
    Deadline replay_deadline(std::chrono::steady_clock::now() + timeout);
    witness_session = sessions(Relaxation::none)();
    model = model_of_case(*witness_session, *search.decided_by, replay_deadline);
    if (!model) {
      answer = z3::unknown;
      result.reason = "case " + std::to_string(*search.decided_by + 1) + " of " +
                      std::to_string(search.cases) + " was sat, but not when solved again alone";
    }
  }
  result.solve_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The query whose answer is reported: a relaxed proof, or the exact query's answer.
  result.evidence.query = exact ? "exact" : "relaxed";
  result.evidence.cases = search.cases;
  result.evidence.lemmas = search.lemmas;
  result.evidence.solve_seconds = result.solve_seconds;
  result.evidence.cases_solved = search.solved;
  result.evidence.decided_by_case = case_number(search);
  result.evidence.timed_out = search.timed_out;

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
      Witness witness = witness_of(*model, witness_session->encoder(), witness_session->query(),
                                   property, options);
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

#include "checks/smt/case_search.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>

#include "checks/smt/linearize.hpp"

namespace mechcheck::smt {

QuerySession::QuerySession(const SmtMechanism& mechanism, SmtProperty property,
                           const ProveOptions& options, Relaxation relaxation)
    : context_(std::make_unique<z3::context>()) {
  encoder_.emplace(*context_, mechanism);
  query_ = build_query(*encoder_, property, options, relaxation);
  for (const auto& group : encoder_->case_groups()) {
    group_cases_.push_back(encoder_->cases(group));
    case_count_ *= group_cases_.back().size();
  }
}

z3::expr QuerySession::case_assumption(std::size_t k) {
  z3::expr_vector literals(*context_);
  for (std::size_t g = group_cases_.size(); g-- > 0;) {
    literals.push_back(group_cases_[g][k % group_cases_[g].size()]);
    k /= group_cases_[g].size();
  }
  return literals.empty() ? context_->bool_val(true) : z3::mk_and(literals);
}

std::vector<std::vector<z3::expr>> QuerySession::case_problems(std::size_t k) {
  const z3::expr assumption = case_assumption(k);
  std::vector<std::vector<z3::expr>> problems;
  for (const z3::expr& lemma : query_.lemmas) problems.push_back({assumption, !lemma});
  problems.push_back(query_.lemmas);
  problems.back().push_back(assumption);
  problems.back().push_back(*query_.goal);
  return problems;
}

Deadline::Deadline(std::chrono::steady_clock::time_point at) : at_(at) {
  watchdog_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    if (stopped_signal_.wait_until(lock, at_, [this] { return stopped_; })) return;
    fired_ = true;
    for (z3::context* context : contexts_) context->interrupt();
  });
}

Deadline::~Deadline() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
  }
  stopped_signal_.notify_all();
  watchdog_.join();
}

bool Deadline::expired() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fired_ || std::chrono::steady_clock::now() >= at_;
}

void Deadline::watch(z3::context& context) {
  std::lock_guard<std::mutex> lock(mutex_);
  contexts_.push_back(&context);
  if (fired_) context.interrupt();
}

void Deadline::unwatch(z3::context& context) {
  std::lock_guard<std::mutex> lock(mutex_);
  contexts_.erase(std::remove(contexts_.begin(), contexts_.end(), &context), contexts_.end());
}

namespace {

struct CaseOutcome {
  z3::check_result answer = z3::unknown;
  std::string why;                 // unknown
  std::optional<z3::model> model;  // sat
};

// One problem. Substituting the case's linear equalities first leaves nlsat a small problem.
// Candidate sets are linear once a case fixes the choices: the SMT core's simplex decides them.
// The last step after lemmas is linear over the monomials as atoms, which nlsat's cells can take
// minutes to see: its linear abstraction (Linearizer) goes first there; `unsat` proves the step,
// `sat` may be spurious and nlsat decides.
CaseOutcome decide(QuerySession& session, const std::vector<z3::expr>& assertions,
                   bool after_lemmas, const Deadline& deadline) {
  enum class Stage { nlsat, smt, linear_abstraction };
  z3::context& context = session.context();
  const bool candidates = session.encoder().mechanism().rule == RuleKind::candidates;
  const std::vector<Stage> stages =
      candidates     ? std::vector<Stage>{Stage::smt}
      : after_lemmas ? std::vector<Stage>{Stage::linear_abstraction, Stage::nlsat}
                     : std::vector<Stage>{Stage::nlsat};
  CaseOutcome outcome;
  for (const Stage stage : stages) {
    const z3::tactic decide_tactic =
        stage == Stage::nlsat ? z3::tactic(context, "qfnra-nlsat") : z3::tactic(context, "smt");
    z3::solver solver =
        (z3::tactic(context, "simplify") & z3::tactic(context, "solve-eqs") &
         z3::tactic(context, "propagate-values") & z3::tactic(context, "simplify") & decide_tactic)
            .mk_solver();
    Linearizer linearizer(context);
    auto add = [&](const z3::expr& assertion) {
      solver.add(stage == Stage::linear_abstraction ? linearizer.abstract(assertion) : assertion);
    };
    for (const z3::expr& constraint : session.encoder().constraints()) add(constraint);
    for (const z3::expr& assertion : assertions) add(assertion);
    const z3::check_result part = solver.check();
    if (stage == Stage::linear_abstraction && part == z3::sat) continue;  // maybe spurious
    if (part == z3::sat) outcome.model = solver.get_model();
    if (part != z3::unknown) {
      outcome.answer = part;
      return outcome;
    }
    outcome.why = deadline.expired() ? std::string("timeout") : solver.reason_unknown();
    if (deadline.expired()) break;
  }
  outcome.answer = z3::unknown;
  return outcome;
}

// Case k: the lemmas are proved first (negation unsat), then assumed with the goal. An unproved
// lemma is no counterexample: the case is unknown.
CaseOutcome decide_case(QuerySession& session, std::size_t k, const Deadline& deadline) {
  const auto problems = session.case_problems(k);
  const bool has_lemmas = !session.query().lemmas.empty();
  for (std::size_t step = 0; step < problems.size(); ++step) {
    const bool lemma = step + 1 < problems.size();
    CaseOutcome outcome = decide(session, problems[step], !lemma && has_lemmas, deadline);
    if (outcome.answer == z3::unsat) continue;
    if (lemma && outcome.answer == z3::sat) {
      outcome.answer = z3::unknown;
      outcome.why = "lemma " + std::to_string(step + 1) + " does not hold";
      outcome.model.reset();
    } else if (outcome.answer == z3::unknown) {
      outcome.why = "Z3 answered unknown (" + outcome.why + ")";
    }
    return outcome;
  }
  return {z3::unsat, {}, {}};
}

// What the workers share. Cases are handed out in increasing order, so when case k is answered
// not unsat, every case before it has been handed out and will be answered.
struct SearchState {
  std::mutex mutex;
  std::atomic<std::size_t> next{0};  // position in the shard's list of cases
  std::atomic<std::size_t> stop{std::numeric_limits<std::size_t>::max()};  // first case not unsat
  std::vector<std::optional<CaseOutcome>> answers;  // by position; model dropped
  std::exception_ptr failure;
};

void run_worker(const SessionFactory& make_session, const CaseSplit& split, Deadline& deadline,
                SearchState& state) {
  try {
    const std::unique_ptr<QuerySession> session = make_session();
    deadline.watch(session->context());
    struct Unwatch {
      Deadline& deadline;
      z3::context& context;
      ~Unwatch() { deadline.unwatch(context); }
    } unwatch{deadline, session->context()};
    for (;;) {
      const std::size_t position = state.next++;
      if (position >= state.answers.size()) return;
      const std::size_t k = split.shard_index + position * split.shard_count;
      if (k > state.stop || deadline.expired()) return;
      CaseOutcome outcome;
      try {
        outcome = decide_case(*session, k, deadline);
      } catch (const z3::exception& error) {
        outcome = {z3::unknown, std::string("Z3: ") + error.msg(), {}};
      }
      // An answer cut off by the deadline is no answer.
      if (outcome.answer == z3::unknown && deadline.expired()) return;
      outcome.model.reset();
      std::lock_guard<std::mutex> lock(state.mutex);
      if (outcome.answer != z3::unsat) state.stop = std::min(state.stop.load(), k);
      state.answers[position] = std::move(outcome);
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(state.mutex);
    if (!state.failure) state.failure = std::current_exception();
    state.stop = 0;
  }
}

}  // namespace

CaseSearch search_cases(const SessionFactory& make_session, const CaseSplit& split,
                        Deadline& deadline) {
  // The main thread's session counts the cases and is the first worker.
  SearchState state;
  CaseSearch search;
  {
    const std::unique_ptr<QuerySession> probe = make_session();
    search.cases = probe->case_count();
    search.lemmas = probe->query().lemmas.size();
  }
  const std::size_t owned =
      search.cases > split.shard_index
          ? (search.cases - split.shard_index + split.shard_count - 1) / split.shard_count
          : 0;
  state.answers.resize(owned);
  const unsigned threads = std::max(1u, std::min<unsigned>(split.threads, owned));
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t)
    workers.emplace_back(run_worker, std::cref(make_session), std::cref(split), std::ref(deadline),
                         std::ref(state));
  run_worker(make_session, split, deadline, state);
  for (std::thread& worker : workers) worker.join();
  if (state.failure) std::rethrow_exception(state.failure);

  // In case order: the first case not unsat decides; a case not answered (the deadline) leaves
  // the search undecided unless a later answered case is sat, which is a counterexample whatever
  // came before.
  for (std::size_t position = 0; position < owned; ++position) {
    const auto& answer = state.answers[position];
    const std::size_t k = split.shard_index + position * split.shard_count;
    if (!answer) {
      search.timed_out = true;
      search.answer = z3::unknown;
      for (std::size_t later = position + 1; later < owned; ++later) {
        if (!state.answers[later]) continue;
        ++search.solved;
        if (state.answers[later]->answer != z3::sat) continue;
        search.answer = z3::sat;
        search.decided_by = split.shard_index + later * split.shard_count;
        search.timed_out = false;
        break;
      }
      return search;
    }
    ++search.solved;
    if (answer->answer == z3::unsat) continue;
    search.answer = answer->answer;
    search.decided_by = k;
    search.why = answer->why;
    return search;
  }
  return search;
}

std::string undecided_reason(const CaseSearch& search) {
  if (search.timed_out)
    return "timeout after " + std::to_string(search.solved) + " of " +
           std::to_string(search.cases) + " cases";
  if (!search.decided_by) return {};
  return search.why + " in case " + std::to_string(*search.decided_by + 1) + " of " +
         std::to_string(search.cases);
}

std::optional<z3::model> model_of_case(QuerySession& session, std::size_t k, Deadline& deadline) {
  deadline.watch(session.context());
  std::optional<CaseOutcome> outcome;
  try {
    outcome = decide_case(session, k, deadline);
  } catch (const z3::exception&) {
    outcome.reset();
  }
  deadline.unwatch(session.context());
  if (!outcome || outcome->answer != z3::sat) return std::nullopt;
  return std::move(outcome->model);
}

std::string smtlib_of_cases(QuerySession& session, const CaseSplit& split) {
  z3::context& context = session.context();
  const Query& query = session.query();
  z3::solver base(context);
  for (const z3::expr& constraint : session.encoder().constraints()) base.add(constraint);
  // Every symbol must be declared even when no constraint mentions it.
  base.add(*query.goal || !*query.goal);
  for (const z3::expr& lemma : query.lemmas) base.add(lemma || !lemma);
  for (const auto& group : session.encoder().case_groups())
    for (const auto* literals : {&group.first, &group.second})
      for (const z3::expr& literal : *literals) base.add(literal || !literal);
  std::string declarations = base.to_smt2();
  const auto last = declarations.rfind("(check-sat)");
  if (last != std::string::npos) declarations.erase(last);
  std::string text;
  for (std::size_t k = split.shard_index; k < session.case_count(); k += split.shard_count) {
    for (const auto& problem : session.case_problems(k)) {
      if (!text.empty()) text += "(reset)\n";
      text += declarations;
      for (const z3::expr& assertion : problem) text += "(assert " + assertion.to_string() + ")\n";
      text += "(check-sat)\n";
    }
  }
  return text;
}

}  // namespace mechcheck::smt

#pragma once
// A query's case split (supports, TV levels) searched case by case: each case is conjunctive and
// quick for Z3, the whole disjunction is not. Cases are numbered 0 .. cases − 1, most interior
// first; all unsat is a proof, and the first case (by number) that is not unsat decides: a sat
// case is a counterexample, an unknown one (or a lemma that does not hold in it) leaves the
// query undecided.
//
// Work is spread two ways, and neither changes the answer:
//  * threads: each worker owns a Z3 context with the query built into it (contexts are not
//    shared between threads; the build is deterministic, so case k is the same problem in every
//    context) and takes the next case; cases after a decided one are skipped.
//  * shards: shard k/N searches cases k − 1, k − 1 + N, …; `mechcheck merge` joins the shards
//    (report/prove_merge.hpp).
// A deadline interrupts every context; cases not answered by then leave the search undecided,
// unless a case already answered is sat.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "checks/smt/query.hpp"

namespace mechcheck::smt {

// One Z3 context with one query built into it.
class QuerySession {
 public:
  QuerySession(const SmtMechanism& mechanism, SmtProperty property, const ProveOptions& options,
               Relaxation relaxation);
  QuerySession(const QuerySession&) = delete;
  QuerySession& operator=(const QuerySession&) = delete;

  z3::context& context() { return *context_; }
  Encoder& encoder() { return *encoder_; }
  const Query& query() const { return query_; }
  std::size_t case_count() const { return case_count_; }
  // Case k's literals (mixed radix over the policies' case groups, the last group fastest).
  z3::expr case_assumption(std::size_t k);
  // Case k's problems, in the order they are decided: each lemma's negation, then the goal with
  // every lemma assumed.
  std::vector<std::vector<z3::expr>> case_problems(std::size_t k);

 private:
  std::unique_ptr<z3::context> context_;
  std::optional<Encoder> encoder_;  // refers to *context_
  Query query_;
  std::vector<std::vector<z3::expr>> group_cases_;
  std::size_t case_count_ = 1;
};

// The deadline of a proof: a watchdog thread interrupts every registered context when it passes
// (Z3's own timeout is not checked everywhere in nonlinear arithmetic).
class Deadline {
 public:
  explicit Deadline(std::chrono::steady_clock::time_point at);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  bool expired() const;
  void watch(z3::context& context);
  void unwatch(z3::context& context);

 private:
  std::chrono::steady_clock::time_point at_;
  mutable std::mutex mutex_;
  std::condition_variable stopped_signal_;
  bool stopped_ = false, fired_ = false;
  std::vector<z3::context*> contexts_;
  std::thread watchdog_;
};

struct CaseSplit {
  unsigned threads = 1;
  std::size_t shard_index = 0, shard_count = 1;  // 0-based shard of shard_count
};

struct CaseSearch {
  z3::check_result answer = z3::unsat;  // unsat: every case of the shard is unsat
  std::size_t cases = 1;                // the query's whole split (every shard's)
  std::size_t lemmas = 0;
  // Cases answered up to the deciding one (all of the shard's when unsat).
  std::size_t solved = 0;
  std::optional<std::size_t> decided_by;  // 0-based number of the deciding case
  bool timed_out = false;  // the deadline passed before the shard's cases up to it were answered
  std::string why;         // unknown: Z3's reason or the lemma that does not hold
};

// Builds the query into a context of its own: called once per search thread.
using SessionFactory = std::function<std::unique_ptr<QuerySession>()>;

// Searches the shard's cases of the query `make_session` builds.
CaseSearch search_cases(const SessionFactory& make_session, const CaseSplit& split,
                        Deadline& deadline);

// Why an undecided search is undecided, as the report says it: `Z3 answered unknown (why) in case
// 5 of 63`, `lemma 2 does not hold in case 5 of 63`, `timeout after 47 of 63 cases`.
std::string undecided_reason(const CaseSearch& search);

// Decides case k alone in `session` (a fresh one: its model depends only on the case), for the
// counterexample of a sat case. nullopt when it is not sat this time (the deadline).
std::optional<z3::model> model_of_case(QuerySession& session, std::size_t k, Deadline& deadline);

// Every case of the shard as standalone SMT-LIB 2 problems separated by (reset): any `sat` is a
// counterexample (or an unproved lemma), all `unsat` the proof.
std::string smtlib_of_cases(QuerySession& session, const CaseSplit& split);

}  // namespace mechcheck::smt

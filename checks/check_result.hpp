#pragma once
// What a property check returns: a verdict, typed evidence, and (when violated) a confirmed,
// shrunk witness. JSON is made from these by report/, never here.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checks/verdict.hpp"
#include "mechanisms/game.hpp"

namespace mechcheck {

struct Confirmation {
  std::string precision;  // "exact", "100", "200"
  std::string value;      // the confirmed quantity, exact or 30 digits
};

// Evidence fields; absent ones are not reported.
struct CheckEvidence {
  std::size_t agents = 0;
  std::optional<long> evaluations;            // dsic: mechanism runs of the search
  std::optional<std::string> strategy;        // dsic: the search strategy that found the gain
  std::optional<double> float_gain;           // dsic: the gain in double, before confirmation
  std::optional<double> max_gain_found;       // dsic: the best gain when nothing was confirmed
  std::optional<Confirmation> confirmation;   // a float finding recomputed exactly / 100 digits
  bool unconfirmed_float_finding = false;     // … and it did not stand
  std::optional<std::string> precision;       // ir / nonneg / budget: where values were measured
  std::vector<double> values;                 // ir: utilities; nonneg: payments; budget: slack;
                                              // revenue: Σ payments
  std::optional<double> epsilon;              // approx-dsic
  std::optional<double> gain_over_bound;      // approx-dsic: of the witness
  std::optional<double> max_gain_over_bound;  // approx-dsic: how close the search got
  std::optional<std::string> reason;          // inconclusive: why
  std::optional<std::size_t> reason_agent;    // … and for which agent
  std::optional<std::size_t> witness_agent;
  std::optional<std::string> witness_value;
};

struct CheckResult {
  Verdict verdict = Verdict::holds;
  CheckEvidence evidence;
  std::optional<GameWitness> witness;
};

struct CheckOptions {
  SearchEffort effort = effort_preset(Effort::standard);
  std::uint64_t seed = 0;     // the stream for this game (already derived per instance)
  Rational noise_epsilon{0};  // approx-dsic
  bool shrink = true;         // shrink confirmed witnesses
};

}  // namespace mechcheck

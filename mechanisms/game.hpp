#pragma once
// The mechanism interface every numeric check runs against. A *game* is a mechanism (a family
// with its parameters) together with the agents' true types; checks ask it for one agent's
// deviation space (searched in double), for exact or high-precision measurements of a claimed
// violation (confirmation, replay), and for smaller games that still show it (shrinking).
// Reports are points in the family's own coordinates (the RLHF Game: reward then size; an
// auction: the bid); only the family knows what they mean.
#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "generators/rng.hpp"
#include "mechanisms/property.hpp"
#include "mechanisms/search_effort.hpp"
#include "spec/exact_number.hpp"
#include "spec/rational.hpp"

namespace mechcheck {

using Point = Eigen::VectorXd;             // a report in the family's coordinates, for search
using ExactPoint = std::vector<Rational>;  // the same coordinates, exact

// Who pays whom: the sign convention of a family's payments.
enum class Money {
  agents_pay,      // utility = valuation − payment (the RLHF Game, selling auctions)
  mechanism_pays,  // utility = payment − cost (procurement: payments are money received)
};

struct Move {
  Point report;
  const char* strategy;
};

// One local ascent in progress; a search may run several side by side. The family keeps its
// per-ascent data (a gradient, which candidate comes next) here, not in the deviation space.
struct Ascent {
  Point from;                   // where it stands
  double value = 0;             // the gain at `from`
  double step = 0;              // the step length
  Eigen::VectorXd direction{};  // the family's: e.g. a finite-difference gradient
  int next = 0;                 // the family's: the next candidate kind
};

// One agent's utility as a function of its own report, the others truthful, in double.
class DeviationSpace {
 public:
  virtual ~DeviationSpace() = default;
  virtual const Point& truth() const = 0;
  // u_i(report) − u_i(truth).
  virtual double gain(const Point& report) = 0;
  // Several gains at once, the same values as gain(): one request to an external mechanism.
  virtual std::vector<double> gains(std::span<const Point> reports) {
    std::vector<double> out;
    out.reserve(reports.size());
    for (const Point& report : reports) out.push_back(gain(report));
    return out;
  }
  // True when a batch costs about as much as one report (a process round trip dominates), so the
  // search should ask for whole batches, local-ascent candidates included.
  virtual bool prefers_batches() const { return false; }
  // The family's structured misreports (the papers' constructions, every size, lattices).
  virtual std::vector<Move> structured(const SearchEffort& effort) = 0;
  virtual Point random_report(Rng& rng) = 0;
  // A small random move around `report`, or nothing.
  virtual std::optional<Point> perturb(const Point& report, Rng& rng) = 0;
  // Local ascent from ascent.from (gain ascent.value) at ascent.step. The probes are reports whose
  // gains the family needs before it can rank candidates (finite differences; none by default);
  // start_moves gets their gains in that order — or null, and evaluates them itself one at a time
  // with gain(). next_move then gives candidates one at a time, best first, written into `out`
  // (a point the search reuses: no allocation when it already has the report's size), and returns
  // false when there are no more; the search takes the first that improves and asks for no more,
  // so a candidate costs nothing until it is needed.
  virtual std::size_t probe_count(const Ascent& /*ascent*/) const { return 0; }
  // Writes the probe_count() probes to out[0..count); out's points are reused (no allocation
  // when they already have the report's size).
  virtual void probes(const Ascent& /*ascent*/, Point* /*out*/) const {}
  virtual void start_moves(Ascent& ascent, const double* probe_gains) = 0;
  virtual bool next_move(Ascent& ascent, Rng& rng, Point& out) = 0;
  // The legal exact report nearest to `report` (what a witness records).
  virtual ExactPoint exact(const Point& report) const = 0;
  virtual long evaluations() const = 0;
};

// A claimed violation, exact: what `confirm`, `shrink` and `replay` measure.
struct Finding {
  Property property = Property::dsic;
  std::size_t agent = 0;
  std::optional<ExactPoint> deviation;    // dsic, approx-dsic
  std::vector<Rational> truth_noise;      // approx-dsic: noise on the truthful report
  std::vector<Rational> deviation_noise;  // approx-dsic: noise on the misreport
  Rational epsilon{0};                    // approx-dsic: the noise bound
};

// A quantity measured exactly or at high precision, with its sign beyond the noise floor.
struct Measurement {
  int sign = 0;           // +1 / −1 beyond the noise floor, 0 when indistinguishable from 0
  std::string text;       // exact "p/q" or a 30-digit decimal
  double approx = 0;      // for people and reports
  std::string precision;  // "exact", "100", "200"
  // An external mechanism's answers the value was computed from, as JSON text
  // ({"truthful": R, "deviation": R}); empty for built-in mechanisms. A witness records these,
  // not a fresh call.
  std::string answers;
};

// A quantity a built-in family computed exactly in rationals: its sign is the violation's.
inline Measurement exact_measurement(const Rational& value) {
  Measurement out;
  out.sign = value > 0 ? 1 : (value < 0 ? -1 : 0);
  out.text = to_exact_string(value);
  out.approx = value.convert_to<double>();
  out.precision = "exact";
  return out;
}

// What a noise-aware search found: the misreport and both noises (approx-dsic).
struct NoisyDeviation {
  Finding finding;             // the worst noisy misreport found
  double gain_over_bound = 0;  // its gain / the bound
  bool exceeds_bound = false;  // beyond the bound by more than the search tolerance
};

class Game {
 public:
  virtual ~Game() = default;
  virtual std::string_view family() const = 0;
  virtual std::string_view agent_noun() const = 0;  // "group", "agent"
  virtual Money money() const = 0;
  virtual std::size_t agent_count() const = 0;
  // Float gains below this are rounding, not incentives.
  virtual double search_tolerance() const = 0;
  // True when the search's gains are exact values rounded to double (an external mechanism's
  // exact answers): a confirmation that disagrees with them beyond rounding means the mechanism
  // answered the same profile differently, not that the search was imprecise.
  virtual bool search_gains_are_exact() const { return false; }
  // Whether a dsic finding's deviation is the agent's truthful report (never a witness).
  virtual bool is_truthful(const Finding& finding) const = 0;

  virtual std::unique_ptr<DeviationSpace> deviations(std::size_t agent) const = 0;

  // The finding's quantity, exactly or at the precision the game's conditioning needs:
  // dsic the gain; ir the truthful utility; nonneg the payment; budget the slack
  // (Σ costs − Σ paid); revenue Σ payments; approx-dsic the gain minus the Thm 4.12 bound.
  virtual Measurement measure(const Finding& finding) const = 0;

  // Throws SpecError naming the field when the finding's deviation or noise is not a legal
  // report of this game (a witness is evidence only if it is legal).
  virtual void validate(const Finding& finding) const = 0;

  // Smaller or simpler games with the finding carried over, simplest first.
  struct Shrunk {
    std::shared_ptr<const Game> game;
    Finding finding;
    bool needs_fewer_digits = false;  // only simpler numbers: kept only if strictly simpler
  };
  virtual std::vector<Shrunk> shrink_candidates(const Finding& finding) const = 0;
  // Digits of every exact number in the game and finding: "simpler" means fewer.
  virtual std::size_t size_in_digits(const Finding& finding) const = 0;

  // Implementability, for families with exact outcomes: `agent`'s types on a grid of the given
  // resolution (scalar types: resolution + 1 evenly spaced points of `range`), and
  // value(a, b), what true type b values the outcome of reporting type a at (no money).
  virtual std::vector<ExactPoint> type_grid(
      std::size_t agent, int resolution,
      const std::optional<std::pair<Rational, Rational>>& range) const {
    (void)agent, (void)resolution, (void)range;
    return {};
  }
  virtual std::optional<std::vector<std::vector<Rational>>> exact_type_values(
      std::size_t agent, const std::vector<ExactPoint>& types) const {
    (void)agent, (void)types;
    return std::nullopt;
  }

  // Approximate DSIC, for families that define noise on reports: the worst noisy misreport
  // found for `agent` within `epsilon`, or nothing when the family has no noise.
  virtual std::optional<NoisyDeviation> search_noisy(std::size_t agent, const Rational& epsilon,
                                                     const SearchEffort& effort, Rng& rng) const {
    (void)agent, (void)epsilon, (void)effort, (void)rng;
    return std::nullopt;
  }
};

// A confirmed violation as evidence: the game (family, parameters, true types), the finding, and
// the value recorded when it was confirmed. `mechcheck replay` measures it again.
struct GameWitness {
  std::shared_ptr<const Game> game;
  Finding finding;
  std::string recorded_value;
  std::string precision;
  std::string answers;  // Measurement::answers of the recorded value (external mechanisms)
};

// Where a check run's games come from: fixed instances or a seeded generator.
class GameSource {
 public:
  virtual ~GameSource() = default;
  virtual std::uint64_t fixed_count() const = 0;  // 0: generated
  // Game k: the k-th fixed instance, or drawn from stream k of `seed`.
  virtual std::shared_ptr<const Game> game(std::uint64_t k, std::uint64_t seed) const = 0;
};

}  // namespace mechcheck

#pragma once
// A mechanism computed outside mechcheck: a program spoken to over the JSON-lines protocol of
// docs/protocol.md (ProcessMechanism, one process per concurrent caller), or any other
// transport with the same shapes (the Python module's in-process callable). Families encode
// profiles and decode results (their codec); this layer moves them and names what went wrong.
#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "mechanisms/game.hpp"
#include "spec/rational.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {

inline constexpr int kProtocolVersion = 1;
inline constexpr std::size_t kMaxBatch = 4096;
// Caps a hostile or broken program cannot get past (docs/protocol.md "Limits"): a reply line
// longer than this is a protocol violation (read no further), and so is an exact number with
// more digits (plus decimal exponent) than kMaxAnswerDigits — 4,000-digit rationals already
// slow a check 30-fold, a million digits would not finish.
inline constexpr std::size_t kMaxReplyLineBytes = std::size_t{64} << 20;
inline constexpr std::size_t kMaxAnswerDigits = 10000;

// A protocol violation, a crash, a timeout or an error reply: bad input from the mechanism.
// The message names the request, the field and the file holding the profile that caused it.
class ExternalMechanismError : public SpecError {
 public:
  using SpecError::SpecError;
};

// The mechanism answered one profile two different ways (random tie-breaking, state kept across
// calls): not bad input but no verdict either — the result it belongs to is inconclusive.
class MechanismAnsweredTwoWays : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "mechanism": {"external": {"command": [...], "timeout": 10, "options": {...}}}
struct ExternalCommand {
  std::vector<std::string> command;
  std::chrono::milliseconds timeout{10000};
  nlohmann::json options;  // null when absent
};

// Reads the "external" object (field names the path, e.g. "mechanism.external").
ExternalCommand read_external_command(const nlohmann::json& value, const std::string& field);
nlohmann::json external_command_json(const ExternalCommand& command);
// Splits a command line into words as a shell would (quotes, backslashes), with no expansions.
std::vector<std::string> split_command_line(const std::string& text, const std::string& field);

class ExternalMechanism {
 public:
  virtual ~ExternalMechanism() = default;
  struct Reply {
    long request = 0;  // the request id that produced it (for error messages)
    int worker = 1;    // the process that answered
    std::vector<nlohmann::json> results;
  };
  // One result per profile (at most kMaxBatch), in order; thread-safe. Throws
  // ExternalMechanismError.
  virtual Reply run(const std::vector<nlohmann::json>& profiles) const = 0;
  // What a witness records under "mechanism" (command, handshake, name, version).
  virtual nlohmann::json record() const = 0;
  // The handshake of a mechanism that is not a process (a process gets it as `init`): the
  // family, its parameters (with the config's "options") and the config's reply timeout. Called
  // once when a config or witness is read, before any run().
  virtual void initialize(const std::string& family, const nlohmann::json& parameters,
                          std::chrono::milliseconds timeout) const {
    (void)family, (void)parameters, (void)timeout;
  }
  // The same mechanism with another command (replay --mechanism); nothing when not a process.
  virtual std::shared_ptr<const ExternalMechanism> with_command(
      const ExternalCommand& command) const {
    (void)command;
    return nullptr;
  }
};

// Starts `command` lazily, one process per concurrent caller of run() (so `--threads T` runs at
// most T processes), each greeted with {"type": "init", "family", "parameters"}.
std::shared_ptr<const ExternalMechanism> make_process_mechanism(ExternalCommand command,
                                                                std::string family,
                                                                nlohmann::json parameters);

// A mechanism's result that a family's decoder refused (SpecError naming the field inside the
// result) becomes the protocol violation naming request, field and profile.
[[noreturn]] void reject_result(int worker, long request, std::size_t index, const SpecError& error,
                                const nlohmann::json& profile);

// A mechanism that failed on a request as a whole (did not reply in time, crashed): "mechanism
// request N: PROBLEM (profile: FILE)", FILE holding `content` (nothing saved when null), as a
// process's failure is worded. `index` names the profile within the request, if known.
[[noreturn]] void reject_request(int worker, long request, const std::string& problem,
                                 std::optional<std::size_t> index, const nlohmann::json& content);

// Runs the profiles in batches of at most kMaxBatch and decodes each result; a decoder's
// SpecError becomes reject_result.
template <class Decoded, class Decode>
std::vector<Decoded> run_and_decode(const ExternalMechanism& mechanism,
                                    const std::vector<nlohmann::json>& profiles, Decode&& decode) {
  std::vector<Decoded> out;
  out.reserve(profiles.size());
  for (std::size_t start = 0; start < profiles.size(); start += kMaxBatch) {
    const std::size_t end = std::min(profiles.size(), start + kMaxBatch);
    std::vector<nlohmann::json> batch(profiles.begin() + static_cast<std::ptrdiff_t>(start),
                                      profiles.begin() + static_cast<std::ptrdiff_t>(end));
    ExternalMechanism::Reply reply = mechanism.run(batch);
    for (std::size_t k = 0; k < reply.results.size(); ++k) {
      try {
        out.push_back(decode(reply.results[k]));
      } catch (const SpecError& error) {
        reject_result(reply.worker, reply.request, k, error, batch[k]);
      }
    }
  }
  return out;
}

// A number in a mechanism's answer: a JSON integer, a decimal (number or string) or "p/q".
Rational read_answer_number(const nlohmann::json& value, const std::string& field);

// What a check needs besides the mechanism: the tolerance δ (docs/protocol.md "Tolerance"),
// the run's seed (each profile carries a seed derived from it and the profile), and whether a
// mechanism's failure on one instance ends the run (the default) or makes that instance
// inconclusive ("on_mechanism_error": "inconclusive").
struct ExternalSetup {
  std::shared_ptr<const ExternalMechanism> mechanism;
  Rational tolerance{0};
  std::uint64_t seed = 1;
  bool errors_inconclusive = false;
};

// The setup with another run seed (a game source makes its games' setups with the run's seed).
std::shared_ptr<const ExternalSetup> with_run_seed(
    const std::shared_ptr<const ExternalSetup>& setup, std::uint64_t seed);

// The profile's "seed": a function of the run seed and the profile (without "seed"), below
// 2^53 so that every JSON reader keeps it exact. A mechanism that breaks ties at random may seed
// its generator with it and stay a function of the profile.
std::uint64_t profile_seed(std::uint64_t run_seed, const nlohmann::json& profile);

// Asks the setup's mechanism for the profiles (each given its "seed"), decoded; a decoder's
// SpecError becomes the protocol violation naming request, field and profile.
template <class Decoded, class Decode>
std::vector<Decoded> ask_mechanism(const ExternalSetup& setup, std::vector<nlohmann::json> profiles,
                                   Decode&& decode) {
  for (nlohmann::json& profile : profiles) profile["seed"] = profile_seed(setup.seed, profile);
  return run_and_decode<Decoded>(*setup.mechanism, profiles, std::forward<Decode>(decode));
}

// What a confirmation measured: the decoded answers and the mechanism's raw results, one per
// profile, as it gave them.
template <class Decoded>
struct AskedTwice {
  std::vector<Decoded> answers;
  std::vector<nlohmann::json> raw;
};

// Asks for the profiles twice (a mechanism is a function of the profile only where that is
// checked); throws MechanismAnsweredTwoWays naming the profile and both answers when the two
// decoded answers to one profile differ.
template <class Decoded, class Decode>
AskedTwice<Decoded> ask_twice(const ExternalSetup& setup, std::vector<nlohmann::json> profiles,
                              Decode&& decode);

// The message of MechanismAnsweredTwoWays.
std::string answered_two_ways(const nlohmann::json& profile, const nlohmann::json& first,
                              const nlohmann::json& second);

// Reads "mechanism" and "tolerance" of a config or witness when it has "mechanism"; `family`
// and `parameters` form the handshake. `given` replaces the document's mechanism (or makes the
// setup when the document names none). Nothing when neither. Throws SpecError naming the field.
std::shared_ptr<const ExternalSetup> read_external_setup(
    const nlohmann::json& document, const std::string& family, nlohmann::json parameters,
    std::shared_ptr<const ExternalMechanism> given = nullptr);

// A quantity computed exactly from a mechanism's answers: beyond the tolerance it has a sign,
// within it counts as the boundary (docs/protocol.md "Tolerance").
Measurement measured_by_mechanism(const Rational& value, const Rational& tolerance);

// A result that is one outcome (probability 1), or a lottery over outcomes
// {"lottery": [{"probability": p, <outcome keys>}, ...]}: the probabilities (exact, in [0, 1],
// summing to 1 within 1e-9, divided by their sum so that they total exactly 1), each outcome's
// JSON without "probability", and the field prefix that names it ("" or "lottery[2].").
// `outcome_keys` completes the message for a malformed lottery ("\"selected\", \"payments\"").
// Throws SpecError naming the field. Each family decodes the outcomes itself.
struct Lottery {
  std::vector<Rational> probabilities;
  std::vector<nlohmann::json> outcomes;
  std::vector<std::string> fields;
};
Lottery read_lottery(const nlohmann::json& result, const std::string& outcome_keys);

// Reads the check's answer numbers of a JSON array of `count` entries at `field`.
std::vector<Rational> read_answer_array(const nlohmann::json& value, const std::string& field,
                                        std::size_t count);

// A witness's recorded answers, checked first: `measure(answers)` (the finding's quantity from
// the answers and the types) must give the recorded value, or the witness would contradict
// itself — std::logic_error, a bug in mechcheck, not in the mechanism.
template <class Measure>
nlohmann::json recorded_answers(const GameWitness& witness, Measure&& measure) {
  if (witness.answers.empty())
    throw std::logic_error("a witness of an external mechanism has no recorded answers");
  nlohmann::json answers = nlohmann::json::parse(witness.answers);
  const Measurement again = measure(answers);
  if (again.text != witness.recorded_value)
    throw std::logic_error("a witness's recorded answers give " + again.text + ", not its " +
                           "recorded value " + witness.recorded_value);
  return answers;
}

template <class Decoded, class Decode>
AskedTwice<Decoded> ask_twice(const ExternalSetup& setup, std::vector<nlohmann::json> profiles,
                              Decode&& decode) {
  for (nlohmann::json& profile : profiles) profile["seed"] = profile_seed(setup.seed, profile);
  std::vector<nlohmann::json> doubled = profiles;
  doubled.insert(doubled.end(), profiles.begin(), profiles.end());
  AskedTwice<Decoded> out;
  std::vector<nlohmann::json> raw;
  const std::vector<Decoded> both =
      run_and_decode<Decoded>(*setup.mechanism, doubled, [&](const nlohmann::json& result) {
        raw.push_back(result);
        return decode(result);
      });
  const std::size_t count = profiles.size();
  for (std::size_t k = 0; k < count; ++k)
    if (!(both[k] == both[count + k]))
      throw MechanismAnsweredTwoWays(answered_two_ways(profiles[k], raw[k], raw[count + k]));
  out.answers.assign(both.begin(), both.begin() + static_cast<std::ptrdiff_t>(count));
  out.raw.assign(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(count));
  return out;
}

}  // namespace mechcheck

// libFuzzer target: arbitrary bytes through `mechcheck replay`'s path (cli/replay_command.cpp):
//   parse_exact_json → family_of(document).read_witness(document) → (games with at most
//   kMaxAgents groups/agents and, for the RLHF Game, at most kMaxOutcomes outcomes)
//   confirm_finding(witness.game, witness.finding), which validates the finding, then measures it
//   exactly or at 100/200 digits.
//
// Expected behaviour: bad input is a mechcheck::SpecError and nothing else; the measurement may
// also give up with the solver's NumericalFailure (`mechcheck replay` then reports the error
// through main's handler; counted in the stats, not a finding). Anything else is a finding and
// aborts (libFuzzer saves the input): a sanitizer report, a hang (-timeout) or a failed check,
// by the name MECHCHECK_FUZZ_SKIP=a,b,... switches off:
//   exception           only SpecError escapes parse_exact_json / family_of / read_witness, and
//                       only SpecError or NumericalFailure escapes confirm_finding (cannot be
//                       skipped)
//   witness-roundtrip   witness_to_json of an accepted witness is read back by the same family
//                       (the same family name) and re-serializes to the same JSON
//   measurement         the measured value is a sign in {-1, 0, +1} and a number in exact syntax
//                       whose own sign agrees with a non-zero measured sign; the witness is
//                       returned exactly when the finding stands
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>

#include "checks/confirm.hpp"
#include "fuzz_support.hpp"
#include "mechanisms/family.hpp"
#include "mechanisms/rlhf_game/rlhf_game.hpp"
#include "solver/policy_solution.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace {

using namespace mechcheck;
using fuzz::check_enabled;
using fuzz::expect_only_spec_error;
using fuzz::fail;
using fuzz::shorten;

// Measurement is only attempted this small: an RLHF measurement solves the game twice at up to
// 200 digits, and each run must stay well under -timeout.
constexpr std::size_t kMaxAgents = 12;
constexpr std::size_t kMaxOutcomes = 12;

// Counts of how far inputs get, printed at exit with MECHCHECK_FUZZ_STATS=1 (to see what a
// corpus exercises: build-fuzz/tests/fuzz/fuzz_witness -runs=0 CORPUS).
struct Stats {
  long inputs = 0, json = 0, witnesses = 0, measured = 0, refused = 0, numerical = 0, stands = 0;
  ~Stats() {
    const char* on = std::getenv("MECHCHECK_FUZZ_STATS");
    if (on && *on && *on != '0')
      std::fprintf(stderr,
                   "mechcheck-fuzz stats: inputs %ld, JSON %ld, witnesses %ld, measured %ld "
                   "(refused by validate/measure %ld, NumericalFailure %ld, standing %ld)\n",
                   inputs, json, witnesses, measured, refused, numerical, stands);
  }
} stats;

// Runs `body`; a SpecError is expected input rejection (returns false), anything else a finding.

bool small_enough(const Game& game) {
  if (game.agent_count() > kMaxAgents) return false;
  if (const auto* rlhf = dynamic_cast<const RlhfGame*>(&game))
    return rlhf->instance().outcome_count() <= kMaxOutcomes;
  return true;
}

void check_roundtrip(const Family& family, const GameWitness& witness, std::string_view text) {
  nlohmann::json written;
  std::string dumped;
  try {
    written = family.witness_to_json(witness);
    dumped = written.dump();
    const nlohmann::json again_document = parse_exact_json(dumped);
    const Family& again_family = family_of(again_document);
    if (again_family.name() != family.name())
      fail("witness-roundtrip", "witness_to_json of a " + std::string(family.name()) +
                                    " witness names family " + std::string(again_family.name()) +
                                    ": " + shorten(dumped, 600));
    const GameWitness again = again_family.read_witness(again_document);
    const nlohmann::json rewritten = again_family.witness_to_json(again);
    if (rewritten != written)
      fail("witness-roundtrip",
           "witness changed on witness_to_json + read_witness: " + shorten(dumped, 600) + " -> " +
               shorten(rewritten.dump(), 600) + "; input " + shorten(std::string(text)));
  } catch (const std::exception& e) {
    fail("witness-roundtrip",
         std::string("witness_to_json/read_witness threw ") + typeid(e).name() + ": " + e.what() +
             "; json = " + shorten(dumped, 600) + "; input " + shorten(std::string(text)));
  }
}

void check_measurement(const GameWitness& witness, const Confirmed& confirmed,
                       std::string_view text) {
  const Measurement& value = confirmed.value;
  const std::string where = "; input " + shorten(std::string(text));
  if (value.sign < -1 || value.sign > 1)
    fail("measurement", "sign " + std::to_string(value.sign) + where);
  if (value.precision.empty()) fail("measurement", "no precision" + where);
  std::optional<ExactNumber> number;
  try {
    number = parse_exact_number(value.text);
  } catch (const std::exception& e) {
    fail("measurement",
         "parse_exact_number(\"" + shorten(value.text) + "\") threw " + e.what() + where);
  }
  if (!number) fail("measurement", "value \"" + shorten(value.text) + "\" is not a number" + where);
  const int text_sign = number->value > 0 ? 1 : number->value < 0 ? -1 : 0;
  if (value.sign != 0 && text_sign != value.sign)
    fail("measurement", "sign " + std::to_string(value.sign) + " but value \"" +
                            shorten(value.text) + "\"" + where);
  if (value.precision == "exact" && text_sign != value.sign)
    fail("measurement", "exact value \"" + shorten(value.text) + "\" has sign " +
                            std::to_string(text_sign) + ", measured " + std::to_string(value.sign) +
                            where);
  if (confirmed.witness.has_value() != finding_stands(witness.finding, value))
    fail("measurement", "the witness is returned " +
                            std::string(confirmed.witness ? "although" : "unless") +
                            " the finding stands" + where);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ++stats.inputs;

  nlohmann::json document;
  if (!expect_only_spec_error("parse_exact_json", text, [&] { document = parse_exact_json(text); }))
    return 0;
  ++stats.json;
  // A witness of an external mechanism names a program to run: never start what a fuzzer wrote
  // (the protocol's replies have their own target, fuzz_protocol_reply).
  if (document.is_object() && document.contains("mechanism")) return 0;

  const Family* family = nullptr;
  GameWitness witness;
  if (!expect_only_spec_error("read_witness", text, [&] {
        family = &family_of(document);
        witness = family->read_witness(document);
      }))
    return 0;
  if (!witness.game)
    fail("exception", "read_witness returned no game on " + shorten(std::string(text)));
  ++stats.witnesses;

  if (check_enabled("witness-roundtrip")) check_roundtrip(*family, witness, text);

  if (!small_enough(*witness.game)) return 0;
  ++stats.measured;

  Confirmed confirmed;
  try {
    confirmed = confirm_finding(witness.game, witness.finding);
  } catch (const SpecError&) {
    ++stats.refused;
    return 0;
  } catch (const NumericalFailure&) {
    ++stats.numerical;
    return 0;
  } catch (const std::exception& e) {
    fail("exception", std::string("confirm_finding threw ") + typeid(e).name() +
                          " (not SpecError or NumericalFailure): " + e.what() + " on " +
                          shorten(std::string(text)));
  } catch (...) {
    fail("exception", "confirm_finding threw a non-std exception on " + shorten(std::string(text)));
  }
  if (confirmed.witness) ++stats.stands;
  if (check_enabled("measurement")) check_measurement(witness, confirmed, text);
  return 0;
}

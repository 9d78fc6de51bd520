// libFuzzer target: arbitrary bytes through `mechcheck prove`'s config path:
//   parse_exact_json → read_prove_config → set_prove_sizes (the config's own m and n) → for
//   m ≤ 6 and n ≤ 4, the Z3 encoding of the queries' parts (types, the rule's policy, the
//   affine-maximizer term, a group's outcome and a freed policy), built but not solved.
//
// Expected behaviour: bad input is a mechcheck::SpecError and nothing else; a config that is
// accepted encodes without an exception. Anything else is a finding and aborts (libFuzzer saves
// the input): a sanitizer report, a hang (-timeout) or a failed check:
//   exception  only SpecError escapes parse_exact_json/read_prove_config/set_prove_sizes
//   encode     encoding an accepted config throws nothing
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "checks/smt/encoding.hpp"
#include "fuzz_support.hpp"
#include "spec/exact_json.hpp"
#include "spec/prove_config.hpp"
#include "spec/spec_error.hpp"

namespace {

using namespace mechcheck;
using fuzz::check_enabled;
using fuzz::fail;
using fuzz::shorten;

// Encoding is only attempted this small (each run must stay well under -timeout).
constexpr std::size_t kMaxEncodedOutcomes = 6;
constexpr std::size_t kMaxEncodedGroups = 4;

void encode(const smt::SmtMechanism& mechanism) {
  z3::context context;
  smt::Encoder encoder(context, mechanism);
  const smt::SymbolicType truth = encoder.type("g0");
  std::vector<z3::expr> others = encoder.zeros();
  for (std::size_t i = 1; i < mechanism.groups; ++i)
    others = encoder.sum(others, encoder.type("g" + std::to_string(i)).weighted);
  const auto best = encoder.best_without("without", others);
  encoder.outcome("truth", others, truth.weighted, truth, best);
  encoder.outcome("lie", others, encoder.type("dev").weighted, truth, best);
  encoder.objective(encoder.any_policy("free"), encoder.free_scores("scores"));
  for (const auto& group : encoder.case_groups()) encoder.cases(group);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  smt::SmtMechanism mechanism;
  try {
    ProveConfig config = read_prove_config(parse_exact_json(text));
    set_prove_sizes(config, std::nullopt, std::nullopt);
    mechanism = config.mechanism;
  } catch (const SpecError&) {
    return 0;
  } catch (const std::exception& error) {
    fail("exception",
         std::string("not a SpecError: ") + error.what() + " on " + shorten(std::string(text)));
  }
  if (mechanism.outcomes > kMaxEncodedOutcomes || mechanism.groups > kMaxEncodedGroups) return 0;
  if (!check_enabled("encode")) return 0;
  try {
    encode(mechanism);
  } catch (const std::exception& error) {
    fail("encode", std::string("encoding an accepted config threw: ") + error.what() + " on " +
                       shorten(std::string(text)));
  }
  return 0;
}

// libFuzzer target: arbitrary bytes as one reply line of an external mechanism
// (docs/protocol.md), through what mechcheck does with a line: parse_exact_json, then each
// family's decoder of a result (rlhf-game: policy and payments for m outcomes and n groups;
// multi-unit-auction: selected and payments for n agents and K units), either one outcome or a
// lottery over outcomes, with m, n and K from the first byte.
//
// Expected behaviour: a malformed reply is a mechcheck::SpecError naming the field and nothing
// else (exit 2 with that field in `check`); an accepted RLHF answer has m policy entries ≥ 0
// summing to 1 within 1e-9 and n payments; an accepted auction answer is a lottery whose
// probabilities are ≥ 0 and sum to exactly 1, each outcome with distinct in-range agent indices,
// at most K of them, and n payments. Anything else aborts (libFuzzer saves the input).
#include <cstddef>
#include <cstdint>
#include <exception>
#include <set>
#include <string>
#include <string_view>
#include <typeinfo>

#include "fuzz_support.hpp"
#include "mechanisms/auction/auction_external.hpp"
#include "mechanisms/rlhf_game/rlhf_external.hpp"
#include "spec/exact_json.hpp"
#include "spec/spec_error.hpp"

namespace {

using namespace mechcheck;
using mechcheck::fuzz::expect_only_spec_error;
using mechcheck::fuzz::fail;
using mechcheck::fuzz::shorten;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t m = 1 + data[0] % 5, n = 1 + (data[0] / 5) % 4;
  AuctionParameters parameters;
  parameters.units = 1 + (data[0] / 20) % 3;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  nlohmann::json reply;
  if (!expect_only_spec_error("parse_exact_json", text, [&] { reply = parse_exact_json(text); }))
    return 0;
  RlhfAnswer answer;
  if (expect_only_spec_error("decode_rlhf_answer", text,
                             [&] { answer = decode_rlhf_answer(reply, m, n); })) {
    if (answer.policy.size() != m || answer.payments.size() != n)
      fail("rlhf-shape", "accepted a result of the wrong size: " + shorten(std::string(text)));
    Rational total = 0;
    for (const Rational& p : answer.policy) {
      if (p < 0) fail("rlhf-policy", "accepted a negative entry: " + shorten(std::string(text)));
      total += p;
    }
    if (abs(total - 1) > Rational(1, 1000000000))
      fail("rlhf-policy", "accepted a policy not summing to 1: " + shorten(std::string(text)));
  }
  AuctionAnswer lottery;
  if (expect_only_spec_error("decode_auction_answer", text,
                             [&] { lottery = decode_auction_answer(reply, parameters, n); })) {
    Rational total = 0;
    for (const Rational& p : lottery.probabilities) {
      if (p < 0)
        fail("auction-lottery", "accepted a negative probability: " + shorten(std::string(text)));
      total += p;
    }
    if (total != 1 || lottery.probabilities.size() != lottery.outcomes.size())
      fail("auction-lottery",
           "accepted probabilities not summing to 1: " + shorten(std::string(text)));
    for (const AuctionOutcome<Rational>& outcome : lottery.outcomes) {
      if (outcome.payments.size() != n)
        fail("auction-shape",
             "accepted the wrong number of payments: " + shorten(std::string(text)));
      const std::set<std::size_t> distinct(outcome.selected.begin(), outcome.selected.end());
      if (distinct.size() != outcome.selected.size() ||
          (!distinct.empty() && *distinct.rbegin() >= n))
        fail("auction-selected",
             "accepted repeated or out-of-range agents: " + shorten(std::string(text)));
      if (outcome.selected.size() > parameters.units)
        fail("auction-feasible", "accepted more agents than units: " + shorten(std::string(text)));
    }
  }
  return 0;
}

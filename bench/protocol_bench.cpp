// The external-mechanism protocol's cost per profile (docs/protocol.md, issue goal: ≤ 20 µs per
// profile at batch 256): batches of RLHF profiles (4 outcomes, 3 groups, exact "p/q" numbers as
// the search sends them) encoded, written, answered by an echo mechanism that does no work,
// read back as exact JSON and decoded as the family decodes results. The C++ echo isolates
// mechcheck's side; the Python echo adds what a Python service's interpreter costs.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "mechanisms/external/external_mechanism.hpp"
#include "mechanisms/rlhf_game/rlhf_external.hpp"

namespace {

using namespace mechcheck;
using json = nlohmann::json;

// The profiles a search sends: rationalized rewards (short fractions) and integer sizes.
std::vector<json> profiles(std::size_t count) {
  std::vector<json> out;
  for (std::size_t k = 0; k < count; ++k) {
    json groups = json::array();
    for (int j = 0; j < 3; ++j)
      groups.push_back({{"reward", {"1", std::to_string(k % 97) + "/97", "1/3", "2/7"}},
                        {"size", 1 + (j + static_cast<int>(k)) % 4}});
    out.push_back({{"initial", {"1/4", "1/4", "1/4", "1/4"}}, {"groups", groups}});
  }
  return out;
}

std::shared_ptr<const ExternalMechanism> echo(bool python) {
  ExternalCommand command;
  command.command = python
                        ? std::vector<std::string>{"python3", MECHCHECK_SOURCE_DIR
                                                   "/tests/external/mechanisms/echo_mechanism.py"}
                        : std::vector<std::string>{MECHCHECK_ECHO_MECHANISM};
  return make_process_mechanism(command, "rlhf-game",
                                {{"normalization", "max"}, {"max_group_size", 4}});
}

void protocol_round_trip(benchmark::State& state, bool python) {
  const auto mechanism = echo(python);
  const std::vector<json> batch = profiles(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto answers = run_and_decode<RlhfAnswer>(
        *mechanism, batch, [](const json& result) { return decode_rlhf_answer(result, 4, 3); });
    benchmark::DoNotOptimize(answers);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  // Wall time per profile (the benchmarks use real time): what a check waits for.
  state.counters["us_per_profile"] = benchmark::Counter(
      static_cast<double>(state.iterations() * state.range(0)),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::OneK::kIs1000);
}

void BM_ProtocolCppEcho(benchmark::State& state) { protocol_round_trip(state, false); }
void BM_ProtocolPythonEcho(benchmark::State& state) { protocol_round_trip(state, true); }
BENCHMARK(BM_ProtocolCppEcho)
    ->Arg(1)
    ->Arg(16)
    ->Arg(256)
    ->Arg(4096)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ProtocolPythonEcho)
    ->Arg(1)
    ->Arg(16)
    ->Arg(256)
    ->Arg(4096)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();

// The echo mechanism in C++, for timing mechcheck's side of the external-mechanism protocol
// (docs/protocol.md) without the cost of a Python interpreter: every rlhf-game profile gets the
// uniform policy and zero payments, every multi-unit-auction profile selects no one and pays 0.
// Only array lengths are read; numbers are never converted. Reads one request per line from
// stdin, writes one response per line to stdout (flushed), exits 0 at end of input.
#include <cstddef>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

json result(const json& profile, std::map<std::size_t, json>& uniform) {
  if (const auto bids = profile.find("bids"); bids != profile.end())
    return {{"selected", json::array()}, {"payments", json(std::vector<int>(bids->size(), 0))}};
  const std::size_t m = profile.at("initial").size();
  auto policy = uniform.find(m);
  if (policy == uniform.end()) {
    const std::string entry = m == 1 ? "1" : "1/" + std::to_string(m);
    policy = uniform.emplace(m, json(std::vector<std::string>(m, entry))).first;
  }
  return {{"policy", policy->second},
          {"payments", json(std::vector<int>(profile.at("groups").size(), 0))}};
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::map<std::size_t, json> uniform;  // m -> ["1/m", ...]
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const json request = json::parse(line);
    json reply;
    if (request.at("type") == "init") {
      reply = {{"type", "init_ok"}, {"name", "echo-cpp"}, {"version", "1"}};
    } else {
      json results = json::array();
      for (const json& profile : request.at("profiles"))
        results.push_back(result(profile, uniform));
      reply = {
          {"type", "run_ok"}, {"in_reply_to", request.at("id")}, {"results", std::move(results)}};
    }
    std::cout << reply.dump() << '\n';
    std::cout.flush();
  }
  return 0;
}

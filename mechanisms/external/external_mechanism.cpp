#include "mechanisms/external/external_mechanism.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "mechanisms/external/subprocess.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/instance_json.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

// Where the profile that broke a run is kept for the user (not an output: a diagnostic).
std::string save_profile(const std::string& name, const json& content) {
  const char* tmp = std::getenv("TMPDIR");
  const std::filesystem::path directory = tmp && *tmp ? tmp : "/tmp";
  const std::filesystem::path path = directory / name;
  std::ofstream file(path);
  file << content.dump(2) << "\n";
  return file ? path.string() : "(could not write " + path.string() + ")";
}

std::string profile_file_name(int worker, long request, std::optional<std::size_t> index) {
  std::string name = "mechcheck-profile-" + std::to_string(::getpid()) + "-w" +
                     std::to_string(worker) + "-" + std::to_string(request);
  if (index) name += "-" + std::to_string(*index);
  return name + ".json";
}

Rational read_tolerance(const json& value) {
  const Rational tolerance = read_number(value, "tolerance").value;
  if (tolerance < 0)
    throw SpecError("tolerance", "is " + to_exact_string(tolerance) + ", expected >= 0");
  return tolerance;
}

// "on_mechanism_error": "stop" (the default: the run ends with exit 2) or "inconclusive" (the
// instance is recorded as inconclusive with the error and the run goes on).
bool read_error_policy(const json& document) {
  if (!document.is_object() || !document.contains("on_mechanism_error")) return false;
  const json& value = document["on_mechanism_error"];
  if (value == "stop") return false;
  if (value == "inconclusive") return true;
  throw SpecError("on_mechanism_error",
                  "is " + value.dump() + ", expected \"stop\" or \"inconclusive\"");
}

std::string shortened(const std::string& line) {
  return line.size() <= 80 ? line : line.substr(0, 77) + "...";
}

// One process and its conversation.
class ProtocolClient {
 public:
  ProtocolClient(const ExternalCommand& command, const std::string& family, const json& parameters,
                 int worker)
      : timeout_(command.timeout), worker_(worker) {
    try {
      process_ = std::make_unique<Subprocess>(command.command,
                                              "[mechanism " + std::to_string(worker) + "] ");
    } catch (const ProcessFailure& failure) {
      throw ExternalMechanismError("mechanism.external.command", failure.what());
    }
    const json init = {{"type", "init"},
                       {"protocol", kProtocolVersion},
                       {"family", family},
                       {"parameters", parameters}};
    const json reply = exchange(init, 0, [] { return json(); });
    const std::string type = reply.value("type", "");
    if (type == "error")
      fail(0, "error", "the mechanism refused init: " + error_text(reply), std::nullopt, json());
    if (type != "init_ok")
      fail(0, "init_ok.type", "is \"" + type + "\", expected \"init_ok\" or \"error\"",
           std::nullopt, json());
    for (const char* key : {"name", "version"}) {
      if (reply.contains(key) && !reply[key].is_string())
        fail(0, std::string("init_ok.") + key, "expected a string", std::nullopt, json());
      identity_[key] = reply.value(key, "");
    }
  }

  const json& identity() const { return identity_; }

  ExternalMechanism::Reply run(const std::vector<json>& profiles) {
    const long id = ++last_request_;
    const json request = {{"type", "run"}, {"id", id}, {"profiles", profiles}};
    auto whole_request = [&] { return json{{"request", id}, {"profiles", profiles}}; };
    json reply = exchange(request, id, whole_request);
    const std::string type = reply.value("type", "");
    if (type == "error") {
      fail(id, "error", "the mechanism replied with an error: " + error_text(reply), std::nullopt,
           whole_request());
    }
    if (type != "run_ok")
      fail(id, "run_ok.type", "is \"" + type + "\", expected \"run_ok\" or \"error\"", std::nullopt,
           whole_request());
    if (!reply.contains("in_reply_to") || reply["in_reply_to"] != id)
      fail(id, "run_ok.in_reply_to",
           "is " + (reply.contains("in_reply_to") ? reply["in_reply_to"].dump() : "missing") +
               ", expected " + std::to_string(id),
           std::nullopt, whole_request());
    if (!reply.contains("results") || !reply["results"].is_array())
      fail(id, "run_ok.results", "expected an array", std::nullopt, whole_request());
    json& results = reply["results"];
    if (results.size() != profiles.size())
      fail(id, "run_ok.results",
           "has " + std::to_string(results.size()) + " results, expected " +
               std::to_string(profiles.size()) + " (one per profile)",
           std::nullopt, whole_request());
    ExternalMechanism::Reply out;
    out.request = id;
    out.worker = worker_;
    out.results.reserve(results.size());
    for (json& result : results) out.results.push_back(std::move(result));
    return out;
  }

 private:
  std::unique_ptr<Subprocess> process_;
  std::chrono::milliseconds timeout_;
  int worker_;
  long last_request_ = 0;
  json identity_ = json::object();

  static std::string error_text(const json& reply) {
    return reply.contains("text") && reply["text"].is_string() ? reply["text"].get<std::string>()
                                                               : reply.dump();
  }

  [[noreturn]] void fail(long request, const std::string& field, const std::string& problem,
                         std::optional<std::size_t> index, const json& content) const {
    throw_violation(worker_, request, field, problem, index, content);
  }

 public:
  [[noreturn]] static void throw_violation(int worker, long request, const std::string& field,
                                           const std::string& problem,
                                           std::optional<std::size_t> index, const json& content) {
    std::string where =
        request == 0 ? "mechanism init" : "mechanism request " + std::to_string(request);
    if (worker > 1) where += " (worker " + std::to_string(worker) + ")";
    std::string message = problem;
    if (!content.is_null())
      message +=
          " (profile: " + save_profile(profile_file_name(worker, request, index), content) + ")";
    throw ExternalMechanismError(field.empty() ? where : where + ": " + field, message);
  }

 private:
  // Sends one message and reads one reply line as exact JSON.
  template <class Content>
  json exchange(const json& message, long id, Content&& content) {
    const std::string field = id == 0 ? "init_ok" : "run_ok";
    std::string line;
    try {
      process_->write_line(message.dump(), timeout_);
      line = process_->read_line(timeout_, kMaxReplyLineBytes);
    } catch (const LineTooLong&) {
      fail(id, field,
           "is longer than " + std::to_string(kMaxReplyLineBytes) +
               " bytes (the cap on one reply line; see docs/protocol.md \"Limits\")",
           std::nullopt, content());
    } catch (const ProcessFailure& failure) {
      fail(id, "", std::string("the mechanism ") + failure.what(), std::nullopt, content());
    }
    json reply;
    try {
      reply = parse_exact_json(line);
    } catch (const SpecError& error) {
      fail(id, field,
           "is not JSON (" + std::string(error.what()) + "); the line was \"" + shortened(line) +
               "\" (stdout is for responses only; log to stderr)",
           std::nullopt, content());
    }
    if (!reply.is_object())
      fail(id, field, "expected a JSON object, got " + shortened(line), std::nullopt, content());
    return reply;
  }
};

class ProcessMechanism final : public ExternalMechanism {
 public:
  ProcessMechanism(ExternalCommand command, std::string family, json parameters)
      : command_(std::move(command)),
        family_(std::move(family)),
        parameters_(std::move(parameters)) {
    if (!command_.options.is_null()) parameters_["options"] = command_.options;
  }

  // A batch the mechanism failed as a whole (timeout, crash, error reply, garbage) is asked
  // again one profile at a time, each under the timeout, so the message and the saved file name
  // the profile that fails rather than leaving the user to bisect the batch by hand.
  Reply run(const std::vector<json>& profiles) const override {
    try {
      return run_once(profiles);
    } catch (const ExternalMechanismError& batch_error) {
      if (profiles.size() < 2) throw;
      for (std::size_t k = 0; k < profiles.size(); ++k) {
        try {
          run_once({profiles[k]});
        } catch (const ExternalMechanismError& alone) {
          throw ExternalMechanismError(
              "", std::string(batch_error.what()) +
                      "; asked again one profile at a time, it fails on profile " +
                      std::to_string(k) + " of the " + std::to_string(profiles.size()) + ": " +
                      alone.what());
        }
      }
      throw ExternalMechanismError("", std::string(batch_error.what()) +
                                           "; asked again one profile at a time, it answered "
                                           "every one: the batch failed as a whole");
    }
  }

 private:
  Reply run_once(const std::vector<json>& profiles) const {
    std::unique_ptr<ProtocolClient> client;
    int worker = 0;
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        client = std::move(idle_.back());
        idle_.pop_back();
      } else {
        worker = ++started_;
      }
    }
    if (!client) {
      client = std::make_unique<ProtocolClient>(command_, family_, parameters_, worker);
      std::lock_guard lock(mutex_);
      if (identity_.empty()) identity_ = client->identity();
    }
    Reply reply = client->run(profiles);  // a client that failed is dropped (and its process)
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(client));
    return reply;
  }

 public:
  json record() const override {
    json external = external_command_json(command_);
    external["init"] = parameters_;
    std::lock_guard lock(mutex_);
    for (const auto& [key, value] : identity_.items()) external[key] = value;
    return {{"external", external}};
  }

  std::shared_ptr<const ExternalMechanism> with_command(
      const ExternalCommand& command) const override {
    json parameters = parameters_;
    parameters.erase("options");
    return std::make_shared<ProcessMechanism>(command, family_, parameters);
  }

 private:
  ExternalCommand command_;
  std::string family_;
  json parameters_;
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<ProtocolClient>> idle_;
  mutable int started_ = 0;
  mutable json identity_ = json::object();
};

}  // namespace

ExternalCommand read_external_command(const json& value, const std::string& field) {
  if (!value.is_object()) throw SpecError(field, "expected an object {\"command\": [...], ...}");
  reject_unknown_keys(value, field, {"command", "timeout", "options", "init", "name", "version"});
  ExternalCommand out;
  if (!value.contains("command")) throw SpecError(field + ".command", "is missing");
  const json& command = value["command"];
  if (command.is_string()) {
    out.command = split_command_line(command.get<std::string>(), field + ".command");
  } else if (command.is_array()) {
    for (std::size_t k = 0; k < command.size(); ++k) {
      if (!command[k].is_string())
        throw SpecError(field + ".command[" + std::to_string(k) + "]", "expected a string");
      out.command.push_back(command[k].get<std::string>());
    }
  } else {
    throw SpecError(field + ".command", "expected an array of strings");
  }
  if (out.command.empty() || out.command.front().empty())
    throw SpecError(field + ".command", "is empty, expected the program and its arguments");
  if (value.contains("timeout")) {
    const Rational seconds = read_number(value["timeout"], field + ".timeout").value;
    if (seconds <= 0 || seconds > 3600)
      throw SpecError(field + ".timeout",
                      "is " + to_exact_string(seconds) + ", expected seconds in (0, 3600]");
    out.timeout = std::chrono::milliseconds(
        std::max<long long>(1, std::llround(seconds.convert_to<double>() * 1000)));
  }
  if (value.contains("options")) {
    if (!value["options"].is_object()) throw SpecError(field + ".options", "expected an object");
    out.options = value["options"];
  }
  return out;
}

json external_command_json(const ExternalCommand& command) {
  json out = {{"command", command.command},
              {"timeout", static_cast<double>(command.timeout.count()) / 1000.0}};
  if (!command.options.is_null()) out["options"] = command.options;
  return out;
}

std::vector<std::string> split_command_line(const std::string& text, const std::string& field) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && k + 1 < text.size() &&
                 (text[k + 1] == '"' || text[k + 1] == '\\')) {
        word.push_back(text[++k]);
      } else {
        word.push_back(c);
      }
    } else if (c == '\'' || c == '"') {
      quote = c, in_word = true;
    } else if (c == '\\' && k + 1 < text.size()) {
      word.push_back(text[++k]), in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word)), word.clear(), in_word = false;
    } else {
      word.push_back(c), in_word = true;
    }
  }
  if (quote) throw SpecError(field, std::string("has an unclosed ") + quote + " quote");
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) throw SpecError(field, "is empty, expected the program and its arguments");
  return words;
}

std::shared_ptr<const ExternalMechanism> make_process_mechanism(ExternalCommand command,
                                                                std::string family,
                                                                json parameters) {
  return std::make_shared<ProcessMechanism>(std::move(command), std::move(family),
                                            std::move(parameters));
}

void reject_result(int worker, long request, std::size_t index, const SpecError& error,
                   const json& profile) {
  const std::string inner = error.field();
  const std::string problem =
      std::string(error.what()).substr(inner.empty() ? 0 : inner.size() + 2);
  std::string field = "run_ok.results[" + std::to_string(index) + "]";
  if (!inner.empty()) field += "." + inner;
  ProtocolClient::throw_violation(
      worker, request, field, problem, index,
      json{{"request", request}, {"profile_index", index}, {"profile", profile}});
}

void reject_request(int worker, long request, const std::string& problem,
                    std::optional<std::size_t> index, const json& content) {
  ProtocolClient::throw_violation(worker, request, "", problem, index, content);
}

// Digits of a number's text plus its decimal exponent: what reading it exactly costs.
static std::size_t exact_number_size(const std::string& text) {
  const std::size_t e = text.find_first_of("eE");
  if (e == std::string::npos) return text.size();
  std::size_t exponent = 0;
  for (std::size_t k = e + 1; k < text.size(); ++k) {
    if (text[k] < '0' || text[k] > '9') continue;
    exponent = exponent * 10 + static_cast<std::size_t>(text[k] - '0');
    if (exponent > kMaxAnswerDigits) break;
  }
  return e + exponent;
}

Rational read_answer_number(const json& value, const std::string& field) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (exact_number_size(text) > kMaxAnswerDigits)
      throw SpecError(field, "has more than " + std::to_string(kMaxAnswerDigits) +
                                 " digits (the cap on an exact number; see docs/protocol.md "
                                 "\"Limits\")");
    for (const char* bad : {"nan", "NaN", "inf", "Infinity"})
      if (text.find(bad) != std::string::npos)
        throw SpecError(field, "is " + text + ", expected a finite number");
  }
  return read_number(value, field).value;
}

Lottery read_lottery(const json& result, const std::string& outcome_keys) {
  Lottery out;
  if (!result.is_object() || !result.contains("lottery")) {
    out.probabilities.push_back(1);
    out.outcomes.push_back(result);
    out.fields.emplace_back();
    return out;
  }
  const json& lottery = result["lottery"];
  if (!lottery.is_array() || lottery.empty())
    throw SpecError("lottery",
                    "expected a non-empty array of {\"probability\", " + outcome_keys + "}");
  Rational total = 0;
  for (std::size_t b = 0; b < lottery.size(); ++b) {
    const std::string prefix = "lottery[" + std::to_string(b) + "].";
    if (!lottery[b].is_object() || !lottery[b].contains("probability"))
      throw SpecError(prefix + "probability", "is missing");
    const Rational probability =
        read_answer_number(lottery[b]["probability"], prefix + "probability");
    if (probability < 0 || probability > 1)
      throw SpecError(prefix + "probability",
                      "is " + to_exact_string(probability) + ", expected a number in [0, 1]");
    total += probability;
    out.probabilities.push_back(probability);
    out.outcomes.push_back(lottery[b]);
    out.outcomes.back().erase("probability");
    out.fields.push_back(prefix);
  }
  if (abs(total - 1) > Rational(1, 1000000000))
    throw SpecError("lottery", fmt::format("has probabilities summing to {}, expected 1 (within "
                                           "1e-9)",
                                           total.convert_to<double>()));
  for (Rational& probability : out.probabilities) probability /= total;
  return out;
}

std::shared_ptr<const ExternalSetup> with_run_seed(
    const std::shared_ptr<const ExternalSetup>& setup, std::uint64_t seed) {
  if (!setup || setup->seed == seed) return setup;
  auto out = std::make_shared<ExternalSetup>(*setup);
  out->seed = seed;
  return out;
}

std::uint64_t profile_seed(std::uint64_t run_seed, const json& profile) {
  // FNV-1a over the profile's canonical text (keys sorted, numbers exact), mixed with the seed.
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  if (profile.is_object() && profile.contains("seed")) {
    json without = profile;
    without.erase("seed");
    return profile_seed(run_seed, without);
  }
  for (unsigned char c : profile.dump()) hash = (hash ^ c) * 0x100000001b3ULL;
  return mix64(mix64(run_seed) ^ hash) & ((std::uint64_t{1} << 53) - 1);
}

std::string answered_two_ways(const json& profile, const json& first, const json& second) {
  auto shown = [](const json& value) {
    std::string text = value.dump();
    return text.size() <= 200 ? text : text.substr(0, 197) + "...";
  };
  return "the mechanism answered profile " + shown(profile) + " two ways: " + shown(first) +
         " and " + shown(second) +
         " (a mechanism must be a function of the profile: break ties by the profile, or seed "
         "randomness with the profile's \"seed\", or answer a lottery)";
}

Measurement measured_by_mechanism(const Rational& value, const Rational& tolerance) {
  Measurement out;
  out.sign = value > tolerance ? 1 : (value < -tolerance ? -1 : 0);
  out.text = to_exact_string(value);
  out.approx = value.convert_to<double>();
  out.precision = "by-mechanism";
  return out;
}

std::vector<Rational> read_answer_array(const json& value, const std::string& field,
                                        std::size_t count) {
  if (!value.is_array()) throw SpecError(field, "expected an array of numbers");
  if (value.size() != count)
    throw SpecError(field, "has " + std::to_string(value.size()) + " entries, expected " +
                               std::to_string(count));
  std::vector<Rational> out;
  out.reserve(count);
  for (std::size_t k = 0; k < count; ++k)
    out.push_back(read_answer_number(value[k], field + "[" + std::to_string(k) + "]"));
  return out;
}

std::shared_ptr<const ExternalSetup> read_external_setup(
    const json& document, const std::string& family, json parameters,
    std::shared_ptr<const ExternalMechanism> given) {
  const bool errors_inconclusive = read_error_policy(document);
  if (given) {
    auto setup = std::make_shared<ExternalSetup>();
    setup->errors_inconclusive = errors_inconclusive;
    if (document.is_object() && document.contains("tolerance"))
      setup->tolerance = read_tolerance(document["tolerance"]);
    // The config's command is replaced, its timeout and options still apply.
    ExternalCommand settings;
    if (document.is_object() && document.contains("mechanism") &&
        document["mechanism"].is_object() && document["mechanism"].contains("external")) {
      json external = document["mechanism"]["external"];
      if (external.is_object() && !external.contains("command")) external["command"] = {"-"};
      settings = read_external_command(external, "mechanism.external");
    }
    if (!settings.options.is_null()) parameters["options"] = settings.options;
    given->initialize(family, parameters, settings.timeout);
    setup->mechanism = std::move(given);
    return setup;
  }
  if (!document.is_object() || !document.contains("mechanism")) {
    for (const char* key : {"tolerance", "on_mechanism_error"})
      if (document.is_object() && document.contains(key))
        throw SpecError(key, "applies to external mechanisms only (\"mechanism\": ...)");
    return nullptr;
  }
  const json& mechanism = document["mechanism"];
  if (!mechanism.is_object() || !mechanism.contains("external"))
    throw SpecError("mechanism", "expected {\"external\": {\"command\": [...]}}");
  reject_unknown_keys(mechanism, "mechanism", {"external"});
  const json& external = mechanism["external"];
  ExternalCommand command = read_external_command(external, "mechanism.external");
  auto setup = std::make_shared<ExternalSetup>();
  setup->errors_inconclusive = errors_inconclusive;
  if (document.contains("tolerance")) setup->tolerance = read_tolerance(document["tolerance"]);
  if (document.contains("seed") && document["seed"].is_number_unsigned())
    setup->seed = document["seed"].get<std::uint64_t>();  // a witness: the run's seed
  if (external.contains("init")) {  // a witness: the handshake it was found with
    if (!external["init"].is_object())
      throw SpecError("mechanism.external.init", "expected an object");
    parameters = external["init"];
    parameters.erase("options");
  }
  setup->mechanism = make_process_mechanism(std::move(command), family, std::move(parameters));
  return setup;
}

}  // namespace mechcheck

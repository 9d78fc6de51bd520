#include "cli/check_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <ostream>

#include "checks/check_runner.hpp"
#include "cli/file_output.hpp"
#include "spec/exact_json.hpp"
#include "spec/spec_error.hpp"
#include "spec/witness_json.hpp"

namespace mechcheck::cli {
namespace {

using json = nlohmann::json;

std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    std::size_t used = 0;
    const unsigned long k = std::stoul(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("k");
    const unsigned long n = std::stoul(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1 || k < 1 || k > n) throw std::invalid_argument("range");
    return {k - 1, n};
  } catch (const std::exception&) {
    throw SpecError("--shard", "is \"" + text + "\", expected k/N with 1 <= k <= N");
  }
}

std::string witness_file_name(const InstanceOutcome& outcome, Property property,
                              const Witness& witness) {
  return fmt::format("{}-instance{}-group{}.json", property_name(property), outcome.index,
                     witness.group);
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

int run_check(const CheckCommandOptions& options, std::ostream& out, std::ostream& err) {
  CheckConfig config;
  RunOptions run_options;
  try {
    config = read_check_config(read_exact_json_file(options.config_path));
    std::tie(run_options.shard_index, run_options.shard_count) = parse_shard(options.shard);
    if (options.threads < 1) throw SpecError("--threads", "expected >= 1");
    const std::string effort = options.effort.value_or(config.effort);
    auto parsed = parse_effort(effort);
    if (!parsed)
      throw SpecError("--effort", "is \"" + effort + "\", expected quick, default or thorough");
    run_options.effort = *parsed;
    if (options.instances && *options.instances == 0)
      throw SpecError("--instances", "expected >= 1");
  } catch (const SpecError& error) {
    err << "mechcheck check: " << error.what() << "\n";
    return 2;
  }
  run_options.seed = options.seed.value_or(config.seed);
  run_options.instance_count = options.instances.value_or(config.instance_count);
  run_options.threads = options.threads;
  const bool show_progress = options.progress && isatty(STDERR_FILENO);
  if (show_progress) {
    run_options.progress = [&err](std::size_t done, std::size_t total) {
      const int width = 40,
                filled = static_cast<int>(width * done / std::max<std::size_t>(total, 1));
      err << "\r[" << std::string(static_cast<std::size_t>(filled), '=')
          << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << "/"
          << total << std::flush;
      if (done == total) err << "\n";
    };
  }

  const CheckRun run = run_checks(config, run_options);

  json report = {{"config", options.config_path},
                 {"seed", run_options.seed},
                 {"shard", options.shard},
                 {"effort", options.effort.value_or(config.effort)},
                 {"instances", run.instances.size()}};
  json properties = json::array(), results = json::array();
  std::string junit_cases;
  int junit_failures = 0;
  try {
    for (std::size_t p = 0; p < run.properties.size(); ++p) {
      const Property property = run.properties[p];
      int violations = 0, inconclusive = 0;
      std::string first_problem;
      for (const InstanceOutcome& outcome : run.instances) {
        const PropertyResult& result = outcome.results[p];
        json entry = {{"instance", outcome.index},
                      {"property", property_name(property)},
                      {"verdict", verdict_name(result.verdict)},
                      {"evidence", result.evidence}};
        if (result.verdict == Verdict::violated && result.witness) {
          ++violations;
          const std::string path =
              options.witness_dir + "/" + witness_file_name(outcome, property, *result.witness);
          write_file_atomically(path, witness_to_json(*result.witness).dump(2) + "\n");
          entry["witness"] = path;
          if (first_problem.empty())
            first_problem = fmt::format("instance {}: violated, witness {}", outcome.index, path);
        } else if (result.verdict == Verdict::inconclusive) {
          ++inconclusive;
          if (first_problem.empty())
            first_problem = fmt::format("instance {}: inconclusive", outcome.index);
        }
        results.push_back(std::move(entry));
      }
      const Verdict verdict = property_verdict(run, p);
      properties.push_back({{"property", property_name(property)},
                            {"verdict", verdict_name(verdict)},
                            {"instances_checked", run.instances.size()},
                            {"violations", violations},
                            {"inconclusive", inconclusive}});
      junit_cases +=
          fmt::format("  <testcase classname=\"mechcheck.check\" name=\"{} [shard {}]\">\n",
                      property_name(property), options.shard);
      if (verdict != Verdict::holds) {
        ++junit_failures;
        junit_cases += fmt::format("    <failure message=\"{}\">{}</failure>\n",
                                   verdict_name(verdict), xml_escape(first_problem));
      }
      junit_cases += "  </testcase>\n";
      out << fmt::format("{:<12} {:<13} {} instances, {} violated, {} inconclusive\n",
                         property_name(property), verdict_name(verdict), run.instances.size(),
                         violations, inconclusive);
    }
    const Verdict overall = overall_verdict(run);
    report["verdict"] = verdict_name(overall);
    report["properties"] = properties;
    report["results"] = results;
    if (!options.report_path.empty())
      write_file_atomically(options.report_path, report.dump(2) + "\n");
    if (!options.junit_path.empty())
      write_file_atomically(
          options.junit_path,
          fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"mechcheck\" "
                      "tests=\"{}\" failures=\"{}\">\n{}</testsuite>\n",
                      run.properties.size(), junit_failures, junit_cases));
    out << "verdict: " << verdict_name(overall) << "\n";
    return overall == Verdict::holds ? 0 : overall == Verdict::violated ? 1 : 3;
  } catch (const std::exception& error) {
    err << "mechcheck check: " << error.what() << "\n";
    return 2;
  }
}

}  // namespace mechcheck::cli

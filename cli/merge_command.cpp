#include "cli/merge_command.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/check_command.hpp"
#include "cli/file_output.hpp"
#include "cli/prove_command.hpp"
#include "report/report_merge.hpp"
#include "spec/exact_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {
namespace {

using json = nlohmann::json;

// A report as written: plain nlohmann parsing (numbers as doubles and integers, which dump back
// to the same text), nesting limited as for every JSON input.
json read_report(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) throw SpecError(path, "cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  const auto limit_depth = [&](int depth, json::parse_event_t, json&) {
    if (static_cast<std::size_t>(depth) > kMaxJsonDepth)
      throw SpecError(path, "nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return true;
  };
  try {
    return json::parse(text.str(), limit_depth);
  } catch (const json::parse_error& error) {
    throw SpecError(path, std::string("malformed JSON: ") + error.what());
  }
}

}  // namespace

int run_merge(const MergeOptions& options, std::ostream& out, std::ostream& err) {
  try {
    if (options.inputs.empty()) throw SpecError("REPORT", "expected at least one shard report");
    if (!options.report_path.empty()) OutputTransaction::preflight("--report", options.report_path);
    if (!options.junit_path.empty()) OutputTransaction::preflight("--junit", options.junit_path);
    std::vector<ShardReport> shards;
    for (const std::string& path : options.inputs) shards.push_back({path, read_report(path)});
    const MergedReport merged = merge_reports(shards);
    if (merged.kind != MergedKind::check && !options.junit_path.empty())
      throw SpecError("--junit",
                      std::string(merged.kind == MergedKind::verify ? "verify" : "prove") +
                          " reports have no JUnit form (check reports do)");
    // Both files or neither, then the summary (as check and verify do).
    OutputTransaction files;
    if (!options.report_path.empty())
      files.stage(options.report_path, merged.report.dump(2) + "\n");
    if (!options.junit_path.empty())
      files.stage(options.junit_path,
                  junit_xml(merged.summaries, merged.report.at("shard").get<std::string>()));
    files.commit();
    if (merged.kind == MergedKind::check)
      print_check_summary(merged.summaries, merged.instances, out);
    else if (merged.kind == MergedKind::verify)
      out << merged.tally.summary_line();
    else if (options.report_path.empty())  // as `prove` without --report: the report itself
      out << merged.report.dump(2) << "\n";
    else
      out << prove_summary_line(merged.report);
    return merged.exit_code;
  } catch (const SpecError& error) {
    err << "mechcheck merge: " << error.what() << "\n";
    return 2;
  } catch (const json::exception& error) {  // a value of the wrong type deep in a shard report
    err << "mechcheck merge: " << error.what() << "\n";
    return 2;
  }
}

}  // namespace mechcheck::cli

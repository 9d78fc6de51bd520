#include "cli/verify_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ostream>
#include <thread>

#include "claims/claim.hpp"
#include "cli/file_output.hpp"
#include "report/report_identity.hpp"
#include "report/verify_report.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {

int run_verify(const VerifyOptions& options, std::ostream& out, std::ostream& err) {
  for (const std::string& id : options.only) {
    const auto claims = paper_claims();
    if (std::none_of(claims.begin(), claims.end(), [&](const Claim& c) { return c.id == id; })) {
      err << "mechcheck verify: --only: unknown claim \"" << id << "\"\n";
      return 2;
    }
  }
  OutputTransaction files;
  try {
    if (!options.report_path.empty()) OutputTransaction::preflight("--report", options.report_path);
    if (options.shard_count < 1 || options.shard_index >= options.shard_count)
      throw SpecError("--shard", "expected k/N with 1 <= k <= N");
  } catch (const SpecError& error) {
    err << "mechcheck verify: " << error.what() << "\n";
    return 2;
  }
  ClaimContext context;
  context.seed = options.seed;
  context.threads = options.threads > 0
                        ? options.threads
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Sized to finish in well under the 2-minute budget on two cores (bench/time_verify.sh).
  context.effort = options.thorough ? Effort::thorough : Effort::standard;
  context.scale = options.thorough ? 160 : 32;

  // The selected claims in suite order; claim i of them runs in shard i mod N + 1.
  std::vector<const Claim*> selected;
  for (const Claim& claim : paper_claims())
    if (options.only.empty() ||
        std::find(options.only.begin(), options.only.end(), claim.id) != options.only.end())
      selected.push_back(&claim);
  std::vector<std::string> selected_ids;
  for (const Claim* claim : selected) selected_ids.emplace_back(claim->id);

  nlohmann::json report_claims = nlohmann::json::array();
  out << fmt::format("{:<28} {:<9} {:<13} {:>7}  {}\n", "claim", "expected", "verdict", "seconds",
                     "");
  for (std::size_t i = options.shard_index; i < selected.size(); i += options.shard_count) {
    const Claim& claim = *selected[i];
    const auto start = std::chrono::steady_clock::now();
    ClaimOutcome outcome;
    try {
      outcome = claim.run(context);
    } catch (const std::exception& error) {
      outcome.verdict = Verdict::inconclusive;
      outcome.evidence = {{"error", error.what()}};
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const ClaimJudgement judgement = judge_claim(claim, outcome);
    std::string remark(judgement.remark);
    if (claim.kind == ClaimKind::control) remark += " (control: sanity, not evidence)";
    // A float gain that recomputation did not confirm does not change the verdict, but it is
    // shown: it marks where the search's double precision was not enough.
    if (const int unconfirmed = outcome.evidence.value("unconfirmed_float_findings", 0))
      remark += fmt::format("; {} unconfirmed float finding(s)", unconfirmed);
    out << fmt::format("{:<28} {:<9} {:<13} {:>7.2f}  {}\n", claim.id, verdict_name(claim.expected),
                       verdict_name(outcome.verdict), seconds, remark)
        << std::flush;
    // No run time in the report (the table has it): a run's report is the same whole or merged
    // from shards (report/verify_report.hpp).
    report_claims.push_back(claim_report_entry(claim, outcome));
  }
  const ClaimTally tally = tally_claims(report_claims);
  // The report is written before the verdict line: a report that cannot be written fails the
  // run (exit 2) without a verdict and without leaving a file.
  if (!options.report_path.empty()) {
    try {
      const nlohmann::json header = verify_report_header(
          selected_ids, options.seed, options.thorough, options.shard_index, options.shard_count);
      files.stage(options.report_path,
                  verify_report(header, std::move(report_claims)).dump(2) + "\n");
      files.commit();
    } catch (const std::exception& error) {
      err << "mechcheck verify: " << error.what() << "\n";
      return 2;
    }
  }
  out << tally.summary_line();
  return tally.exit_code();
}

}  // namespace mechcheck::cli

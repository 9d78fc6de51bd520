#include "cli/verify_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ostream>
#include <thread>

#include "claims/claim.hpp"
#include "cli/file_output.hpp"
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
  } catch (const SpecError& error) {
    err << "mechcheck verify: " << error.what() << "\n";
    return 2;
  }
  ClaimContext context;
  context.seed = options.seed;
  context.threads = options.threads > 0
                        ? options.threads
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Sized to finish in well under the 2-minute budget on two cores (see README).
  context.effort = options.thorough ? Effort::thorough : Effort::standard;
  context.scale = options.thorough ? 160 : 32;

  nlohmann::json report_claims = nlohmann::json::array();
  int mismatches = 0, inconclusive = 0, answered = 0;
  out << fmt::format("{:<28} {:<9} {:<13} {:>7}  {}\n", "claim", "expected", "verdict", "seconds",
                     "");
  for (const Claim& claim : paper_claims()) {
    if (!options.only.empty() &&
        std::find(options.only.begin(), options.only.end(), claim.id) == options.only.end())
      continue;
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
    // Exploratory claims (the paper does not say) are answered by any definite verdict.
    const bool as_expected = claim.exploratory ? outcome.verdict != Verdict::inconclusive
                                               : outcome.verdict == claim.expected;
    if (!as_expected) (outcome.verdict == Verdict::inconclusive ? inconclusive : mismatches) += 1;
    if (as_expected && claim.exploratory) ++answered;
    const std::string_view expected = claim.exploratory ? "unknown" : verdict_name(claim.expected);
    const std::string_view remark =
        claim.exploratory ? (as_expected ? "answered (exploratory)" : "unanswered")
                          : (as_expected ? "as the paper says" : "NOT AS THE PAPER SAYS");
    out << fmt::format("{:<28} {:<9} {:<13} {:>7.2f}  {}\n", claim.id, expected,
                       verdict_name(outcome.verdict), seconds, remark)
        << std::flush;
    report_claims.push_back({{"id", claim.id},
                             {"statement", claim.statement},
                             {"expected", expected},
                             {"verdict", verdict_name(outcome.verdict)},
                             {"as_expected", as_expected},
                             {"seconds", seconds},
                             {"evidence", outcome.evidence}});
  }
  const bool all = mismatches == 0 && inconclusive == 0;
  // The report is written before the verdict line: a report that cannot be written fails the
  // run (exit 2) without a verdict and without leaving a file.
  if (!options.report_path.empty()) {
    try {
      files.stage(options.report_path,
                  nlohmann::json{
                      {"claims", report_claims}, {"seed", options.seed}, {"all_as_expected", all}}
                          .dump(2) +
                      "\n");
      files.commit();
    } catch (const std::exception& error) {
      err << "mechcheck verify: " << error.what() << "\n";
      return 2;
    }
  }
  out << fmt::format(
      "{} claims, {} as the paper says, {} not, {} inconclusive; {} exploratory answered\n",
      report_claims.size(),
      report_claims.size() - static_cast<std::size_t>(mismatches + inconclusive + answered),
      mismatches, inconclusive, answered);
  return all ? 0 : (mismatches > 0 ? 1 : 3);
}

}  // namespace mechcheck::cli

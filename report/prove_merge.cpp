#include "report/prove_merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <string>

#include "report/report_identity.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

// One query's answer in one shard.
struct QueryAnswer {
  std::string answer;  // relaxed: sat / unsat / unknown
  std::size_t cases = 0, solved = 0;
  std::optional<std::size_t> decided;  // 1-based case number
};

struct ShardProof {
  const ShardReport* report = nullptr;
  std::size_t index = 0, count = 1;
  std::string status, query;
  QueryAnswer reported;                // the query evidence.query names
  std::optional<QueryAnswer> relaxed;  // evidence.relaxed
  bool timed_out = false;
};

std::string where(const ShardReport& report, const std::string& key) {
  return report.source + ": " + key;
}

const json& member(const ShardReport& report, const json& object, const std::string& path,
                   const std::string& key) {
  if (!object.is_object() || !object.contains(key))
    throw SpecError(where(report, path + key), "is missing");
  return object[key];
}

std::size_t count_at(const ShardReport& report, const json& object, const std::string& path,
                     const std::string& key) {
  const json& value = member(report, object, path, key);
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0)
    throw SpecError(where(report, path + key), "is " + value.dump() + ", expected a count");
  return value.get<std::size_t>();
}

std::string text_at(const ShardReport& report, const json& object, const std::string& path,
                    const std::string& key) {
  const json& value = member(report, object, path, key);
  if (!value.is_string())
    throw SpecError(where(report, path + key), "is " + value.dump() + ", expected a string");
  return value.get<std::string>();
}

QueryAnswer query_answer(const ShardReport& report, const json& object, const std::string& path) {
  QueryAnswer out;
  out.cases = count_at(report, object, path, "cases");
  out.solved = count_at(report, object, path, "cases_solved");
  if (object.contains("decided_by_case"))
    out.decided = count_at(report, object, path, "decided_by_case");
  if (object.contains("answer")) out.answer = text_at(report, object, path, "answer");
  return out;
}

ShardProof read_proof(const ShardReport& report, std::size_t index, std::size_t count) {
  ShardProof proof;
  proof.report = &report;
  proof.index = index;
  proof.count = count;
  const json& document = report.document;
  proof.status = text_at(report, document, "", "status");
  const json& evidence = member(report, document, "", "evidence");
  proof.query = text_at(report, evidence, "evidence.", "query");
  if (proof.query != "relaxed" && proof.query != "exact")
    throw SpecError(where(report, "evidence.query"),
                    "is \"" + proof.query + "\", expected relaxed or exact");
  proof.reported = query_answer(report, evidence, "evidence.");
  if (evidence.contains("relaxed"))
    proof.relaxed = query_answer(report, evidence["relaxed"], "evidence.relaxed.");
  proof.timed_out = evidence.contains("timed_out") && evidence["timed_out"] == true;
  return proof;
}

// How many of shard `index`'s cases come before case number `last` (1-based), inclusive.
std::size_t owned_up_to(std::size_t last, std::size_t index, std::size_t count) {
  return last == 0 || last - 1 < index ? 0 : (last - 1 - index) / count + 1;
}

// The shards' answers to one query joined as the unsharded run's: all unsat, or the earliest
// decided case, or (no shard decided: deadlines) undecided.
struct JoinedAnswer {
  bool all_unsat = true;
  std::optional<std::size_t> decided;
  const ShardProof* decider = nullptr;
  std::size_t solved = 0;
};

template <class Answer>
JoinedAnswer join(const std::vector<const ShardProof*>& shards, const Answer& answer_of,
                  bool (*is_unsat)(const ShardProof&)) {
  JoinedAnswer out;
  for (const ShardProof* shard : shards) {
    out.all_unsat = out.all_unsat && is_unsat(*shard);
    const std::optional<std::size_t> decided = answer_of(*shard).decided;
    if (decided && (!out.decided || *decided < *out.decided)) {
      out.decided = decided;
      out.decider = shard;
    }
  }
  for (const ShardProof* shard : shards) {
    const std::size_t solved = answer_of(*shard).solved;
    out.solved += out.decided && !out.all_unsat
                      ? std::min(solved, owned_up_to(*out.decided, shard->index, shard->count))
                      : solved;
  }
  return out;
}

bool relaxed_unsat(const ShardProof& shard) { return shard.relaxed->answer == "unsat"; }
bool proved_or_error(const ShardProof& shard) {
  return shard.status == "proved" || shard.status == "error";
}

std::string shard_list(const std::vector<const ShardProof*>& shards) {
  std::vector<std::string> names;
  for (const ShardProof* shard : shards) names.push_back(shard_text(shard->index, shard->count));
  return fmt::format("{}", fmt::join(names, ", "));
}

// "timeout after S of N cases" with the shards' total S.
std::string with_total_solved(const std::string& reason, std::size_t solved) {
  static const std::regex timeout_count("timeout after [0-9]+ of");
  return std::regex_replace(reason, timeout_count,
                            "timeout after " + std::to_string(solved) + " of",
                            std::regex_constants::format_first_only);
}

int exit_code_of(const std::string& status) {
  return status == "proved" ? 0 : status == "violated" ? 1 : 3;
}

void set_status(json& document, const std::string& status) {
  document["status"] = status;
  document["verdict"] = status == "proved"     ? "holds"
                        : status == "violated" ? "violated"
                                               : "inconclusive";
  if (status == "inconclusive") document["solver_answer"] = "unknown";
  if (status != "violated")
    for (const char* key : {"witness", "witness_value", "witness_file"}) document.erase(key);
}

}  // namespace

json merge_prove_shards(const std::vector<const ShardReport*>& reports, int& exit_code) {
  std::vector<ShardProof> proofs;
  const std::size_t count = reports.size();
  for (std::size_t k = 0; k < count; ++k) proofs.push_back(read_proof(*reports[k], k, count));
  std::vector<const ShardProof*> all, relaxed_proved, exact_run;
  for (const ShardProof& proof : proofs) {
    all.push_back(&proof);
    if (proof.relaxed.has_value() != proofs.front().relaxed.has_value())
      throw SpecError(where(*proof.report, "evidence.relaxed"),
                      "is present in some shards only: the shards ran different queries");
    if (proof.query == "exact")
      exact_run.push_back(&proof);
    else if (proved_or_error(proof))
      relaxed_proved.push_back(&proof);
  }
  const auto reported_of = [](const ShardProof& shard) -> const QueryAnswer& {
    return shard.reported;
  };
  const auto relaxed_of = [](const ShardProof& shard) -> const QueryAnswer& {
    return *shard.relaxed;
  };

  // The base document: the deciding shard's report as the unsharded run writes it.
  auto merged_from = [&](const ShardProof& base, const std::string& status, std::size_t solved,
                         std::optional<std::size_t> decided) {
    json document = base.report->document;
    document["shard"] = shard_text(0, 1);
    set_status(document, status);
    json& evidence = document["evidence"];
    evidence["cases_solved"] = solved;
    if (decided)
      evidence["decided_by_case"] = *decided;
    else
      evidence.erase("decided_by_case");
    if (proofs.front().relaxed) {
      const JoinedAnswer relaxed = join(all, relaxed_of, relaxed_unsat);
      json& entry = evidence["relaxed"];
      entry["answer"] = relaxed.all_unsat ? "unsat"
                        : relaxed.decider ? relaxed.decider->relaxed->answer
                                          : "unknown";
      entry["cases_solved"] = relaxed.solved;
      if (relaxed.decided && !relaxed.all_unsat)
        entry["decided_by_case"] = *relaxed.decided;
      else
        entry.erase("decided_by_case");
    }
    exit_code = exit_code_of(status);
    return document;
  };
  // A proof: every shard proved its cases of the same query (an error — a numeric
  // counterexample to the proof — in any shard is every shard's: they sample alike).
  auto proof_of = [&](const std::vector<const ShardProof*>& shards) {
    const ShardProof* base = shards.front();
    for (const ShardProof* shard : shards)
      if (shard->status == "error") base = shard;
    std::size_t solved = 0;
    for (const ShardProof* shard : shards) solved += shard->reported.solved;
    return merged_from(*base, base->status, solved, std::nullopt);
  };

  // Undecided: the earliest undecided case's shard, or (deadlines only, no case decided) the
  // first undecided shard with the shards' total in its timeout reason.
  auto undecided_of = [&](const JoinedAnswer& joined, const ShardProof& first_undecided) {
    if (joined.decider)
      return merged_from(*joined.decider, "inconclusive", joined.solved, joined.decided);
    json document = merged_from(first_undecided, "inconclusive", joined.solved, std::nullopt);
    document["reason"] = with_total_solved(document.value("reason", ""), joined.solved);
    return document;
  };

  // A counterexample wins: the earliest case's.
  const ShardProof* violated = nullptr;
  for (const ShardProof* shard : exact_run)
    if (shard->status == "violated" && shard->reported.decided &&
        (!violated || *shard->reported.decided < *violated->reported.decided))
      violated = shard;
  if (violated) {
    std::size_t solved = 0;
    for (const ShardProof* shard : exact_run)
      solved += std::min(shard->reported.solved,
                         owned_up_to(*violated->reported.decided, shard->index, count));
    return merged_from(*violated, "violated", solved, violated->reported.decided);
  }
  if (relaxed_proved.size() == count) return proof_of(relaxed_proved);
  if (exact_run.size() == count) {
    if (std::all_of(all.begin(), all.end(),
                    [](const ShardProof* s) { return proved_or_error(*s); }))
      return proof_of(all);
    std::vector<const ShardProof*> undecided;
    for (const ShardProof* shard : all)
      if (!proved_or_error(*shard)) undecided.push_back(shard);
    return undecided_of(join(all, reported_of, proved_or_error), *undecided.front());
  }
  if (exact_run.empty() && relaxed_proved.empty())  // no shard had time for the exact query
    return undecided_of(join(all, relaxed_of, relaxed_unsat), *all.front());
  // Some shards proved their relaxed cases and stopped; others needed the exact query: neither
  // query was decided for every case.
  std::vector<const ShardProof*> others;
  for (const ShardProof* shard : all)
    if (std::find(relaxed_proved.begin(), relaxed_proved.end(), shard) == relaxed_proved.end())
      others.push_back(shard);
  const JoinedAnswer relaxed = join(all, relaxed_of, relaxed_unsat);
  json document = merged_from(*others.front(), "inconclusive", relaxed.solved, relaxed.decided);
  json& evidence = document["evidence"];
  evidence["query"] = "relaxed";
  evidence["cases"] = proofs.front().relaxed->cases;
  evidence.erase("timed_out");
  document["reason"] = fmt::format(
      "the relaxed query proved the cases of shard(s) {} but not of {}, and only these went on "
      "to the exact query: rerun every shard with --exact",
      shard_list(relaxed_proved), shard_list(others));
  return document;
}

}  // namespace mechcheck

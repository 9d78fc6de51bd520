#include "report/report_merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "report/prove_merge.hpp"
#include "report/report_identity.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

// Keys that differ between the shards of one run (what each shard found, and which shard it
// is); every other key is the run's identity and must agree.
const std::set<std::string> kCheckContent = {"shard", "instances", "verdict", "properties",
                                             "results"};
const std::set<std::string> kVerifyContent = {"shard", "claims", "all_as_expected"};
const std::set<std::string> kProveContent = {"shard",         "status",        "verdict",
                                             "solver_answer", "evidence",      "reason",
                                             "witness",       "witness_value", "witness_file"};

const std::set<std::string>& content_keys(MergedKind kind) {
  return kind == MergedKind::check    ? kCheckContent
         : kind == MergedKind::verify ? kVerifyContent
                                      : kProveContent;
}

// Compared first, in this order, with what a difference means.
struct IdentityKey {
  const char* key;
  const char* meaning;
};
constexpr IdentityKey kIdentityKeys[] = {
    {"mechcheck_version", "the shards ran different mechcheck versions"},
    {"seed", "the shards ran different seeds"},
    {"config_sha256", "the shards ran different configs (or command-line overrides)"}};

struct Shard {
  const ShardReport* report = nullptr;
  std::size_t index = 0, count = 1;
};

std::string field(const ShardReport& shard, const std::string& key) {
  return shard.source + ": " + key;
}

MergedKind kind_of(const ShardReport& shard) {
  const json& document = shard.document;
  if (document.is_object() && document.contains("results") && document["results"].is_array())
    return MergedKind::check;
  if (document.is_object() && document.contains("claims") && document["claims"].is_array())
    return MergedKind::verify;
  if (document.is_object() && document.contains("property") && document.contains("evidence") &&
      document["evidence"].is_object())
    return MergedKind::prove;
  throw SpecError(shard.source,
                  "is not a report of `mechcheck check`, `verify` or `prove` (with --report)");
}

const char* kind_name(MergedKind kind) {
  return kind == MergedKind::check ? "check" : kind == MergedKind::verify ? "verify" : "prove";
}

std::string shown(const json* value) {
  if (!value) return "missing";
  std::string text = value->dump();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

// A count or an instance index (parsed files hold them as unsigned, built documents as signed).
bool is_count(const json* value) {
  return value && value->is_number_integer() && value->get<std::int64_t>() >= 0;
}

const json* find(const ShardReport& shard, const std::string& key) {
  const auto it = shard.document.find(key);
  return it == shard.document.end() ? nullptr : &*it;
}

void expect_same(const ShardReport& shard, const ShardReport& reference, const std::string& key,
                 const char* meaning) {
  const json *value = find(shard, key), *expected = find(reference, key);
  if (value && expected && *value == *expected) return;
  throw SpecError(field(shard, key),
                  fmt::format("is {}, but {} has {}{}", shown(value), reference.source,
                              shown(expected), meaning ? std::string(": ") + meaning : ""));
}

Shard read_shard(const ShardReport& report) {
  const json* shard = find(report, "shard");
  if (!shard) throw SpecError(field(report, "shard"), "is missing");
  const auto parsed =
      shard->is_string() ? parse_shard_text(shard->get<std::string>()) : std::nullopt;
  if (!parsed) throw SpecError(field(report, "shard"), "is " + shown(shard) + ", expected \"k/N\"");
  return {&report, parsed->first, parsed->second};
}

// The shards of one run, ordered by index; throws naming the first difference, a duplicated or
// a missing shard.
std::vector<Shard> matching_shards(const std::vector<ShardReport>& reports, MergedKind kind) {
  const ShardReport& reference = reports.front();
  const std::set<std::string>& content = content_keys(kind);
  for (const ShardReport& report : reports) {
    if (kind_of(report) != kind)
      throw SpecError(report.source,
                      fmt::format("is a {} report, but {} is a {} report",
                                  kind_name(kind_of(report)), reference.source, kind_name(kind)));
    for (const IdentityKey& identity : kIdentityKeys) {
      // Reports written before `merge` existed have no version or hash: say so plainly.
      if (!find(report, identity.key))
        throw SpecError(field(report, identity.key),
                        "is missing (written by a mechcheck without `merge`?)");
      expect_same(report, reference, identity.key, identity.meaning);
    }
  }
  std::vector<Shard> shards;
  for (const ShardReport& report : reports) shards.push_back(read_shard(report));
  const std::size_t count = shards.front().count;
  for (const Shard& shard : shards)
    if (shard.count != count)
      throw SpecError(field(*shard.report, "shard"),
                      fmt::format("is {}, but {} is {}: the shard counts differ",
                                  shard_text(shard.index, shard.count), reference.source,
                                  shard_text(shards.front().index, count)));
  // Every other header field: the config path, family, effort, an external mechanism's record.
  for (const ShardReport& report : reports) {
    std::set<std::string> keys;
    for (const auto& [key, value] : report.document.items()) keys.insert(key);
    for (const auto& [key, value] : reference.document.items()) keys.insert(key);
    for (const std::string& key : keys)
      if (!content.contains(key)) expect_same(report, reference, key, nullptr);
  }
  std::vector<const ShardReport*> by_index(count, nullptr);
  for (const Shard& shard : shards) {
    const ShardReport*& slot = by_index[shard.index];
    if (slot)
      throw SpecError(fmt::format("shard {}", shard_text(shard.index, count)),
                      fmt::format("given twice ({}, {})", slot->source, shard.report->source));
    slot = shard.report;
  }
  std::vector<std::string> missing;
  for (std::size_t k = 0; k < count; ++k)
    if (!by_index[k]) missing.push_back(shard_text(k, count));
  if (!missing.empty())
    throw SpecError(
        fmt::format("{} {}", missing.size() == 1 ? "shard" : "shards", fmt::join(missing, ", ")),
        "missing");
  std::sort(shards.begin(), shards.end(),
            [](const Shard& a, const Shard& b) { return a.index < b.index; });
  return shards;
}

// The reference's header as the unsharded run writes it.
json unsharded_header(const ShardReport& reference, MergedKind kind) {
  const std::set<std::string>& content = content_keys(kind);
  json header = json::object();
  for (const auto& [key, value] : reference.document.items())
    if (!content.contains(key)) header[key] = value;
  header["shard"] = shard_text(0, 1);
  return header;
}

std::vector<Property> property_order(const Shard& shard) {
  const json* properties = find(*shard.report, "properties");
  if (!properties || !properties->is_array())
    throw SpecError(field(*shard.report, "properties"), "expected an array");
  std::vector<Property> order;
  for (std::size_t p = 0; p < properties->size(); ++p) {
    const json& entry = (*properties)[p];
    const auto property =
        entry.is_object() && entry.contains("property") && entry["property"].is_string()
            ? parse_property(entry["property"].get<std::string>())
            : std::nullopt;
    if (!property)
      throw SpecError(field(*shard.report, fmt::format("properties[{}].property", p)),
                      "is " +
                          shown(entry.is_object() && entry.contains("property") ? &entry["property"]
                                                                                : nullptr) +
                          ", expected a property name");
    order.push_back(*property);
  }
  return order;
}

MergedReport merge_check(const std::vector<Shard>& shards) {
  const std::vector<Property> properties = property_order(shards.front());
  const std::size_t count = shards.front().count;
  std::vector<std::vector<std::pair<std::uint64_t, json>>> by_property(properties.size());
  std::size_t total = 0;
  for (const Shard& shard : shards) {
    const ShardReport& report = *shard.report;
    if (property_order(shard) != properties)
      expect_same(report, *shards.front().report, "properties", "the property lists differ");
    const json* instances = find(report, "instances");
    if (!is_count(instances))
      throw SpecError(field(report, "instances"), "is " + shown(instances) + ", expected a count");
    total += instances->get<std::size_t>();
    const json& results = report.document["results"];
    for (std::size_t r = 0; r < results.size(); ++r) {
      const json& entry = results[r];
      const std::string where = fmt::format("results[{}]", r);
      if (!entry.is_object() || !entry.contains("instance") || !is_count(&entry["instance"]) ||
          !entry.contains("property") || !entry["property"].is_string() ||
          !entry.contains("verdict") || !entry["verdict"].is_string())
        throw SpecError(field(report, where),
                        "expected {\"instance\", \"property\", \"verdict\", ...}");
      const auto instance = entry["instance"].get<std::uint64_t>();
      if (instance % count != shard.index)
        throw SpecError(field(report, where + ".instance"),
                        fmt::format("is {}, but shard {} runs the instances i with i mod {} = {}",
                                    instance, shard_text(shard.index, count), count, shard.index));
      const auto property = parse_property(entry["property"].get<std::string>());
      const auto position = std::find(properties.begin(), properties.end(), property);
      if (!property || position == properties.end())
        throw SpecError(field(report, where + ".property"),
                        "is " + entry["property"].dump() + ", not one of the report's properties");
      by_property[static_cast<std::size_t>(position - properties.begin())].emplace_back(instance,
                                                                                        entry);
    }
  }
  // The unsharded run writes each property's results in ascending instance order, 0..total-1.
  json results = json::array();
  for (std::size_t p = 0; p < properties.size(); ++p) {
    auto& entries = by_property[p];
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < std::max(total, entries.size()); ++i)
      if (i >= entries.size() || i >= total || entries[i].first != i)
        throw SpecError(
            "results",
            fmt::format("{}: instance {} is {} in the shards' results "
                        "({} instances in their headers)",
                        property_name(properties[p]), i,
                        i < entries.size() && entries[i].first < i ? "repeated" : "missing",
                        total));
    for (auto& [instance, entry] : entries) results.push_back(std::move(entry));
  }
  CheckReport merged =
      check_report_from_results(unsharded_header(*shards.front().report, MergedKind::check),
                                properties, total, std::move(results));
  MergedReport out;
  out.kind = MergedKind::check;
  out.instances = total;
  Verdict overall = Verdict::holds;
  for (const PropertySummary& summary : merged.summaries)
    overall = combine(overall, summary.verdict);
  out.exit_code = overall == Verdict::holds ? 0 : overall == Verdict::violated ? 1 : 3;
  out.report = std::move(merged.report);
  out.summaries = std::move(merged.summaries);
  return out;
}

MergedReport merge_verify(const std::vector<Shard>& shards) {
  const std::size_t count = shards.front().count;
  std::size_t total = 0;
  for (const Shard& shard : shards) total += shard.report->document["claims"].size();
  for (const Shard& shard : shards) {
    try {
      tally_claims(shard.report->document["claims"]);  // each entry readable, named per file
    } catch (const SpecError& error) {
      const std::string problem = std::string(error.what()).substr(error.field().size() + 2);
      throw SpecError(field(*shard.report, error.field()), problem);
    }
    // Claim i ran in shard i mod N + 1.
    const std::size_t expected =
        total > shard.index ? (total - shard.index + count - 1) / count : 0;
    const std::size_t size = shard.report->document["claims"].size();
    if (size != expected)
      throw SpecError(field(*shard.report, "claims"),
                      fmt::format("has {} claims, but shard {} of {} claims in all has {}", size,
                                  shard_text(shard.index, count), total, expected));
  }
  json claims = json::array();
  for (std::size_t i = 0; i < total; ++i)
    claims.push_back(shards[i % count].report->document["claims"][i / count]);
  MergedReport out;
  out.kind = MergedKind::verify;
  out.tally = tally_claims(claims);
  out.exit_code = out.tally.exit_code();
  out.report = verify_report(unsharded_header(*shards.front().report, MergedKind::verify),
                             std::move(claims));
  return out;
}

}  // namespace

MergedReport merge_reports(const std::vector<ShardReport>& reports) {
  if (reports.empty()) throw SpecError("REPORT", "expected at least one shard report");
  const MergedKind kind = kind_of(reports.front());
  const std::vector<Shard> shards = matching_shards(reports, kind);
  if (kind == MergedKind::prove) {
    std::vector<const ShardReport*> ordered;
    for (const Shard& shard : shards) ordered.push_back(shard.report);
    MergedReport out;
    out.kind = MergedKind::prove;
    out.report = merge_prove_shards(ordered, out.exit_code);
    return out;
  }
  return kind == MergedKind::check ? merge_check(shards) : merge_verify(shards);
}

}  // namespace mechcheck

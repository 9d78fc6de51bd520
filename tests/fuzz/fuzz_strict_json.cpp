// libFuzzer target: bytes → parse_exact_json, against an independent reference (a SAX pass of
// nlohmann's parser that tracks key sets and depth). Checks (tests/fuzz/README.md):
//   exception   only SpecError escapes parse_exact_json
//   agreement   parse_exact_json accepts exactly the syntactically valid documents without a
//               repeated key in one object and nesting at most kMaxJsonDepth deep
//   keys        an accepted document keeps every key (nothing collapsed)
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "spec/exact_json.hpp"
#include "spec/spec_error.hpp"

namespace {

using json = nlohmann::json;

// Reference: syntax by nlohmann's own SAX parser; duplicates and depth tracked here.
struct Reference : nlohmann::json_sax<json> {
  std::vector<std::set<std::string>> objects;  // one key set per open container
  std::vector<bool> is_object;
  std::size_t depth = 0, max_depth = 0, keys = 0;
  bool duplicate = false;

  bool open(bool object) {
    is_object.push_back(object);
    objects.emplace_back();
    max_depth = std::max(max_depth, ++depth);
    return true;
  }
  bool close() {
    is_object.pop_back();
    objects.pop_back();
    --depth;
    return true;
  }
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return open(true); }
  bool key(string_t& value) override {
    ++keys;
    if (!objects.back().insert(value).second) duplicate = true;
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }
};

std::size_t count_keys(const json& value) {
  std::size_t keys = 0;
  if (value.is_object())
    for (const auto& [key, child] : value.items()) keys += 1 + count_keys(child);
  else if (value.is_array())
    for (const json& child : value) keys += count_keys(child);
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using mechcheck::fuzz::fail;
  using mechcheck::fuzz::shorten;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Reference reference;
  bool valid = false;
  try {
    valid = json::sax_parse(text, &reference);
  } catch (const json::exception&) {
    valid = false;
  }
  const bool expected =
      valid && !reference.duplicate && reference.max_depth <= mechcheck::kMaxJsonDepth;
  json document;
  bool accepted = false;
  try {
    document = mechcheck::parse_exact_json(text);
    accepted = true;
  } catch (const mechcheck::SpecError&) {
  } catch (const std::exception& error) {
    fail("exception", std::string("non-SpecError escaped: ") + error.what());
  }
  if (accepted != expected)
    fail("agreement", std::string(accepted ? "accepted" : "refused") + " but the reference says " +
                          (expected ? "valid" : "invalid") +
                          " (duplicate=" + std::to_string(reference.duplicate) +
                          ", depth=" + std::to_string(reference.max_depth) + "): " + shorten(text));
  if (accepted && count_keys(document) != reference.keys)
    fail("keys", "the document has " + std::to_string(count_keys(document)) + " keys, the text " +
                     std::to_string(reference.keys) + ": " + shorten(text));
  return 0;
}

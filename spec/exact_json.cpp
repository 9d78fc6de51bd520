#include "spec/exact_json.hpp"

#include <filesystem>
#include <fstream>
#include <vector>

#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

// Builds the document with an explicit stack, so nesting depth costs heap, not call stack.
// Strict: a key repeated in one object and nesting deeper than kMaxJsonDepth are errors (the
// last duplicate would otherwise win silently; the readers of the document recurse).
class ExactNumberBuilder : public nlohmann::json_sax<json> {
 public:
  json result;
  std::string error_field, error;

  bool null() override { return put(nullptr); }
  bool boolean(bool value) override { return put(value); }
  bool number_integer(number_integer_t value) override { return put(value); }
  bool number_unsigned(number_unsigned_t value) override { return put(value); }
  bool number_float(number_float_t, const string_t& text) override { return put(text); }
  bool string(string_t& value) override { return put(std::move(value)); }
  bool binary(binary_t& value) override { return put(json::binary(std::move(value))); }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool key(string_t& value) override {
    const json& parent = *open_containers_.back().value;
    if (parent.contains(value)) {
      error_field = child_path(value);
      error = "is a duplicate key: \"" + value + "\" appears more than once in the object";
      return false;
    }
    pending_key_ = std::move(value);
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    error = "malformed JSON at byte " + std::to_string(position) + ": " + ex.what();
    return false;
  }

 private:
  struct Open {
    json* value;
    std::string path;
  };
  std::vector<Open> open_containers_;
  std::string pending_key_;

  // The field path of the next value: `groups[1].reward`, as SpecError names fields.
  std::string child_path(const std::string& key) const {
    if (open_containers_.empty()) return "";
    const Open& parent = open_containers_.back();
    if (parent.value->is_array())
      return parent.path + "[" + std::to_string(parent.value->size()) + "]";
    return parent.path.empty() ? key : parent.path + "." + key;
  }
  json* insert(json value) {
    if (open_containers_.empty()) {
      result = std::move(value);
      return &result;
    }
    json& parent = *open_containers_.back().value;
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    json& slot = parent[pending_key_];
    slot = std::move(value);
    return &slot;
  }
  bool put(json value) {
    insert(std::move(value));
    return true;
  }
  bool open(json container) {
    std::string path = child_path(pending_key_);
    if (open_containers_.size() >= kMaxJsonDepth) {
      error_field = path;
      error =
          "nests deeper than " + std::to_string(kMaxJsonDepth) + " levels of arrays and objects";
      return false;
    }
    json* value = insert(std::move(container));
    open_containers_.push_back({value, std::move(path)});
    return true;
  }
  bool close() {
    open_containers_.pop_back();
    return true;
  }
};

}  // namespace

nlohmann::json parse_exact_json(std::string_view text) {
  ExactNumberBuilder builder;
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const json::exception& ex) {
    throw SpecError("", std::string("malformed JSON: ") + ex.what());
  }
  if (!ok)
    throw SpecError(builder.error_field, builder.error.empty() ? "malformed JSON" : builder.error);
  return std::move(builder.result);
}

nlohmann::json read_exact_json_file(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw SpecError(path, "is a directory, expected a JSON file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError(path, "cannot be opened for reading");
  // Read in chunks up to the cap, so that /dev/zero or a huge file is refused, not swallowed.
  std::string content;
  std::vector<char> chunk(1 << 16);
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    content.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (content.size() > kMaxJsonFileBytes)
      throw SpecError(path, "is larger than " + std::to_string(kMaxJsonFileBytes >> 20) +
                                " MiB, expected a JSON input file");
    if (!in) break;
  }
  if (in.bad()) throw SpecError(path, "could not be read");
  try {
    return parse_exact_json(content);
  } catch (const SpecError& error) {
    throw SpecError(path, error.what());
  }
}

}  // namespace mechcheck

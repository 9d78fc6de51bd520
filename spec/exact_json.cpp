#include "spec/exact_json.hpp"

#include <fstream>
#include <sstream>
#include <vector>

#include "spec/spec_error.hpp"

namespace mechcheck {
namespace {

using json = nlohmann::json;

// Builds the document with an explicit stack, so nesting depth costs heap, not call stack.
class ExactNumberBuilder : public nlohmann::json_sax<json> {
 public:
  json result;
  std::string error;

  bool null() override { return put(nullptr); }
  bool boolean(bool value) override { return put(value); }
  bool number_integer(number_integer_t value) override { return put(value); }
  bool number_unsigned(number_unsigned_t value) override { return put(value); }
  bool number_float(number_float_t, const string_t& text) override { return put(text); }
  bool string(string_t& value) override { return put(std::move(value)); }
  bool binary(binary_t& value) override { return put(json::binary(std::move(value))); }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool key(string_t& value) override {
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
  std::vector<json*> open_containers_;
  std::string pending_key_;

  json* insert(json value) {
    if (open_containers_.empty()) {
      result = std::move(value);
      return &result;
    }
    json& parent = *open_containers_.back();
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
    open_containers_.push_back(insert(std::move(container)));
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
  if (!ok) throw SpecError("", builder.error.empty() ? "malformed JSON" : builder.error);
  return std::move(builder.result);
}

nlohmann::json read_exact_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError(path, "cannot be opened for reading");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw SpecError(path, "could not be read");
  try {
    return parse_exact_json(content.str());
  } catch (const SpecError& error) {
    throw SpecError(path, error.what());
  }
}

}  // namespace mechcheck

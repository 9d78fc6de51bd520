#pragma once
// Shared helpers for the libFuzzer targets: a failed expectation prints what went wrong and
// aborts, so libFuzzer saves the input as a crash (crash-<sha1>) and reports the stack.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>

#include "spec/spec_error.hpp"

namespace mechcheck::fuzz {

// Optional checks can be switched off for a run with MECHCHECK_FUZZ_SKIP=name,name,... (to keep
// fuzzing past a finding that is already known); every check is on by default.
inline bool check_enabled(std::string_view name) {
  static const std::string skip = [] {
    const char* value = std::getenv("MECHCHECK_FUZZ_SKIP");
    return "," + std::string(value ? value : "") + ",";
  }();
  return skip.find("," + std::string(name) + ",") == std::string::npos;
}

[[noreturn]] inline void fail(std::string_view check, const std::string& message) {
  std::fprintf(stderr, "\n==mechcheck-fuzz== FINDING [%.*s]: %s\n", static_cast<int>(check.size()),
               check.data(), message.c_str());
  std::fflush(stderr);
  std::abort();
}

inline std::string shorten(std::string text, std::size_t limit = 300) {
  if (text.size() > limit)
    text = text.substr(0, limit) + "...(" + std::to_string(text.size()) + " bytes)";
  return text;
}

// Runs `body`; true when it returned, false on a SpecError (bad input, the expected refusal).
// Any other exception is a finding ("exception") naming the stage and the input.
template <class Body>
bool expect_only_spec_error(std::string_view stage, std::string_view text, Body&& body) {
  try {
    body();
    return true;
  } catch (const SpecError&) {
    return false;
  } catch (const std::exception& e) {
    fail("exception", std::string(stage) + " threw " + typeid(e).name() +
                          " (not SpecError): " + e.what() + " on " + shorten(std::string(text)));
  } catch (...) {
    fail("exception",
         std::string(stage) + " threw a non-std exception on " + shorten(std::string(text)));
  }
}

}  // namespace mechcheck::fuzz

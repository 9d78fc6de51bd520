// The Python module `mechcheck`: the CLI's solve, check, verify and replay as functions that take
// and return plain Python values, and check() of a Python callable as an in-process external
// mechanism (python_mechanism.hpp). Each function calls the same library code as its command:
// check() runs run_checks and check_report itself (it injects the callable), solve, verify and
// replay call the command (cli/*_command.hpp) and read back the JSON it prints or writes.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>

#include "claims/claim.hpp"
#include "cli/check_command.hpp"
#include "cli/file_output.hpp"
#include "cli/option_parsing.hpp"
#include "cli/replay_command.hpp"
#include "cli/solve_command.hpp"
#include "cli/verify_command.hpp"
#include "mechanisms/family.hpp"
#include "python_json.hpp"
#include "python_mechanism.hpp"
#include "report/check_report.hpp"
#include "report/report_identity.hpp"
#include "solver/policy_solution.hpp"
#include "spec/exact_json.hpp"
#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::python {
namespace {

using json = nlohmann::json;

constexpr const char* kModuleDoc = R"doc(mechcheck: exact checks of mechanisms, from Python.

Functions (each returns what the command line prints or writes, as plain Python values):

  solve(instance, precision="double")       mechcheck solve FILE --precision P --format json
  check(config, mechanism=None, *, instances=None, seed=None, threads=None, witness_dir=None)
                                            mechcheck check CONFIG --report  (the report)
  verify(only=None)                         mechcheck verify --report  (the report)
  replay(witness)                           mechcheck replay WITNESS

Documents (instance, config, witness) are dicts or paths (str or os.PathLike) of JSON files.

Inputs: dicts (str keys), lists/tuples, str, int, fractions.Fraction (sent as "p/q"), float
(sent as its repr, e.g. 0.1 -> "0.1", which mechcheck reads as exactly 1/10, as it reads the
number 0.1 in a JSON file), bool and None.

Outputs: dicts, lists, str, int, float, bool and None as the JSON has them, except that every
string that is an exact rational "p/q" (-?\d+/\d+) becomes a fractions.Fraction. Everything else
is left as it is: integers mechcheck writes as text (the "0" in an exact policy, the sizes in a
witness) stay str, and so do decimal strings such as "1e-9" (fractions.Fraction reads all of
them). The check report's "shard": "1/1" matches the pattern and reads as Fraction(1).

Errors: InputError (a ValueError) for bad input: a document or an argument; the message names
the field, e.g. "groups[1].reward: sums to 9/10, expected 1". MechanismError (a RuntimeError,
not an InputError: the input was fine, the code under test was not) when the mechanism under
test misbehaves: a callable raises or does not return within the timeout, a process crashes,
times out or breaks the protocol, an answer is malformed; the message is the one `mechcheck
check` prints, naming the request, the field and a file holding the profile, e.g. "mechanism
request 3: the mechanism did not reply within 10 s (profile: /tmp/mechcheck-profile-...json)".
NumericalError (a RuntimeError) when the solver fails at every working precision.

A mechanism for check() may be Python code with the profile and result shapes of
docs/protocol.md (numbers arrive as fractions.Fraction; results may hold Fraction, int, float or
str, "p/q" or decimal), in one of three forms, told apart by inspect.signature:
  f(profile)                 a callable with one required positional parameter;
  f(profile, parameters)     a callable with two: `parameters` is the dict a process receives in
                             init (the family's parameters, e.g. "units", and the config's
                             "options"), the same dict on every call;
  an object with run(profile) and optionally init(parameters): init is called once, before any
                             run (an exception in it is a MechanismError naming init, as a
                             process's refusal is). A class is not an object of this form.
Parameters arrive as the module returns JSON: integers as int, "p/q" strings as Fraction, other
strings (decimals included) as str. Each call runs on a daemon thread mechcheck starts (one per
concurrent caller, as processes are), under the config's mechanism.external.timeout (default
10 s) as a process's reply: a call that overruns ends the run with a MechanismError. The thread
cannot be killed: a pure-Python loop is stopped by an exception raised in it, a call blocked in C
(time.sleep, I/O) runs on in the background without keeping the interpreter from exiting, and
the mechanism refuses further calls. The mechanism must be a function of the profile alone.)doc";

PyObject* input_error = nullptr;
PyObject* numerical_error = nullptr;
PyObject* mechanism_error = nullptr;

// A directory under $TMPDIR removed with everything in it.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "mechcheck-python-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("cannot create a temporary directory in " +
                               std::filesystem::temp_directory_path().string());
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::optional<std::string> as_path(py::handle value) {
  if (PyUnicode_Check(value.ptr())) return value.cast<std::string>();
  if (py::hasattr(value, "__fspath__")) {
    py::object path = py::module_::import("os").attr("fspath")(value);
    if (PyUnicode_Check(path.ptr())) return path.cast<std::string>();
  }
  return std::nullopt;
}

json read_document(py::handle value, const std::string& argument) {
  if (auto path = as_path(value)) return read_exact_json_file(*path);
  if (PyDict_Check(value.ptr())) return to_json(value, "", Values::document);
  throw py::type_error(argument + " must be a dict or a path, not " + type_name(value));
}

// A file holding the document for a command that reads one: the path given, or the dict
// written into `directory`.
std::string document_file(py::handle value, const std::string& argument,
                          std::optional<TemporaryDirectory>& directory) {
  if (auto path = as_path(value)) return *path;
  const json document = read_document(value, argument);
  directory.emplace();
  const std::string path = directory->file(argument + ".json");
  std::ofstream file(path);
  file << document.dump() << "\n";
  if (!file.flush()) throw std::runtime_error("cannot write " + path);
  return path;
}

struct CommandOutput {
  int code = 0;
  std::string out, err;
};

// Runs a command with the GIL released (it may take long and start threads).
template <class Run>
CommandOutput run_command(Run&& run) {
  std::ostringstream out, err;
  int code = 0;
  {
    py::gil_scoped_release release;
    code = run(out, err);
  }
  return {code, out.str(), err.str()};
}

// The command's error line without "mechcheck solve: " and the newline.
std::string error_text(std::string text, const std::string& command) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const std::string prefix = "mechcheck " + command + ": ";
  if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
  return text;
}

// Exit 2 (bad input) → InputError, 3 (beyond the working precisions) → NumericalError.
[[noreturn]] void throw_command_error(const CommandOutput& output, const std::string& command) {
  if (output.code == 3) throw NumericalFailure(error_text(output.err, command));
  throw SpecError("", error_text(output.err, command));
}

// An int option in [low, high] (None: nothing).
std::optional<std::uint64_t> integer_argument(py::handle value, const std::string& name,
                                              std::uint64_t low, std::uint64_t high) {
  if (value.is_none()) return std::nullopt;
  if (PyBool_Check(value.ptr()) || !PyLong_Check(value.ptr()))
    throw py::type_error(name + " must be an int, not " + type_name(value));
  const std::string text = py::str(value).cast<std::string>();
  const std::string range = std::to_string(low) + ".." + std::to_string(high);
  if (text.front() == '-')
    throw SpecError(name, "is " + text + ", expected an integer in " + range);
  const unsigned long long number = PyLong_AsUnsignedLongLong(value.ptr());
  if (PyErr_Occurred()) {
    PyErr_Clear();
    throw SpecError(name, "is " + text + ", expected an integer in " + range);
  }
  if (number < low || number > high)
    throw SpecError(name, "is " + text + ", expected an integer in " + range);
  return number;
}

py::object solve(const py::object& instance, const py::object& precision) {
  std::string text;
  if (PyUnicode_Check(precision.ptr()))
    text = precision.cast<std::string>();
  else if (PyLong_Check(precision.ptr()) && !PyBool_Check(precision.ptr()))
    text = py::str(precision).cast<std::string>();
  else
    throw py::type_error("precision must be a str, not " + type_name(precision));
  const auto parsed = parse_precision(text);
  if (!parsed)
    throw SpecError("precision", "is \"" + text + "\", expected double, 50, 100 or exact");
  std::optional<TemporaryDirectory> directory;
  cli::SolveOptions options;
  options.file = document_file(instance, "instance", directory);
  options.precision = *parsed;
  const CommandOutput output = run_command(
      [&](std::ostream& out, std::ostream& err) { return cli::run_solve(options, out, err); });
  if (output.code != 0) throw_command_error(output, "solve");
  return to_python(json::parse(output.out));
}

// The config as the callable ran it, for the report's hash: "mechanism" is the callable's record
// (as its witnesses have it) with the config's timeout and options, which still apply to it, so
// that the hash changes with the callable, its timeout and its options but not with the command
// line that did not run.
json config_with_callable(json document, const PythonMechanism& callable) {
  if (!document.is_object()) return document;
  json mechanism = callable.record();
  if (document.contains("mechanism") && document["mechanism"].is_object() &&
      document["mechanism"].contains("external") && document["mechanism"]["external"].is_object()) {
    const json& external = document["mechanism"]["external"];
    for (const char* key : {"timeout", "options"})
      if (external.contains(key)) mechanism["python"][key] = external[key];
  }
  document["mechanism"] = std::move(mechanism);
  return document;
}

py::object check(const py::object& config, const py::object& mechanism, const py::object& instances,
                 const py::object& seed, const py::object& threads, const py::object& witness_dir) {
  json document = read_document(config, "config");
  std::shared_ptr<const PythonMechanism> callable;
  if (PyUnicode_Check(mechanism.ptr()))
    document = cli::with_mechanism_option(std::move(document), mechanism.cast<std::string>());
  else if (!mechanism.is_none())
    callable = std::make_shared<PythonMechanism>(mechanism);
  CheckSetup setup;
  try {
    setup = family_of(document).read_check_config(document, callable);  // calls an object's init
  } catch (...) {
    if (callable) callable->rethrow_interrupt();
    throw;
  }

  RunOptions options;
  options.instance_count = integer_argument(instances, "instances", 1, cli::kMaxCheckInstances)
                               .value_or(setup.instance_count);
  options.seed = integer_argument(seed, "seed", 0, UINT64_MAX).value_or(setup.seed);
  options.threads =
      static_cast<int>(integer_argument(threads, "threads", 1, cli::kMaxThreads).value_or(1));
  const auto effort = parse_effort(setup.effort);
  if (!effort)
    throw SpecError("effort", "is \"" + setup.effort + "\", expected quick, default or thorough");
  options.effort = *effort;
  std::optional<std::string> directory;
  if (!witness_dir.is_none()) {
    directory = as_path(witness_dir);
    if (!directory)
      throw py::type_error("witness_dir must be None or a path, not " + type_name(witness_dir));
    cli::OutputTransaction::preflight("witness_dir", *directory + "/witness.json", true);
  }
  // Ctrl-C between instances (signals are seen on the thread that called check()).
  const std::thread::id caller = std::this_thread::get_id();
  options.progress = [caller](std::size_t, std::size_t) {
    if (std::this_thread::get_id() != caller) return;
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  };
  const std::optional<std::string> config_path = as_path(config);
  json header = {
      {"config", config_path ? json(*config_path) : json(nullptr)},
      {"config_sha256", config_sha256(cli::config_as_run(
                            callable ? config_with_callable(document, *callable) : document,
                            options, setup.effort))},
      {"mechcheck_version", mechcheck_version()},
      {"family", setup.family},
      {"seed", options.seed},
      {"shard", "1/1"},
      {"effort", setup.effort}};

  CheckRun run;
  CheckReport report;
  try {
    py::gil_scoped_release release;  // the checks call the callable from their worker threads
    run = run_checks(setup, options);
    // As the CLI's report: the mechanism under test (a process's from its init_ok, known after
    // the run) and the tolerance its answers were measured with.
    if (setup.external) {
      header["mechanism"] = setup.external->mechanism->record();
      header["tolerance"] = to_exact_string(setup.external->tolerance);
    }
    report = check_report(run, directory.value_or(""), std::move(header));
  } catch (...) {
    if (callable) callable->rethrow_interrupt();
    throw;
  }
  if (callable) callable->rethrow_interrupt();

  if (directory) {
    cli::OutputTransaction files;
    for (const auto& [path, content] : report.witness_files) files.stage(path, content);
    files.commit();
  } else {
    // No files: each violated result carries its witness document instead of a path.
    std::unordered_map<std::string, const std::string*> contents;
    for (const auto& [path, content] : report.witness_files) contents[path] = &content;
    for (json& entry : report.report["results"])
      if (entry.contains("witness"))
        entry["witness"] = json::parse(*contents.at(entry["witness"].get<std::string>()));
  }
  return to_python(report.report);
}

py::object verify(const std::optional<std::vector<std::string>>& only) {
  cli::VerifyOptions options;
  if (only) options.only = *only;
  const auto claims = paper_claims();
  for (const std::string& id : options.only)
    if (std::none_of(claims.begin(), claims.end(), [&](const Claim& c) { return c.id == id; }))
      throw SpecError("only", "unknown claim \"" + id + "\"");
  TemporaryDirectory directory;
  options.report_path = directory.file("report.json");
  const CommandOutput output = run_command(
      [&](std::ostream& out, std::ostream& err) { return cli::run_verify(options, out, err); });
  if (output.code == 2) throw_command_error(output, "verify");
  std::ifstream file(options.report_path);
  std::stringstream text;
  text << file.rdbuf();
  return to_python(json::parse(text.str()));
}

py::object replay(const py::object& witness) {
  std::optional<TemporaryDirectory> directory;
  const std::string path = document_file(witness, "witness", directory);
  const CommandOutput output = run_command([&](std::ostream& out, std::ostream& err) {
    return cli::run_replay(path, std::nullopt, out, err);
  });
  if (output.code != 0 && output.code != 1) throw_command_error(output, "replay");
  return to_python(json::parse(output.out));
}

}  // namespace
}  // namespace mechcheck::python

PYBIND11_MODULE(mechcheck, m) {
  namespace py = pybind11;
  using namespace mechcheck::python;
  m.doc() = kModuleDoc;
#ifdef MECHCHECK_VERSION
  m.attr("__version__") = MECHCHECK_VERSION;
#endif
  // Created once and kept for the life of the process (exception types are never freed).
  input_error =
      py::exception<mechcheck::SpecError>(m, "InputError", PyExc_ValueError).release().ptr();
  numerical_error =
      py::exception<mechcheck::NumericalFailure>(m, "NumericalError", PyExc_RuntimeError)
          .release()
          .ptr();
  // A RuntimeError, not an InputError: the input was fine, the code under test failed.
  mechanism_error =
      py::exception<mechcheck::ExternalMechanismError>(m, "MechanismError", PyExc_RuntimeError)
          .release()
          .ptr();
  py::setattr(py::handle(input_error), "__doc__",
              py::str("Bad input (a document or an argument); the message names the field."));
  py::setattr(py::handle(mechanism_error), "__doc__",
              py::str("The mechanism under test misbehaved: a callable raised or did not return "
                      "within the timeout, a process crashed, timed out or broke the protocol, an "
                      "answer was malformed. The message names the request, the field and the "
                      "file holding the profile."));
  py::setattr(py::handle(numerical_error), "__doc__",
              py::str("The solver failed at every working precision."));
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const mechcheck::ExternalMechanismError& failure) {
      PyErr_SetString(mechanism_error, failure.what());
    } catch (const mechcheck::SpecError& failure) {
      PyErr_SetString(input_error, failure.what());
    } catch (const mechcheck::NumericalFailure& failure) {
      PyErr_SetString(numerical_error, failure.what());
    }
  });

  m.def("solve", &solve, py::arg("instance"), py::arg("precision") = "double",
        R"doc(Solves an instance: the JSON `mechcheck solve FILE --precision P --format json`
prints, as a dict. `instance` is a dict or a path; `precision` is "double", "50", "100" or
"exact" (50 and 100 may be ints). Auction instances (any family with an exact outcome) ignore
the precision.)doc");
  m.def("check", &check, py::arg("config"), py::arg("mechanism") = py::none(), py::kw_only(),
        py::arg("instances") = py::none(), py::arg("seed") = py::none(),
        py::arg("threads") = py::none(), py::arg("witness_dir") = py::none(),
        R"doc(Checks a config: the report `mechcheck check CONFIG --report FILE` writes, as a dict.

mechanism: None (the config's own, built-in or external), a command line (as --mechanism:
replaces the config's external command, keeps its timeout and options) or Python code:
f(profile), f(profile, parameters) or an object with run(profile) and init(parameters)
(docs/protocol.md shapes; the config's tolerance, timeout and options apply; see the module doc).
The report names the mechanism and the tolerance as the CLI's does ("mechanism":
{"python": {"callable": "module.qualname"}} for Python code); its config_sha256 hashes the
config with that mechanism (and the config's timeout and options) in place of the command.
Raises MechanismError when the mechanism misbehaves, InputError for bad input.
instances, seed: default the config's; threads: default 1 (results do not depend on it).
witness_dir: write the witness files there (the report names them, as the CLI's does);
without it nothing is written and each violated result's "witness" holds the witness document
itself.)doc");
  m.def("verify", &verify, py::arg("only") = py::none(),
        R"doc(Runs the paper-claims suite (all cores): the report `mechcheck verify --report FILE`
writes, as a dict. `only`: a list of claim ids.)doc");
  m.def("replay", &replay, py::arg("witness"),
        R"doc(Replays a witness (a dict or a path): what `mechcheck replay WITNESS` prints, as a
dict ("reproduced": whether the violation still stands).)doc");
}

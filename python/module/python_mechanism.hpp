#pragma once
// A Python mechanism as an external mechanism: the in-process twin of the protocol of
// docs/protocol.md (same profile and result shapes, numbers in as fractions.Fraction), with a
// process's handshake, timeout and failures. The mechanism is one of
//   f(profile)                  a callable with one required positional parameter,
//   f(profile, parameters)      a callable with two (parameters: what `init` carries),
//   an object with run(profile) and optionally init(parameters) (called once, by initialize()).
// Every call runs on a daemon Python thread (one per concurrent caller, as a process is), so a
// call that overruns the timeout can be abandoned: a thread cannot be killed, but a pure-Python
// loop is stopped by an asynchronous exception, and one that is not stopped (blocked in C, e.g.
// time.sleep) makes later calls fail at once and never keeps the interpreter from exiting.
// initialize() and run() may be called from any thread, with or without the GIL.
#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mechanisms/external/external_mechanism.hpp"

namespace mechcheck::python {

namespace py = pybind11;

class PythonMechanism final : public ExternalMechanism {
 public:
  // Call with the GIL held. Throws py::type_error when `mechanism` has none of the three forms.
  explicit PythonMechanism(py::object mechanism);
  ~PythonMechanism() override;
  PythonMechanism(const PythonMechanism&) = delete;
  PythonMechanism& operator=(const PythonMechanism&) = delete;

  // Keeps the parameters and timeout for run() and calls init(parameters) of an object. An
  // exception in init or a timeout throws ExternalMechanismError ("mechanism init: ...").
  void initialize(const std::string& family, const nlohmann::json& parameters,
                  std::chrono::milliseconds timeout) const override;
  // A Python exception (an Exception), an answer that is not JSON-shaped or a call that overruns
  // the timeout throws ExternalMechanismError naming the request and the profile's index
  // ("mechanism request 3: run_ok.results[2]: ...", "mechanism request 3: the mechanism did not
  // reply within 1 s (profile: FILE)"). KeyboardInterrupt and other BaseExceptions are kept for
  // rethrow_interrupt() and every later call fails at once, so a run ends quickly.
  Reply run(const std::vector<nlohmann::json>& profiles) const override;
  // {"python": {"callable": "<module>.<qualname>"}} (of the object's type for an object).
  nlohmann::json record() const override { return record_; }

  // Re-raises (as py::error_already_set) a KeyboardInterrupt or SystemExit the callable raised
  // or that interrupted a wait for it. Call with the GIL held.
  void rethrow_interrupt() const;

 private:
  enum class Form { profile, profile_and_parameters, object };
  struct Outcome;

  // Calls `function(argument, *extra)` for each argument on an idle worker thread; a call that
  // overruns timeout_ is abandoned. Call with the GIL held.
  // `where` names the call in errors ("mechanism request 3", "mechanism init").
  Outcome call_each(const py::object& function, const py::object& extra, const py::list& arguments,
                    const std::string& where) const;
  // After an interrupt or a call whose thread could not be stopped, every call fails at once.
  void fail_if_broken(long request) const;
  void keep_interrupt(py::handle exception) const;

  py::object mechanism_;
  Form form_;
  nlohmann::json record_;
  py::dict helpers_;                        // kWorkerCode's names
  mutable py::object run_;                  // the callable or the object's run
  mutable py::object extra_ = py::tuple();  // () or (parameters,)
  mutable std::chrono::milliseconds timeout_{10000};
  mutable std::atomic<long> next_request_{1};
  mutable std::mutex mutex_;              // guards the members below
  mutable std::vector<py::object> idle_;  // workers (queue.SimpleQueue) waiting for a call
  mutable std::string broken_;            // why every call now fails at once
  mutable std::optional<py::error_already_set> interrupt_;
};

}  // namespace mechcheck::python

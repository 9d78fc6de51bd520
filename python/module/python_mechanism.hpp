#pragma once
// A Python callable `f(profile: dict) -> dict` as an external mechanism: the in-process twin of
// the protocol of docs/protocol.md (same profile and result shapes, numbers in as
// fractions.Fraction). run() may be called from any thread (the checks' TBB workers): it takes
// the GIL for the duration of one batch.
#include <pybind11/pybind11.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include "mechanisms/external/external_mechanism.hpp"

namespace mechcheck::python {

namespace py = pybind11;

class PythonMechanism final : public ExternalMechanism {
 public:
  // Call with the GIL held.
  explicit PythonMechanism(py::object callable);
  ~PythonMechanism() override;
  PythonMechanism(const PythonMechanism&) = delete;
  PythonMechanism& operator=(const PythonMechanism&) = delete;

  // A Python exception (an Exception) or an answer that is not JSON-shaped throws
  // ExternalMechanismError naming the request and the profile's index ("mechanism request 3:
  // run_ok.results[2]: ..."). KeyboardInterrupt and other BaseExceptions are kept for
  // rethrow_interrupt() and every later call fails at once, so a run ends quickly.
  Reply run(const std::vector<nlohmann::json>& profiles) const override;
  // {"python": {"callable": "<module>.<qualname>"}}
  nlohmann::json record() const override { return record_; }

  // Re-raises (as py::error_already_set) a KeyboardInterrupt or SystemExit the callable raised.
  // Call with the GIL held.
  void rethrow_interrupt() const;

 private:
  py::object callable_;
  nlohmann::json record_;
  mutable std::atomic<long> next_request_{1};
  mutable std::mutex interrupt_mutex_;
  mutable std::optional<py::error_already_set> interrupt_;
};

}  // namespace mechcheck::python

#include "python_mechanism.hpp"

#include "python_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::python {
namespace {

std::string attribute_text(py::handle object, const char* name) {
  if (!py::hasattr(object, name)) return "";
  py::object value = object.attr(name);
  return PyUnicode_Check(value.ptr()) ? value.cast<std::string>() : "";
}

// "module.qualname" of a function, a bound method, a class or (for other callables) their type.
std::string callable_name(py::handle callable) {
  std::string qualname = attribute_text(callable, "__qualname__");
  std::string module = attribute_text(callable, "__module__");
  if (qualname.empty()) {
    py::handle type = py::type::handle_of(callable);
    qualname = attribute_text(type, "__qualname__");
    module = attribute_text(type, "__module__");
  }
  return module.empty() ? qualname : module + "." + qualname;
}

// "ValueError: text" (no traceback).
std::string describe(const py::error_already_set& error) {
  std::string text = attribute_text(error.type(), "__name__");
  const std::string message = py::str(error.value()).cast<std::string>();
  if (!message.empty()) text += ": " + message;
  return text;
}

}  // namespace

PythonMechanism::PythonMechanism(py::object callable)
    : callable_(std::move(callable)),
      record_{{"python", {{"callable", callable_name(callable_)}}}} {}

PythonMechanism::~PythonMechanism() {
  if (!Py_IsInitialized()) {
    callable_.release();  // the interpreter is gone: nothing left to free
    return;
  }
  py::gil_scoped_acquire gil;
  callable_ = py::object();
  interrupt_.reset();
}

ExternalMechanism::Reply PythonMechanism::run(const std::vector<nlohmann::json>& profiles) const {
  Reply reply;
  reply.request = next_request_++;
  reply.worker = 1;
  reply.results.reserve(profiles.size());
  {
    std::lock_guard<std::mutex> lock(interrupt_mutex_);
    if (interrupt_)
      throw ExternalMechanismError("mechanism request " + std::to_string(reply.request),
                                   "interrupted");
  }
  py::gil_scoped_acquire gil;
  const py::object fraction = fraction_type();
  for (std::size_t k = 0; k < profiles.size(); ++k) {
    py::object result;
    try {
      result = callable_(profile_to_python(profiles[k], fraction));
    } catch (py::error_already_set& error) {
      if (!error.matches(PyExc_Exception)) {  // KeyboardInterrupt, SystemExit
        const std::string text = describe(error);
        {
          std::lock_guard<std::mutex> lock(interrupt_mutex_);
          if (!interrupt_) interrupt_.emplace(error);
        }
        throw ExternalMechanismError("mechanism request " + std::to_string(reply.request),
                                     "interrupted (" + text + ")");
      }
      reject_result(reply.worker, reply.request, k,
                    SpecError("", "the callable raised " + describe(error)), profiles[k]);
    }
    try {
      reply.results.push_back(to_json(result, "", Values::answer));
    } catch (const SpecError& error) {
      reject_result(reply.worker, reply.request, k, error, profiles[k]);
    } catch (py::error_already_set& error) {  // e.g. a str that is not valid Unicode
      reject_result(reply.worker, reply.request, k,
                    SpecError("", "the answer cannot be read: " + describe(error)), profiles[k]);
    }
  }
  return reply;
}

void PythonMechanism::rethrow_interrupt() const {
  std::optional<py::error_already_set> error;
  {
    std::lock_guard<std::mutex> lock(interrupt_mutex_);
    error.swap(interrupt_);
  }
  if (error) throw *error;
}

}  // namespace mechcheck::python

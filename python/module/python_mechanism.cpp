#include "python_mechanism.hpp"

#include <pybind11/eval.h>

#include <algorithm>

#include "mechanisms/external/subprocess.hpp"
#include "python_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::python {
namespace {

using json = nlohmann::json;

// The worker threads, in Python: a thread blocked in the callable must not hold C++ frames (an
// interpreter that exits while daemon threads run ends them by unwinding their stacks), and
// threading.Event.wait releases the GIL and is interrupted by Ctrl-C on the main thread. The
// lock makes "the call overran, abandon it" and "the next call starts" exclusive: an abandoned
// batch never starts another call.
constexpr const char* kWorkerCode = R"py(
import queue
import threading
import time


class Abandoned(BaseException):
    """Raised asynchronously in a mechanism call that overran its timeout, to stop it."""


class Batch:
    """The calls function(argument, *extra), one per argument, made on a worker thread."""

    def __init__(self, function, extra, arguments):
        self.function, self.extra, self.arguments = function, extra, arguments
        self.results = []
        self.error = None  # what the call at `index` raised
        self.index = 0
        self.started = None  # time.monotonic() when the call at `index` began
        self.abandoned = False
        self.lock = threading.Lock()
        self.done = threading.Event()


def serve(batches):
    try:
        while True:
            batch = batches.get()
            if batch is None:
                return
            try:
                for index, argument in enumerate(batch.arguments):
                    with batch.lock:
                        if batch.abandoned:
                            return
                        batch.index, batch.started = index, time.monotonic()
                    batch.results.append(batch.function(argument, *batch.extra))
            except BaseException as error:
                batch.error = error
            with batch.lock:
                if batch.abandoned:
                    return
                batch.done.set()
    except Abandoned:
        pass


def start():
    batches = queue.SimpleQueue()
    thread = threading.Thread(target=serve, args=(batches,), name="mechcheck mechanism",
                              daemon=True)
    thread.start()
    return batches, thread


def wait(batch, timeout):
    """None once the batch is done, else the index of the call that has run `timeout` seconds
    (the batch is then abandoned). An exception in the wait (KeyboardInterrupt) abandons it."""
    begun = time.monotonic()
    try:
        while True:
            with batch.lock:
                if batch.done.is_set():
                    return None
                started = begun if batch.started is None else batch.started
                left = started + timeout - time.monotonic()
                if left <= 0:
                    batch.abandoned = True
                    return batch.index
            batch.done.wait(left)
    except BaseException:
        with batch.lock:
            batch.abandoned = True
        raise
)py";

std::string attribute_text(py::handle object, const char* name) {
  if (!py::hasattr(object, name)) return "";
  py::object value = object.attr(name);
  return PyUnicode_Check(value.ptr()) ? value.cast<std::string>() : "";
}

// "module.qualname" of a function, a bound method, a class or (for other callables and objects)
// their type.
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
std::string describe(py::handle exception) {
  std::string text = attribute_text(py::type::handle_of(exception), "__name__");
  std::string message;
  try {
    message = py::str(exception).cast<std::string>();
  } catch (py::error_already_set&) {
    message = "(the exception cannot be printed)";
  }
  if (!message.empty()) text += ": " + message;
  return text;
}

std::string describe(const py::error_already_set& error) { return describe(error.value()); }

bool is_exception(py::handle exception) {
  return PyObject_IsInstance(exception.ptr(), PyExc_Exception) == 1;
}

constexpr const char* kForms =
    "a callable f(profile) or f(profile, parameters), or an object with run(profile) and "
    "optionally init(parameters)";

}  // namespace

struct PythonMechanism::Outcome {
  std::optional<std::size_t> overran;  // the call that did not return in time
  std::size_t index = 0;               // the call that raised `error`
  py::object error = py::none();       // or the exception
  py::list results;
};

PythonMechanism::PythonMechanism(py::object mechanism)
    : mechanism_(std::move(mechanism)), record_{{"python", {{"callable", ""}}}} {
  record_["python"]["callable"] = callable_name(mechanism_);
  py::handle object = mechanism_;
  if (!PyType_Check(object.ptr()) && py::hasattr(object, "run")) {
    form_ = Form::object;
    run_ = object.attr("run");
    if (!PyCallable_Check(run_.ptr()))
      throw py::type_error("mechanism.run must be callable, not " + type_name(run_));
    if (py::hasattr(object, "init") && !PyCallable_Check(object.attr("init").ptr()))
      throw py::type_error("mechanism.init must be callable, not " +
                           type_name(object.attr("init")));
  } else {
    if (!PyCallable_Check(object.ptr()))
      throw py::type_error(std::string("mechanism must be None, a command line (str), ") + kForms +
                           ", not " + type_name(object));
    run_ = mechanism_;
    // The number of required positional parameters says which form: f(profile) or
    // f(profile, parameters); optional ones keep their defaults.
    form_ = Form::profile;
    py::object signature;
    try {
      signature = py::module_::import("inspect").attr("signature")(object);
    } catch (py::error_already_set& error) {
      // Some callables implemented in C have no signature: they get the profile alone.
      if (!error.matches(PyExc_ValueError) && !error.matches(PyExc_TypeError)) throw;
    }
    if (signature) {
      py::handle kind = py::module_::import("inspect").attr("Parameter");
      const py::object empty = kind.attr("empty");
      std::size_t required = 0, positional = 0;
      bool variadic = false;
      std::string keyword_only;
      for (py::handle parameter : signature.attr("parameters").attr("values")()) {
        const py::object parameter_kind = parameter.attr("kind");
        const bool no_default = parameter.attr("default").ptr() == empty.ptr();
        if (parameter_kind.equal(kind.attr("POSITIONAL_ONLY")) ||
            parameter_kind.equal(kind.attr("POSITIONAL_OR_KEYWORD"))) {
          ++positional;
          if (no_default) ++required;
        } else if (parameter_kind.equal(kind.attr("VAR_POSITIONAL"))) {
          variadic = true;
        } else if (parameter_kind.equal(kind.attr("KEYWORD_ONLY")) && no_default &&
                   keyword_only.empty()) {
          keyword_only = parameter.attr("name").cast<std::string>();
        }
      }
      const std::string shown =
          record_["python"]["callable"].get<std::string>() + py::str(signature).cast<std::string>();
      if (!keyword_only.empty())
        throw py::type_error("mechanism " + shown + " has a required keyword-only parameter " +
                             keyword_only + ", expected " + kForms);
      if (required == 2)
        form_ = Form::profile_and_parameters;
      else if (required > 2 || (positional == 0 && !variadic))
        throw py::type_error("mechanism " + shown + " takes " + std::to_string(required) +
                             " required positional parameters, expected " + kForms);
    }
  }
  helpers_["__name__"] = "mechcheck._worker";
  py::exec(kWorkerCode, helpers_);
}

PythonMechanism::~PythonMechanism() {
  if (!Py_IsInitialized()) {  // the interpreter is gone: nothing left to free
    for (py::object* object : {&mechanism_, &run_, &extra_}) object->release();
    helpers_.release();
    for (py::object& worker : idle_) worker.release();
    if (interrupt_) new py::error_already_set(std::move(*interrupt_));  // never freed, as above
    return;
  }
  py::gil_scoped_acquire gil;
  for (py::object& worker : idle_) {  // idle threads end; abandoned ones are on their own
    try {
      worker[py::int_(0)].attr("put")(py::none());
    } catch (py::error_already_set&) {
    }
  }
  idle_.clear();
  mechanism_ = run_ = extra_ = py::object();
  helpers_ = py::dict();
  interrupt_.reset();
}

void PythonMechanism::keep_interrupt(py::handle exception) const {
  py::object type = py::reinterpret_borrow<py::object>(py::type::handle_of(exception));
  py::object value = py::reinterpret_borrow<py::object>(exception);
  py::object traceback = py::getattr(exception, "__traceback__", py::none());
  PyErr_Restore(type.release().ptr(), value.release().ptr(),
                traceback.is_none() ? nullptr : traceback.release().ptr());
  py::error_already_set error;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!interrupt_) interrupt_.emplace(std::move(error));
}

void PythonMechanism::fail_if_broken(long request) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string where = "mechanism request " + std::to_string(request);
  if (interrupt_) throw ExternalMechanismError(where, "interrupted");
  if (!broken_.empty()) throw ExternalMechanismError(where, "not called: " + broken_);
}

PythonMechanism::Outcome PythonMechanism::call_each(const py::object& function,
                                                    const py::object& extra,
                                                    const py::list& arguments,
                                                    const std::string& where) const {
  py::object worker;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      worker = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!worker) worker = helpers_["start"]();
  const py::object batch = helpers_["Batch"](function, extra, arguments);
  worker[py::int_(0)].attr("put")(batch);
  const double seconds = static_cast<double>(timeout_.count()) / 1000.0;
  const py::handle thread = worker[py::int_(1)];
  auto stop = [&] {  // a pure-Python loop ends at its next bytecode; C code runs on
    PyThreadState_SetAsyncExc(thread.attr("ident").cast<unsigned long>(),
                              helpers_["Abandoned"].ptr());
  };
  Outcome outcome;
  try {
    const py::object overran = helpers_["wait"](batch, seconds);
    if (!overran.is_none()) {
      outcome.overran = overran.cast<std::size_t>();
      stop();
      // A thread that does not end soon (blocked in C) may run on: calls stay refused.
      thread.attr("join")(std::min(seconds, 1.0));
      if (thread.attr("is_alive")().cast<bool>()) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (broken_.empty())
          broken_ = where + " did not return within " + seconds_text(timeout_) +
                    " and its thread is still running";
      }
      return outcome;
    }
  } catch (py::error_already_set& error) {  // KeyboardInterrupt in the wait
    stop();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!interrupt_) interrupt_.emplace(error);
    }
    throw ExternalMechanismError(where, "interrupted (" + describe(error) + ")");
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(worker));
  }
  outcome.error = batch.attr("error");
  outcome.index = batch.attr("index").cast<std::size_t>();
  outcome.results = batch.attr("results");
  return outcome;
}

void PythonMechanism::initialize(const std::string& family, const json& parameters,
                                 std::chrono::milliseconds timeout) const {
  (void)family;  // the callable was written for the family it is checked in
  py::gil_scoped_acquire gil;
  timeout_ = timeout;
  const py::object arguments = to_python(parameters);
  if (form_ == Form::profile_and_parameters) extra_ = py::make_tuple(arguments);
  if (form_ != Form::object || !py::hasattr(mechanism_, "init")) return;
  py::list init_arguments;
  init_arguments.append(arguments);
  const Outcome outcome =
      call_each(mechanism_.attr("init"), py::tuple(), init_arguments, "mechanism init");
  if (outcome.overran)
    reject_request(1, 0, "the mechanism did not reply within " + seconds_text(timeout_),
                   std::nullopt, json());
  if (outcome.error.is_none()) return;
  if (!is_exception(outcome.error)) {
    keep_interrupt(outcome.error);
    throw ExternalMechanismError("mechanism init", "interrupted (" + describe(outcome.error) + ")");
  }
  throw ExternalMechanismError(
      "mechanism init",
      "the mechanism refused init: init(parameters) raised " + describe(outcome.error));
}

ExternalMechanism::Reply PythonMechanism::run(const std::vector<json>& profiles) const {
  Reply reply;
  reply.request = next_request_++;
  reply.worker = 1;
  reply.results.reserve(profiles.size());
  const std::string where = "mechanism request " + std::to_string(reply.request);
  py::gil_scoped_acquire gil;
  fail_if_broken(reply.request);
  const py::object fraction = fraction_type();
  py::list arguments;
  for (const json& profile : profiles) {
    py::object converted = profile_to_python(profile, fraction);
    // The seed stays an int, to seed a generator with (as the protocol adapter passes it).
    if (profile.is_object() && profile.contains("seed") && profile["seed"].is_number_unsigned())
      converted[py::str("seed")] = py::int_(profile["seed"].get<std::uint64_t>());
    arguments.append(converted);
  }
  const Outcome outcome = call_each(run_, extra_, arguments, where);
  if (outcome.overran) {
    const std::size_t k = *outcome.overran;
    reject_request(
        reply.worker, reply.request, "the mechanism did not reply within " + seconds_text(timeout_),
        k, json{{"request", reply.request}, {"profile_index", k}, {"profile", profiles[k]}});
  }
  if (!outcome.error.is_none()) {
    if (!is_exception(outcome.error)) {  // KeyboardInterrupt, SystemExit
      keep_interrupt(outcome.error);
      throw ExternalMechanismError(where, "interrupted (" + describe(outcome.error) + ")");
    }
    reject_result(reply.worker, reply.request, outcome.index,
                  SpecError("", "the callable raised " + describe(outcome.error)),
                  profiles[outcome.index]);
  }
  for (std::size_t k = 0; k < profiles.size(); ++k) {
    try {
      reply.results.push_back(to_json(outcome.results[k], "", Values::answer));
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
    std::lock_guard<std::mutex> lock(mutex_);
    error.swap(interrupt_);
  }
  if (error) throw *error;
}

}  // namespace mechcheck::python

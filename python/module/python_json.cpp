#include "python_json.hpp"

#include <cmath>
#include <cstdint>
#include <string_view>

#include "spec/spec_error.hpp"

namespace mechcheck::python {
namespace {

using json = nlohmann::json;

std::string key_field(const std::string& field, const std::string& key) {
  return field.empty() ? key : field + "." + key;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// -?\d+/\d+ with a non-zero denominator.
bool is_exact_rational(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view numerator = text.substr(0, slash), denominator = text.substr(slash + 1);
  if (!numerator.empty() && numerator.front() == '-') numerator.remove_prefix(1);
  return all_digits(numerator) && all_digits(denominator) &&
         denominator.find_first_not_of('0') != std::string_view::npos;
}

bool is_integer_text(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  return all_digits(text);
}

}  // namespace

std::string type_name(py::handle value) {
  return py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>();
}

py::object fraction_type() { return py::module_::import("fractions").attr("Fraction"); }

json to_json(py::handle value, const std::string& field, Values values) {
  const bool document = values == Values::document;
  if (value.is_none()) {
    if (document) return nullptr;
    throw SpecError(field, "is None, expected a number (Fraction, int, float or str)");
  }
  if (PyBool_Check(value.ptr())) {
    const bool flag = value.cast<bool>();
    if (document) return flag;
    throw SpecError(field, std::string("is ") + (flag ? "True" : "False") +
                               ", expected a number (Fraction, int, float or str)");
  }
  if (PyFloat_Check(value.ptr())) {
    const double number = PyFloat_AsDouble(value.ptr());
    const std::string text = py::repr(value).cast<std::string>();
    if (!std::isfinite(number)) throw SpecError(field, "is " + text + ", expected a finite number");
    return text;  // the shortest decimal that reads back as this double, read exactly
  }
  if (PyLong_Check(value.ptr()) || (!PyUnicode_Check(value.ptr()) && PyIndex_Check(value.ptr()))) {
    const py::int_ integer = py::reinterpret_steal<py::int_>(PyNumber_Index(value.ptr()));
    if (!integer) throw py::error_already_set();
    int overflow = 0;
    const long long small = PyLong_AsLongLongAndOverflow(integer.ptr(), &overflow);
    // As a JSON parser stores them: non-negative integers unsigned, negative ones signed.
    if (overflow == 0)
      return small >= 0 ? json(static_cast<std::uint64_t>(small))
                        : json(static_cast<std::int64_t>(small));
    if (overflow > 0) {
      const unsigned long long large = PyLong_AsUnsignedLongLong(integer.ptr());
      if (!PyErr_Occurred()) return static_cast<std::uint64_t>(large);
      PyErr_Clear();
    }
    return py::str(py::handle(integer)).cast<std::string>();
  }
  if (PyUnicode_Check(value.ptr())) return value.cast<std::string>();
  if (py::isinstance(value, fraction_type())) {
    const std::string numerator = py::str(value.attr("numerator")).cast<std::string>();
    const std::string denominator = py::str(value.attr("denominator")).cast<std::string>();
    return denominator == "1" ? numerator : numerator + "/" + denominator;
  }
  if (PyDict_Check(value.ptr())) {
    json out = json::object();
    for (const auto& [key, item] : py::reinterpret_borrow<py::dict>(value)) {
      if (!PyUnicode_Check(key.ptr()))
        throw SpecError(field, "has a key " + py::repr(key).cast<std::string>() + " of type " +
                                   type_name(key) + ", expected str keys");
      const std::string name = key.cast<std::string>();
      out[name] = to_json(item, key_field(field, name), values);
    }
    return out;
  }
  if (PyList_Check(value.ptr()) || PyTuple_Check(value.ptr())) {
    json out = json::array();
    std::size_t index = 0;
    for (py::handle item : py::reinterpret_borrow<py::sequence>(value)) {
      out.push_back(to_json(item, field + "[" + std::to_string(index) + "]", values));
      ++index;
    }
    return out;
  }
  throw SpecError(field, "is a " + type_name(value) +
                             ", expected a dict, list, str, int, float or fractions.Fraction");
}

py::object to_python(const json& value) {
  switch (value.type()) {
    case json::value_t::object: {
      py::dict out;
      for (const auto& [key, item] : value.items()) out[py::str(key)] = to_python(item);
      return out;
    }
    case json::value_t::array: {
      py::list out;
      for (const json& item : value) out.append(to_python(item));
      return out;
    }
    case json::value_t::string: {
      const std::string& text = value.get_ref<const std::string&>();
      if (is_exact_rational(text)) return fraction_type()(text);
      return py::str(text);
    }
    case json::value_t::boolean:
      return py::bool_(value.get<bool>());
    case json::value_t::number_integer:
      return py::int_(value.get<std::int64_t>());
    case json::value_t::number_unsigned:
      return py::int_(value.get<std::uint64_t>());
    case json::value_t::number_float:
      return py::float_(value.get<double>());
    default:
      return py::none();
  }
}

py::object profile_to_python(const json& value, py::handle fraction) {
  switch (value.type()) {
    case json::value_t::object: {
      py::dict out;
      for (const auto& [key, item] : value.items())
        out[py::str(key)] = profile_to_python(item, fraction);
      return out;
    }
    case json::value_t::array: {
      py::list out;
      for (const json& item : value) out.append(profile_to_python(item, fraction));
      return out;
    }
    case json::value_t::string: {
      const std::string& text = value.get_ref<const std::string&>();
      if (is_exact_rational(text) || is_integer_text(text)) return fraction(text);
      try {
        return fraction(text);  // what Fraction reads (decimals), as the protocol adapter does
      } catch (py::error_already_set& error) {
        if (!error.matches(PyExc_ValueError) && !error.matches(PyExc_ZeroDivisionError)) throw;
        return py::str(text);
      }
    }
    case json::value_t::number_integer:
      return fraction(py::int_(value.get<std::int64_t>()));
    case json::value_t::number_unsigned:
      return fraction(py::int_(value.get<std::uint64_t>()));
    case json::value_t::number_float:
      return fraction(py::float_(value.get<double>()));
    default:
      return to_python(value);
  }
}

}  // namespace mechcheck::python

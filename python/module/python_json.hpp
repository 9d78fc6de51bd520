#pragma once
// Python values ↔ mechcheck's exact JSON (nlohmann::json whose non-integer numbers are strings
// holding their exact text, as spec/exact_json.hpp reads files).
#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <string>

namespace mechcheck::python {

namespace py = pybind11;

// What a Python value may hold: documents (configs, instances, witnesses) may contain True,
// False and None; a mechanism's answers may not.
enum class Values { document, answer };

// dict → object (str keys), list/tuple → array, str → str, int → integer (a decimal string
// beyond 64 bits), fractions.Fraction → "p/q" (or "n"), finite float → its repr as a string (so
// 0.1 is read as exactly 1/10, like a number in a JSON file), bool/None → true/false/null
// (documents only). Anything else throws SpecError naming the path below `field`
// ("policy[2]: is None, expected a number").
nlohmann::json to_json(py::handle value, const std::string& field, Values values);

// The Python type name of `value` (for "must be a dict, not list" messages).
std::string type_name(py::handle value);

// JSON → plain Python: objects → dict, arrays → list, strings "p/q" (-?\d+/\d+) →
// fractions.Fraction, other strings, numbers, booleans and null as they are.
py::object to_python(const nlohmann::json& value);

// A profile as a mechanism's callable receives it (the protocol adapter's from_wire): every
// number, and every string fractions.Fraction reads, becomes a Fraction; other strings, booleans
// and null pass through.
py::object profile_to_python(const nlohmann::json& value, py::handle fraction);

// `fractions.Fraction`.
py::object fraction_type();

}  // namespace mechcheck::python

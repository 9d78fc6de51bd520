#pragma once
// The `solve` report: the mechanism's outcome for an instance, as JSON or a table for people.
#include <nlohmann/json.hpp>
#include <string>

#include "solver/mechanism.hpp"
#include "spec/instance.hpp"

namespace mechcheck::cli {

template <class S>
nlohmann::json outcome_json(const Instance& instance, const MechanismOutcome<S>& outcome);

template <class S>
std::string outcome_table(const Instance& instance, const MechanismOutcome<S>& outcome);

// True when every reported number is finite: a NaN or ∞ is never printed as a result.
template <class S>
bool outcome_is_finite(const MechanismOutcome<S>& outcome);

}  // namespace mechcheck::cli

#pragma once
// The instance schema (README, "Instance files"): JSON → validated Instance, with every error
// naming the field path. Decimal inputs normalized within 1e-12 are rescaled to be exact.
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

#include "spec/exact_number.hpp"
#include "spec/instance.hpp"

namespace mechcheck {

// Largest outcome space an instance file may declare (explicitly or as sequences).
inline constexpr std::size_t kMaxOutcomes = 10'000'000;

// The free-text fields "name" and "description" of `object`, when present, must be strings:
// throws SpecError("<field>.name", "is a number, expected a string") otherwise. Every reader
// of a document that allows them calls this (instances, groups, prove configs; check configs
// should too).
void require_text_fields(const nlohmann::json& object, const std::string& field);

// Reads a number at `field`: a JSON number, or a string with a decimal or "p/q".
ExactNumber read_number(const nlohmann::json& value, const std::string& field);

// A probability vector (non-negative, or positive with `strictly_positive`, summing to 1; decimal
// inputs within 1e-12 of 1 rescaled), as instance files read the initial model.
std::vector<Rational> read_distribution(const nlohmann::json& value, const std::string& field,
                                        bool strictly_positive);

// Exact numbers as a JSON array of "p/q" / "p" strings (what every mechcheck file writes).
nlohmann::json exact_array(const std::vector<Rational>& values);

// Throws SpecError naming the first key of `object` that is not in `known`.
void reject_unknown_keys(const nlohmann::json& object, const std::string& field,
                         std::initializer_list<const char*> known);

// An integer in low..high at `field` (counts, sizes, seeds), written as any exact number.
std::uint64_t read_count(const nlohmann::json& value, const std::string& field, std::uint64_t low,
                         std::uint64_t high);
TrainingRule read_training_rule(const nlohmann::json& value, const std::string& field);
PaymentRule read_payment_rule(const nlohmann::json& value, const std::string& field);
Normalization read_normalization(const nlohmann::json& value, const std::string& field);

// Parses and validates a whole instance; throws SpecError on the first problem.
Instance read_instance(const nlohmann::json& document);

// One group (`{"reward": [...], "size": w}`) of `instance`'s outcome space and normalization.
Group read_group(const nlohmann::json& value, const std::string& field, const Instance& instance);

// Explicit types for implementability: an array of groups, or an object holding one under
// "types" or "negative_cycle" (so an implementability report replays its own cycle).
std::vector<Group> read_types(const nlohmann::json& document, const Instance& instance);

// Exact JSON for an instance (numbers as "p/q" strings), readable by read_instance.
nlohmann::json instance_to_json(const Instance& instance);

// A short decimal rendering for messages ("0.9" rather than "9/10" when the user wrote decimals).
std::string describe_number(const Rational& value, bool as_decimal);

}  // namespace mechcheck

#pragma once
// Confirming a violation found in floating point: the witness's quantity is recomputed from
// exact inputs — exactly for χ² and TV, at 100 digits (200 for ill-conditioned instances)
// otherwise — and only a value clearly beyond that precision's noise floor counts.
#include <string>
#include <vector>

#include "mechanisms/game.hpp"
#include "solver/scalar.hpp"
#include "spec/witness.hpp"

namespace mechcheck {

using ConfirmedValue = Measurement;

// dsic: u_i(deviation) − u_i(truth); ir: u_i(truth); nonneg: p_i(truth);
// approx-dsic: u_i(deviation + noise) − u_i(truth + noise) − 2·w_i·ε.
ConfirmedValue measure_witness(const Witness& witness);

// Whether the measured value shows the violation the witness claims.
bool witness_stands(const Witness& witness, const ConfirmedValue& value);

// A double vector as exact rationals: rounded to 12 decimals when that keeps it within 1e-12,
// exact binary value otherwise. With `normalize`, rescaled to be exactly normalized.
std::vector<Rational> rationalize(const Vector<double>& values);
std::vector<Rational> rationalize_report(const Vector<double>& values, Normalization normalization);

}  // namespace mechcheck

#pragma once
// The SMT tests' mechanism: χ² SW-Max with boundary optima, λ = 1/2, uniform π, sizes 1..2.
#include <cstddef>
#include <vector>

#include "spec/smt_mechanism.hpp"

namespace mechcheck::smt {

inline SmtMechanism chi2_mechanism(std::size_t m, std::size_t n, PaymentType payment) {
  SmtMechanism mechanism;
  mechanism.outcomes = m;
  mechanism.groups = n;
  mechanism.max_group_size = 2;
  mechanism.rule = RuleKind::chi2;
  mechanism.lambda.value = Rational(1, 2);
  mechanism.initial = std::vector<Rational>(m, Rational(1, static_cast<long>(m)));
  mechanism.payment.type = payment;
  return mechanism;
}

}  // namespace mechcheck::smt

#include "checks/smt/encoding.hpp"

#include <algorithm>
#include <stdexcept>

#include "spec/exact_number.hpp"

namespace mechcheck::smt {

Encoder::Encoder(z3::context& context, SmtMechanism mechanism)
    : context_(context), mechanism_(std::move(mechanism)), constraints_(context), lambda_(context) {
  const std::size_t m = mechanism_.outcomes;
  if (mechanism_.lambda.value) {
    lambda_ = number(*mechanism_.lambda.value);
  } else {
    lambda_ = context_.real_const("lambda");
    require(lambda_ >= number(mechanism_.lambda.min));
    require(lambda_ <= number(mechanism_.lambda.max));
    require(lambda_ > 0);
  }
  if (mechanism_.initial) {
    if (mechanism_.initial->size() != m)
      throw std::invalid_argument("initial model has the wrong number of outcomes");
    for (const Rational& value : *mechanism_.initial) initial_.push_back(number(value));
  } else {
    z3::expr total = context_.real_val(0);
    for (std::size_t x = 0; x < m; ++x) {
      initial_.push_back(context_.real_const(("pi_" + std::to_string(x)).c_str()));
      require(initial_.back() > 0);
      if (mechanism_.initial_min > 0) require(initial_.back() >= number(mechanism_.initial_min));
      total = total + initial_.back();
    }
    require(total == 1);
  }
}

z3::expr Encoder::number(const Rational& value) {
  return context_.real_val(to_exact_string(value).c_str());
}

std::vector<z3::expr> Encoder::sum(const std::vector<z3::expr>& a, const std::vector<z3::expr>& b) {
  std::vector<z3::expr> out;
  for (std::size_t x = 0; x < a.size(); ++x) out.push_back(a[x] + b[x]);
  return out;
}

std::vector<z3::expr> Encoder::zeros() {
  return std::vector<z3::expr>(mechanism_.outcomes, context_.real_val(0));
}

z3::expr Encoder::dot(const std::vector<z3::expr>& a, const std::vector<z3::expr>& b) {
  z3::expr total = context_.real_val(0);
  for (std::size_t x = 0; x < a.size(); ++x) total = total + a[x] * b[x];
  return total;
}

SymbolicType Encoder::type(const std::string& name, const std::optional<z3::expr>& size) {
  SymbolicType out{{}, size ? *size : context_.real_const((name + "_w").c_str())};
  if (!size) {
    // Sizes are integers 1..w̄: a disjunction keeps the query in real arithmetic.
    const long top = mechanism_.max_group_size.convert_to<long>();
    if (top <= 32) {
      z3::expr_vector options(context_);
      for (long k = 1; k <= top; ++k) options.push_back(out.size == context_.real_val(k));
      require(z3::mk_or(options));
    } else {
      const z3::expr whole = context_.int_const((name + "_wint").c_str());
      require(whole >= 1 && whole <= context_.int_val(top));
      require(out.size == z3::to_real(whole));
    }
  }
  z3::expr total = context_.real_val(0);
  z3::expr_vector at_top(context_);
  for (std::size_t x = 0; x < mechanism_.outcomes; ++x) {
    out.weighted.push_back(context_.real_const((name + "_t" + std::to_string(x)).c_str()));
    const z3::expr& t = out.weighted.back();
    require(t >= 0);
    total = total + t;
    if (mechanism_.normalization == Normalization::max) {
      require(t <= out.size);
      at_top.push_back(t == out.size);
    }
  }
  if (mechanism_.normalization == Normalization::sum)
    require(total == out.size);
  else
    require(z3::mk_or(at_top));
  return out;
}

std::vector<z3::expr> Encoder::free_scores(const std::string& name) {
  std::vector<z3::expr> out;
  for (std::size_t x = 0; x < mechanism_.outcomes; ++x)
    out.push_back(context_.real_const((name + "_s" + std::to_string(x)).c_str()));
  return out;
}

SymbolicType Encoder::fixed_type(const Group& group) {
  SymbolicType out{{}, number(group.size)};
  for (const Rational& r : group.reward) out.weighted.push_back(number(r * group.size));
  return out;
}

z3::expr Encoder::divergence_of(const std::vector<z3::expr>& policy) {
  // The TV and χ² rules fix their regularizer; a candidate set's is the configured one.
  const DivergenceKind regularizer = mechanism_.rule == RuleKind::tv     ? DivergenceKind::tv
                                     : mechanism_.rule == RuleKind::chi2 ? DivergenceKind::chi2
                                                                         : mechanism_.divergence;
  z3::expr total = context_.real_val(0);
  for (std::size_t x = 0; x < policy.size(); ++x) {
    const z3::expr difference = policy[x] - initial_[x];
    if (regularizer == DivergenceKind::tv)
      total = total + z3::ite(difference >= 0, difference, -difference);
    else
      total = total + difference * difference / initial_[x];
  }
  return lambda_ * total;
}

PolicyTerms Encoder::chi2_policy(const std::string& name, const std::vector<z3::expr>& scores) {
  // KKT of max p·s − λ Σ (p − π)²/π on the simplex: p(x) = π(x)(1 + (s(x) − μ)/(2λ)) where that
  // is ≥ 0, and p(x) = 0 where s(x) − μ ≤ −2λ. The optimum is unique, so these pin p down.
  const z3::expr mu = context_.real_const((name + "_mu").c_str());
  const z3::expr two_lambda = 2 * lambda_;
  PolicyTerms out{{}, context_.real_val(0)};
  z3::expr total = context_.real_val(0);
  CaseGroup group{RuleKind::chi2, {}, {}};
  for (std::size_t x = 0; x < scores.size(); ++x) {
    out.policy.push_back(context_.real_const((name + "_p" + std::to_string(x)).c_str()));
    const z3::expr& p = out.policy.back();
    const z3::expr active = two_lambda * p == initial_[x] * (two_lambda + scores[x] - mu) && p >= 0;
    if (mechanism_.interior_only) {
      require(active);
    } else {
      const z3::expr in_support =
          context_.bool_const((name + "_active" + std::to_string(x)).c_str());
      require(z3::implies(in_support, active));
      require(z3::implies(!in_support, p == 0 && scores[x] - mu + two_lambda <= 0));
      group.first.push_back(in_support);
    }
    total = total + p;
  }
  if (!mechanism_.interior_only) case_groups_.push_back(std::move(group));
  require(total == 1);
  out.divergence = divergence_of(out.policy);
  return out;
}

PolicyTerms Encoder::tv_policy(const std::string& name, const std::vector<z3::expr>& scores) {
  // mechcheck's TV optimum (solver/tv_solver.hpp): outcomes below s_max − 2λ drop to 0, those
  // at s_max share the freed mass in proportion to π, the rest (including exactly s_max − 2λ)
  // keep π. Σ p = 1 determines the top outcomes' common ratio ρ.
  const z3::expr top = context_.real_const((name + "_top").c_str());
  const z3::expr ratio = context_.real_const((name + "_rho").c_str());
  z3::expr_vector attained(context_);
  z3::expr total = context_.real_val(0), freed = context_.real_val(0);
  PolicyTerms out{{}, context_.real_val(0)};
  CaseGroup group{RuleKind::tv, {}, {}};
  for (std::size_t x = 0; x < scores.size(); ++x) {
    require(top >= scores[x]);
    attained.push_back(top == scores[x]);
    const std::string suffix = std::to_string(x);
    const z3::expr at_top = context_.bool_const((name + "_top" + suffix).c_str());
    const z3::expr dropped = context_.bool_const((name + "_dropped" + suffix).c_str());
    require(at_top == (scores[x] == top));
    require(dropped == (scores[x] < top - 2 * lambda_));
    group.first.push_back(at_top);
    group.second.push_back(dropped);
    out.policy.push_back(
        z3::ite(at_top, ratio * initial_[x], z3::ite(dropped, context_.real_val(0), initial_[x])));
    total = total + out.policy.back();
    freed = freed + z3::ite(dropped, initial_[x], context_.real_val(0));
  }
  require(z3::mk_or(attained));
  require(total == 1);
  out.divergence = 2 * lambda_ * freed;
  case_groups_.push_back(std::move(group));
  return out;
}

std::vector<z3::expr> Encoder::cases(const CaseGroup& group) {
  const std::size_t m = group.first.size();
  std::vector<std::pair<std::size_t, z3::expr>> ranked;  // (outcomes kept at π or more, case)
  if (group.rule == RuleKind::candidates) {
    std::vector<z3::expr> out;
    for (std::size_t k = 0; k < m; ++k) {
      z3::expr_vector literals(context_);
      for (std::size_t j = 0; j < m; ++j)
        literals.push_back(j == k ? group.first[j] : !group.first[j]);
      out.push_back(z3::mk_and(literals));
    }
    return out;
  }
  if (group.rule == RuleKind::chi2) {
    for (unsigned long mask = 1; mask < (1UL << m); ++mask) {
      z3::expr_vector literals(context_);
      std::size_t kept = 0;
      for (std::size_t x = 0; x < m; ++x) {
        const bool on = (mask >> x) & 1;
        kept += on;
        literals.push_back(on ? group.first[x] : !group.first[x]);
      }
      ranked.emplace_back(kept, z3::mk_and(literals));
    }
  } else {
    std::size_t total = 1;
    for (std::size_t x = 0; x < m; ++x) total *= 3;
    for (std::size_t code = 0; code < total; ++code) {
      z3::expr_vector literals(context_);
      std::size_t rest = code, kept = 0, tops = 0;
      for (std::size_t x = 0; x < m; ++x, rest /= 3) {
        const std::size_t state = rest % 3;  // 0 top, 1 keeps π, 2 dropped
        tops += state == 0;
        kept += state != 2;
        literals.push_back(state == 0 ? group.first[x] : !group.first[x]);
        literals.push_back(state == 2 ? group.second[x] : !group.second[x]);
      }
      if (tops > 0) ranked.emplace_back(kept, z3::mk_and(literals));
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<z3::expr> out;
  for (auto& [kept, literal] : ranked) out.push_back(literal);
  return out;
}

PolicyTerms Encoder::candidate_policy(const std::vector<z3::expr>& scores) {
  // argmax_k q_k·s − D_f(q_k‖π), ties to the lowest index.
  const auto& candidates = mechanism_.candidates;
  std::vector<std::vector<z3::expr>> policies;
  std::vector<z3::expr> divergences, objectives;
  for (const auto& candidate : candidates) {
    std::vector<z3::expr> policy;
    for (const Rational& q : candidate) policy.push_back(number(q));
    divergences.push_back(divergence_of(policy));
    objectives.push_back(dot(policy, scores) - divergences.back());
    policies.push_back(std::move(policy));
  }
  const std::size_t k_count = candidates.size();
  // One selection literal per candidate (a case group: fixing it makes the policy constant).
  CaseGroup group{RuleKind::candidates, {}, {}};
  for (std::size_t k = 0; k < k_count; ++k) {
    z3::expr_vector wins(context_);
    for (std::size_t j = 0; j < k_count; ++j)
      if (j != k)
        wins.push_back(j < k ? objectives[k] > objectives[j] : objectives[k] >= objectives[j]);
    const z3::expr selected = context_.bool_const(
        ("choice" + std::to_string(case_groups_.size()) + "_" + std::to_string(k)).c_str());
    require(selected == (wins.empty() ? context_.bool_val(true) : z3::mk_and(wins)));
    group.first.push_back(selected);
  }
  std::vector<z3::expr> chosen = policies.back();
  z3::expr divergence = divergences.back();
  for (std::size_t k = k_count - 1; k-- > 0;) {
    for (std::size_t x = 0; x < chosen.size(); ++x)
      chosen[x] = z3::ite(group.first[k], policies[k][x], chosen[x]);
    divergence = z3::ite(group.first[k], divergences[k], divergence);
  }
  case_groups_.push_back(std::move(group));
  return PolicyTerms{chosen, divergence};
}

PolicyTerms Encoder::policy(const std::string& name, const std::vector<z3::expr>& scores) {
  switch (mechanism_.rule) {
    case RuleKind::chi2:
      return chi2_policy(name, scores);
    case RuleKind::tv:
      return tv_policy(name, scores);
    default:
      return candidate_policy(scores);
  }
}

PolicyTerms Encoder::any_policy(const std::string& name) {
  PolicyTerms out{{}, context_.real_val(0)};
  z3::expr total = context_.real_val(0);
  for (std::size_t x = 0; x < mechanism_.outcomes; ++x) {
    out.policy.push_back(context_.real_const((name + "_q" + std::to_string(x)).c_str()));
    require(out.policy.back() >= 0);
    total = total + out.policy.back();
  }
  require(total == 1);
  out.divergence = divergence_of(out.policy);
  return out;
}

z3::expr Encoder::objective(const PolicyTerms& terms, const std::vector<z3::expr>& scores) {
  return dot(terms.policy, scores) - terms.divergence;
}

std::optional<z3::expr> Encoder::best_without(const std::string& name,
                                              const std::vector<z3::expr>& others) {
  if (mechanism_.payment.type != PaymentType::affine_maximizer) return std::nullopt;
  return objective(policy(name, others), others);
}

OutcomeTerms Encoder::outcome(const std::string& name, const std::vector<z3::expr>& others,
                              const std::vector<z3::expr>& own, const SymbolicType& truth,
                              const std::optional<z3::expr>& best_without, bool relaxed) {
  PolicyTerms chosen = relaxed ? any_policy(name) : policy(name, sum(others, own));
  z3::expr valuation = dot(truth.weighted, chosen.policy);
  z3::expr payment = context_.real_val(0);
  if (best_without)
    payment = *best_without - (dot(others, chosen.policy) - chosen.divergence) +
              number(mechanism_.payment.offset);
  z3::expr utility = valuation - payment;
  return OutcomeTerms{std::move(chosen), valuation, payment, utility};
}

std::optional<Rational> rational_of(const z3::expr& value) {
  std::string text;
  if (!value.is_numeral(text)) return std::nullopt;
  if (auto parsed = parse_exact_number(text)) return parsed->value;
  return std::nullopt;
}

Rational model_value(const z3::model& model, const z3::expr& term, bool& rounded, int digits) {
  const z3::expr value = model.eval(term, true);
  if (auto exact = rational_of(value)) return *exact;
  if (value.is_algebraic()) {
    std::string text;
    rounded = true;
    text = value.get_decimal_string(digits);
    if (!text.empty() && text.back() == '?') text.pop_back();
    if (auto parsed = parse_exact_number(text)) return parsed->value;
  }
  throw std::runtime_error("Z3 returned a value that is not a number: " + value.to_string());
}

}  // namespace mechcheck::smt

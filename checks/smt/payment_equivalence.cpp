#include "checks/smt/payment_equivalence.hpp"

#include <z3++.h>

#include <chrono>

#include "checks/smt/encoding.hpp"

namespace mechcheck::smt {
namespace {

using Clock = std::chrono::steady_clock;

Rational optimum_rational(const z3::expr& value) {
  if (auto exact = rational_of(value)) return *exact;
  throw z3::exception("optimum is not a rational numeral");
}

const Rational& weight(const Matrix<Rational>& gains, std::size_t a, std::size_t b) {
  return gains(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
}

// Exact certificate that `bound` is the componentwise extreme DSIC payment: it is normalized,
// satisfies every constraint, and every type is joined to t* = 0 by tight edges (from t* when
// `from_reference`, giving bound(t) = V(t*, t); into t* otherwise, giving bound(t) = −V(t, t*)).
// Returns the reason it fails, or an empty string.
std::string certify(const Matrix<Rational>& gains, const std::vector<Rational>& bound,
                    bool from_reference) {
  const auto k = static_cast<std::size_t>(gains.rows());
  if (bound[0] != 0) return "not normalized at types[0]";
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b)
      if (a != b && bound[b] - bound[a] > weight(gains, a, b))
        return "violates the constraint on edge " + std::to_string(a) + " -> " + std::to_string(b);
  auto tight = [&](std::size_t a, std::size_t b) {
    return bound[b] - bound[a] == weight(gains, a, b);
  };
  std::vector<bool> reached(k, false);
  std::vector<std::size_t> frontier{0};
  reached[0] = true;
  while (!frontier.empty()) {
    const std::size_t at = frontier.back();
    frontier.pop_back();
    for (std::size_t next = 0; next < k; ++next)
      if (!reached[next] && next != at && (from_reference ? tight(at, next) : tight(next, at))) {
        reached[next] = true;
        frontier.push_back(next);
      }
  }
  for (std::size_t t = 0; t < k; ++t)
    if (!reached[t])
      return "type " + std::to_string(t) + " is not joined to types[0] by tight edges";
  return {};
}

}  // namespace

PaymentEquivalenceResult payment_equivalence_ranges(const Matrix<Rational>& gains,
                                                    const PaymentEquivalenceOptions& options) {
  PaymentEquivalenceResult result;
  const auto k = static_cast<std::size_t>(gains.rows());
  if (k == 0 || gains.cols() != gains.rows()) {
    result.reason = "the gain matrix must be square and non-empty";
    return result;
  }
  try {
    z3::context context;
    z3::optimize optimize(context);
    if (options.timeout_ms > 0) {
      z3::params params(context);
      params.set("timeout", options.timeout_ms);
      optimize.set(params);
    }
    std::vector<z3::expr> payment;
    for (std::size_t t = 0; t < k; ++t) {
      // Appended, not "p" + …: GCC 12 reports a false -Wrestrict on that operator+.
      std::string name = "p";
      name += std::to_string(t);
      payment.push_back(context.real_const(name.c_str()));
    }
    optimize.add(payment[0] == context.real_val(0));
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b < k; ++b)
        if (a != b)
          optimize.add(payment[b] - payment[a] <=
                       context.real_val(weight(gains, a, b).str().c_str()));

    std::vector<Rational> upper(k, Rational(0)), lower(k, Rational(0));
    // One optimize call; false when Z3 did not find the optimum (result filled in).
    auto solve = [&](const z3::expr& objective, bool maximize, std::vector<Rational>* point,
                     std::optional<std::size_t> type) {
      optimize.push();
      const z3::optimize::handle handle =
          maximize ? optimize.maximize(objective) : optimize.minimize(objective);
      const Clock::time_point start = Clock::now();
      const z3::check_result answer = optimize.check();
      result.seconds += std::chrono::duration<double>(Clock::now() - start).count();
      ++result.optimize_calls;
      bool found = false;
      if (answer == z3::sat) {
        if (type) {
          (*point)[*type] =
              optimum_rational(maximize ? optimize.upper(handle) : optimize.lower(handle));
        } else {
          const z3::model model = optimize.get_model();
          for (std::size_t t = 0; t < k; ++t)
            (*point)[t] = optimum_rational(model.eval(payment[t], true));
        }
        found = true;
      } else if (answer == z3::unsat) {
        CycleMonotonicityOptions cycle_options;
        cycle_options.timeout_ms = options.timeout_ms;
        const CycleMonotonicityResult cycle = check_cycle_monotonicity(gains, cycle_options);
        if (cycle.verdict == Verdict::violated) {
          result.verdict = Verdict::violated;
          result.reason = "no DSIC payment: negative cycle";
          result.cycle = cycle.cycle;
          result.cycle_total = cycle.cycle_total;
        } else {
          result.reason = "z3 optimize says infeasible, but no negative cycle was confirmed";
        }
      } else {
        result.reason = "z3 optimize: unknown (timeout or incomplete)";
      }
      optimize.pop();
      return found;
    };

    if (options.strategy == PaymentEquivalenceOptions::Strategy::summed) {
      z3::expr total = context.real_val(0);
      for (std::size_t t = 1; t < k; ++t) total = total + payment[t];
      if (!solve(total, true, &upper, std::nullopt) || !solve(total, false, &lower, std::nullopt))
        return result;
    } else {
      for (std::size_t t = 1; t < k; ++t)
        if (!solve(payment[t], true, &upper, t) || !solve(payment[t], false, &lower, t))
          return result;
    }

    if (std::string why = certify(gains, upper, true); !why.empty()) {
      result.reason = "z3's maximum payment " + why;
      return result;
    }
    if (std::string why = certify(gains, lower, false); !why.empty()) {
      result.reason = "z3's minimum payment " + why;
      return result;
    }
    for (std::size_t t = 0; t < k; ++t)
      if (const Rational width = upper[t] - lower[t]; width > result.gap) {
        result.gap = width;
        result.widest = t;
      }
    result.ranges = PaymentRanges{std::move(lower), std::move(upper)};
    result.verdict = Verdict::holds;
  } catch (const z3::exception& error) {
    result.verdict = Verdict::inconclusive;
    result.reason = std::string("z3: ") + error.msg();
    result.ranges.reset();
  }
  return result;
}

}  // namespace mechcheck::smt

#include "checks/smt/cycle_monotonicity.hpp"

#include <z3++.h>

#include <algorithm>
#include <chrono>

#include "checks/implementability/bellman_ford.hpp"
#include "checks/smt/encoding.hpp"

namespace mechcheck::smt {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Edge {
  std::size_t from, to;
};

// A negative cycle among `edges` (exact Bellman–Ford from a virtual source joined to every
// node), smallest node first, or empty when there is none.
std::vector<std::size_t> negative_cycle_among(const Matrix<Rational>& gains,
                                              const std::vector<Edge>& edges) {
  const Eigen::Index k = gains.rows();
  std::vector<char> listed(static_cast<std::size_t>(k * k), 0);
  for (const Edge& edge : edges) listed[edge.from * static_cast<std::size_t>(k) + edge.to] = 1;
  std::vector<Rational> distance;
  const std::vector<Eigen::Index> found =
      bellman_ford<Rational>(gains, -1, Rational(0), distance, [&](Eigen::Index a, Eigen::Index b) {
        return listed[static_cast<std::size_t>(a * k + b)] != 0;
      });
  std::vector<std::size_t> cycle(found.begin(), found.end());
  if (!cycle.empty())
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  return cycle;
}

Rational model_rational(const z3::expr& value) {
  if (auto exact = rational_of(value)) return *exact;
  throw z3::exception("model value is not a rational numeral");
}

}  // namespace

Rational cycle_total(const Matrix<Rational>& gains, const std::vector<std::size_t>& cycle) {
  Rational total = 0;
  for (std::size_t j = 0; j < cycle.size(); ++j)
    total += gains(static_cast<Eigen::Index>(cycle[j]),
                   static_cast<Eigen::Index>(cycle[(j + 1) % cycle.size()]));
  return total;
}

CycleMonotonicityResult check_cycle_monotonicity(const Matrix<Rational>& gains,
                                                 const CycleMonotonicityOptions& options) {
  CycleMonotonicityResult result;
  const auto k = static_cast<std::size_t>(gains.rows());
  if (k == 0 || gains.cols() != gains.rows() || k > 46340) {
    result.reason = "the gain matrix must be square, with 1 to 46340 types";
    return result;
  }
  try {
    const Clock::time_point build_start = Clock::now();
    z3::context context;
    z3::solver solver(context);
    z3::params params(context);
    // Z3's Bellman–Ford difference-logic solver: 2–3× faster than simplex here.
    params.set("arith.solver", 1u);
    if (options.timeout_ms > 0) params.set("timeout", options.timeout_ms);
    solver.set(params);

    std::vector<z3::expr> payment;
    for (std::size_t t = 0; t < k; ++t)
      payment.push_back(context.real_const(("p" + std::to_string(t)).c_str()));
    solver.add(payment[0] == context.real_val(0));
    // The SMT-LIB file states the constraints plainly: tracked ones would turn into implications
    // from free Booleans there, which any solver satisfies by setting them false.
    z3::solver plain(context);
    plain.add(payment[0] == context.real_val(0));
    // Edge a → b is tracked by the Boolean constant with integer name a·K + b.
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b < k; ++b) {
        if (a == b) continue;
        const Rational& weight = gains(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
        const z3::expr tracker =
            context.constant(context.int_symbol(static_cast<int>(a * k + b)), context.bool_sort());
        const z3::expr edge = payment[b] - payment[a] <= context.real_val(weight.str().c_str());
        solver.add(edge, tracker);
        if (options.smt2) plain.add(edge);
        ++result.constraints;
      }
    if (options.smt2) result.smt2 = plain.to_smt2();
    result.build_seconds = seconds_since(build_start);

    const Clock::time_point solve_start = Clock::now();
    const z3::check_result answer = solver.check();
    result.solve_seconds = seconds_since(solve_start);

    if (answer == z3::unknown) {
      result.reason = "z3: " + solver.reason_unknown();
      return result;
    }
    if (answer == z3::sat) {
      const z3::model model = solver.get_model();
      result.payment.reserve(k);
      for (const z3::expr& p : payment)
        result.payment.push_back(model_rational(model.eval(p, true)));
      if (result.payment[0] != 0) {
        result.reason = "z3's payment is not normalized at types[0]";
        return result;
      }
      for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = 0; b < k; ++b)
          if (a != b && result.payment[b] - result.payment[a] >
                            gains(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b))) {
            result.reason = "z3's payment violates p(" + std::to_string(b) + ") - p(" +
                            std::to_string(a) + ") <= l(" + std::to_string(a) + ", " +
                            std::to_string(b) + ")";
            result.payment.clear();
            return result;
          }
      result.verdict = Verdict::holds;
      return result;
    }

    // unsat: the core's edges hold a negative cycle.
    const z3::expr_vector core = solver.unsat_core();
    result.core_size = core.size();
    std::vector<Edge> edges;
    for (unsigned j = 0; j < core.size(); ++j) {
      const z3::symbol name = core[j].decl().name();
      if (name.kind() != Z3_INT_SYMBOL) continue;
      const auto id = static_cast<std::size_t>(name.to_int());
      edges.push_back({id / k, id % k});
    }
    std::vector<std::size_t> cycle = negative_cycle_among(gains, edges);
    if (cycle.empty()) {
      result.reason =
          "z3's unsat core (" + std::to_string(core.size()) + " edges) holds no negative cycle";
      return result;
    }
    result.cycle_total = cycle_total(gains, cycle);
    if (result.cycle_total >= 0) {
      result.reason = "the cycle read from z3's unsat core is not negative";
      return result;
    }
    result.cycle = std::move(cycle);
    result.verdict = Verdict::violated;
  } catch (const z3::exception& error) {
    result.verdict = Verdict::inconclusive;
    result.reason = std::string("z3: ") + error.msg();
    result.payment.clear();
  }
  return result;
}

}  // namespace mechcheck::smt

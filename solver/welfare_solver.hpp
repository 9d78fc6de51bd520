#pragma once
// Training rules beyond SW-Max, with v_i = E_ψ rm_i:
//   MaxMin      ψ = argmax min_i w_i v_i − D_f(ψ‖π)
//   power mean  ψ = argmax F(v) − D_f(ψ‖π),  F(v) = Σ w_i v_i^p / p (p < 1, p ≠ 0)
//               and F(v) = Σ w_i log v_i at p = 0 (Nash social welfare); p = 1 − α for the
//               α-fair family, p = 1 is SW-Max.
// Both are concave maximizations whose optimum is the SW-Max optimum for some weights β on the
// reports (s = Σ β_i rm_i), so they are solved through their convex duals over β, one SW-Max
// solve per evaluation:
//   power mean  min_{β>0}  G(β) = OPT(Σ β_i rm_i) − F_*(β),  F_* the concave conjugate of F
//   MaxMin      min_{θ∈Δ} G(θ) = OPT(Σ θ_i w_i rm_i)
// by Newton's method: in log weights, followed from α = 1 when large α defeats a direct solve,
// for the power mean (see PowerMeanDual); with an active set on the simplex for MaxMin. ∇G is v(β)
// − ∇F_*(β) and the Hessian is ∂v/∂β = Rᵀ J R, J = diag(c) − c cᵀ/Σc the SW-Max policy's derivative
// in the scores, c(x) = π(x)/f″(ψ(x)/π(x)) on the support. No packaged solver minimizes over a
// black-box SW-Max oracle at MPFR precision, hence the hand-written Newton loop.
//
// Certificate: the Fenchel duality gap G − (F(v(ψ)) − D_f(ψ‖π)) ≥ 0 at the returned point; it
// is 0 exactly at the optimum, and bounds how far the primal value is from optimal.
#include <Eigen/Dense>
#include <cmath>
#include <iomanip>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "solver/sw_max.hpp"

namespace mechcheck {

enum class WelfareKind { maxmin, power_mean };

template <class S>
struct WelfareRule {
  SwMaxRule<S> regularizer;  // the divergence and λ
  WelfareKind kind = WelfareKind::maxmin;
  S exponent{0};  // power mean's p <= 1; 0 is Nash, 1 is SW-Max
  // The correct digits the caller keeps (solve_instance rounds to fewer digits than it computes
  // with); 0: all the precision's, to its tolerance.
  int required_digits = 0;
};

template <class S>
struct WelfareSolution {
  PolicySolution<S> solution;  // objective = F(v) − D_f at ψ
  Vector<S> weights;           // β: ψ is the SW-Max optimum for the scores Σ β_i rm_i
  S duality_gap{};             // dual − primal ≥ 0
  int iterations = 0;
};

namespace welfare_detail {

// c(x) = π(x)/f″(ψ(x)/π(x)) with f = λ f₀; 0 off the support.
template <class S>
Vector<S> score_sensitivity(const SwMaxRule<S>& rule, const Vector<S>& policy,
                            const Vector<S>& initial) {
  Vector<S> c(policy.size());
  for (Eigen::Index x = 0; x < policy.size(); ++x) {
    const S r = policy[x] / initial[x];
    switch (rule.divergence) {
      case DivergenceKind::kl:
        c[x] = policy[x] / rule.lambda;
        break;
      case DivergenceKind::chi2:
        c[x] = policy[x] > 0 ? S(initial[x] / (2 * rule.lambda)) : S(0);
        break;
      case DivergenceKind::reverse_kl:
        c[x] = policy[x] * r / rule.lambda;
        break;
      case DivergenceKind::hellinger: {
        using std::sqrt;
        c[x] = 2 * policy[x] * sqrt(r) / rule.lambda;
        break;
      }
      default:
        throw std::invalid_argument("welfare rules need a strictly convex, smooth divergence");
    }
  }
  return c;
}

// ∂v/∂β for v = Rᵀψ(Rβ): Rᵀ (diag(c) − c cᵀ/Σc) R.
template <class S>
Matrix<S> valuation_jacobian(const Matrix<S>& rewards, const Vector<S>& c) {
  const S mass = c.sum();
  Matrix<S> weighted = rewards;
  for (Eigen::Index x = 0; x < rewards.rows(); ++x) weighted.row(x) *= c[x];
  Matrix<S> jacobian = rewards.transpose() * weighted;
  if (mass > 0) {
    const Vector<S> mean = weighted.transpose() * Vector<S>::Ones(rewards.rows());
    jacobian -= mean * mean.transpose() / mass;
  }
  return jacobian;
}

template <class S>
struct Point {
  Vector<S> beta;
  PolicySolution<S> solution;
  Vector<S> valuations;  // v_i = E_ψ rm_i (without the sizes)
  S dual{};
  Vector<S> gradient;
};

template <class S>
S max_abs(const Vector<S>& values) {
  S out = 0;
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    const S a = values[i] < 0 ? S(-values[i]) : values[i];
    if (a > out) out = a;
  }
  return out;
}

template <class S>
Point<S> sw_max_point(const SwMaxRule<S>& rule, const Matrix<S>& rewards, const Vector<S>& initial,
                      Vector<S> beta) {
  Point<S> point;
  point.solution = solve_sw_max(rule, Vector<S>(rewards * beta), initial);
  point.valuations = rewards.transpose() * point.solution.policy;
  point.beta = std::move(beta);
  return point;
}

// The power-mean dual in log weights u = log β, as the root of the stationarity residual
//   r_i(u) = log v_i(e^u) − log ∇F_*(e^u)_i = log v_i + (u_i − log w_i)/α,   α = 1 − p,
// whose Jacobian diag(1/v)·(∂v/∂β)·diag(β) + I/α is similar to a positive definite matrix, so
// Newton's direction always descends ½‖r‖². At large α the weights grow like v^(−α) and ψ is
// a steep function of their ratios (a window of width ~λ·v^α); Newton from far away jumps
// over it, so when the direct solve fails the root is followed from α = 1 up (tangent
// predictor, Newton corrector, the α step halved on failure), staying inside the window.
template <class S>
class PowerMeanDual {
 public:
  PowerMeanDual(const WelfareRule<S>& rule, const Matrix<S>& rewards, const Vector<S>& sizes,
                const Vector<S>& initial, const S& tolerance)
      : rule_(rule),
        rewards_(rewards),
        initial_(initial),
        tolerance_(tolerance),
        log_sizes_(sizes.size()) {
    using std::log;
    for (Eigen::Index i = 0; i < sizes.size(); ++i) log_sizes_[i] = log(sizes[i]);
    sw_max_valuations_ = sw_max_point(rule.regularizer, rewards, initial, sizes).valuations;
  }

  struct Root {
    Point<S> point;  // at β = e^u
    Vector<S> u, residual;
    S merit{};  // ½‖r‖²
  };

  // The root for α = 1 − p, or nullopt when neither the direct solve nor the continuation
  // reaches it (then `reached()` is the last root the continuation found). `capacity` is the
  // largest log10(β/λ) the precision resolves to the tolerance: the continuation gives up at
  // the first failed step beyond it, and as soon as log10(β/λ), which grows about linearly in α
  // (β_i = w_i·v_i^(−α)), extrapolates from its last two roots to twice the capacity at the
  // target — the precision's limit, not the method's. `iterations` counts Newton steps.
  std::optional<Root> solve(int& iterations, const S& capacity) {
    const S target = 1 - rule_.exponent;
    std::optional<Root> at = start(target);
    if (at && newton(*at, target, 60, iterations, true)) return at;
    S spread = target < 1 ? target : S(1);
    at = start(spread);
    if (!at || !newton(*at, spread, 100, iterations, false)) return std::nullopt;
    reached_ = at;
    S factor = 2;
    std::optional<std::pair<S, S>> previous;  // (α, log10(β/λ)) at the root before `at`
    while (spread < target) {
      const S scale = weight_scale(*at);
      if (previous) {
        const S growth = (scale - previous->second) / (spread - previous->first);
        if (growth > 0 && scale + growth * (target - spread) > 2 * capacity) return limited(spread);
      }
      const S next = std::min(target, S(spread * factor));
      // d/dα of r(u, α) = 0: J·du/dα = (u − log w)/α².
      const Vector<S> slope = jacobian(*at, spread)
                                  .colPivHouseholderQr()
                                  .solve(Vector<S>((at->u - log_sizes_) / (spread * spread)));
      std::optional<Root> predicted = evaluate(Vector<S>(at->u + (next - spread) * slope), next);
      const int before = iterations;
      if (predicted && newton(*predicted, next, 30, iterations, false)) {
        previous = std::make_pair(spread, scale);
        reached_ = at = std::move(predicted);
        spread = next;
        // Lengthen the step only after an easy correction: a hard one means the next, longer
        // step would most likely fail.
        if (iterations - before <= 6) factor = std::min(S(4), S(factor * factor));
      } else {
        using std::sqrt;
        if (scale > capacity) return limited(spread);
        factor = sqrt(factor);
        if (factor < S(1) + S(1) / 1024) return std::nullopt;
      }
    }
    if (!newton(*at, target, 30, iterations, true)) return std::nullopt;
    return at;
  }
  // Set when solve() gave up for the precision's limit: the α its last root solved.
  const std::optional<S>& limited_at() const { return limited_at_; }
  // log10(max β / λ) at a root.
  S weight_scale(const Root& at) const {
    using std::log10;
    return S(log10(at.point.beta.maxCoeff()) - log10(rule_.regularizer.lambda));
  }
  const std::optional<Root>& reached() const { return reached_; }

 private:
  std::optional<Root> evaluate(Vector<S> u, const S& spread) const {
    using std::exp;
    using std::isfinite;
    using std::log;
    const Eigen::Index n = u.size();
    Vector<S> beta(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!isfinite(u[i])) return std::nullopt;
      beta[i] = exp(u[i]);
      if (!isfinite(beta[i]) || !(beta[i] > 0)) return std::nullopt;  // outside S's range
    }
    Root root;
    root.point = sw_max_point(rule_.regularizer, rewards_, initial_, std::move(beta));
    root.residual.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!(root.point.valuations[i] > 0)) return std::nullopt;
      root.residual[i] = log(root.point.valuations[i]) + (u[i] - log_sizes_[i]) / spread;
      if (!isfinite(root.residual[i])) return std::nullopt;
    }
    root.merit = root.residual.squaredNorm() / 2;
    root.u = std::move(u);
    return root;
  }

  // One fixed-point step from SW-Max: β_i = ∂F/∂v_i at ψ(w), from the mean valuation for a
  // group with v_i = 0 there (a χ² support without its reward). Where some valuation is still
  // 0, or a weight is out of range, all weights are scaled down together — ψ tends to π as they
  // shrink — until every valuation is positive. Raising the starved group instead can starve
  // another one in turn.
  std::optional<Root> start(const S& spread) const {
    using std::log;
    const Eigen::Index n = log_sizes_.size();
    const S mean = sw_max_valuations_.sum() / S(static_cast<long>(n));
    if (!(mean > 0)) return std::nullopt;
    Vector<S> u(n);
    for (Eigen::Index i = 0; i < n; ++i)
      u[i] = log_sizes_[i] - spread * log(sw_max_valuations_[i] > 0 ? sw_max_valuations_[i] : mean);
    S shift = 1;
    for (int attempt = 0; attempt < 40; ++attempt, shift *= 2) {
      if (std::optional<Root> root = evaluate(u, spread)) return root;
      u.array() -= shift;
    }
    return std::nullopt;
  }

  Matrix<S> jacobian(const Root& at, const S& spread) const {
    Matrix<S> out = valuation_jacobian(
        rewards_, score_sensitivity(rule_.regularizer, at.point.solution.policy, initial_));
    for (Eigen::Index i = 0; i < out.rows(); ++i) {
      for (Eigen::Index j = 0; j < out.cols(); ++j)
        out(i, j) *= at.point.beta[j] / at.point.valuations[i];
      out(i, i) += 1 / spread;
    }
    return out;
  }

  // Damped Newton on r(u) = 0 (Armijo on ½‖r‖²). True when r is within the tolerance of 0 —
  // the answer: ψ moves by about v·|r| — or, for a point on the continuation's way (`final`
  // false), within √(the precision's tolerance). A residual that rounding keeps above the
  // tolerance is a failure: the policy is then not known to the digits asked for.
  bool newton(Root& at, const S& spread, int cap, int& iterations, bool final) const {
    using std::sqrt;
    const S tolerance =
        final ? tolerance_ : std::max(tolerance_, S(sqrt(S(ScalarTraits<S>::tolerance() * S(10)))));
    for (int iteration = 0; iteration < cap; ++iteration, ++iterations) {
      if (max_abs(at.residual) <= tolerance) return true;
      const Vector<S> direction =
          jacobian(at, spread).colPivHouseholderQr().solve(Vector<S>(-at.residual));
      bool moved = false;
      S step = 1;
      for (int halving = 0; halving < 60 && !moved; ++halving, step /= 2) {
        std::optional<Root> next = evaluate(Vector<S>(at.u + step * direction), spread);
        if (next && next->merit <= (1 - S(2e-4) * step) * at.merit) {
          at = std::move(*next);
          moved = true;
        }
      }
      if (!moved) break;
    }
    return max_abs(at.residual) <= tolerance;
  }

  const WelfareRule<S>& rule_;
  const Matrix<S>& rewards_;
  const Vector<S>& initial_;
  S tolerance_;  // on max |r_i| at the answer
  Vector<S> log_sizes_, sw_max_valuations_;
  std::optional<Root> reached_;
  std::optional<S> limited_at_;

  std::optional<Root> limited(const S& spread) {
    limited_at_ = spread;
    return std::nullopt;
  }
};

// The power-mean optimum through its dual, certified by the duality gap.
template <class S>
WelfareSolution<S> solve_power_mean(const WelfareRule<S>& rule, const Matrix<S>& rewards,
                                    const Vector<S>& sizes, const Vector<S>& initial) {
  using std::abs;
  using std::log;
  using std::pow;
  using std::sqrt;
  const S& p = rule.exponent;
  const Eigen::Index n = rewards.cols();
  // The answer's tolerance on r: the precision's own, or looser when the caller keeps fewer
  // digits (solve_instance rounding a 50-digit solve to double).
  using std::log10;
  S tolerance = ScalarTraits<S>::tolerance() * S(10);
  if (rule.required_digits > 0)
    tolerance = std::max(tolerance, S(pow(S(10), S(-rule.required_digits))));
  // Where the optimum balances groups, ψ depends on s = Σ β_i rm_i to O(λ) while β is huge: the
  // scores' rounding puts a floor of about 10^(−digits)·β/λ under r. A failure whose weights
  // put that floor above the tolerance is the precision's limit, not the method's, and is said
  // so with the scale reached.
  const S capacity = ScalarTraits<S>::digits10 + log10(tolerance) - 2;
  int iterations = 0;
  PowerMeanDual<S> power_mean_dual(rule, rewards, sizes, initial, tolerance);
  std::optional<typename PowerMeanDual<S>::Root> root = power_mean_dual.solve(iterations, capacity);
  if (!root && power_mean_dual.limited_at()) {
    std::ostringstream message;
    message << std::setprecision(6) << "the power-mean rule's dual weights reach 10^"
            << std::llround(
                   static_cast<double>(power_mean_dual.weight_scale(*power_mean_dual.reached())))
            << " times lambda at alpha = " << *power_mean_dual.limited_at()
            << " and grow about linearly with alpha (target " << S(1 - p)
            << "): rounding the scores at this precision cannot resolve them";
    throw PrecisionExhausted(message.str());
  }
  if (!root) throw NumericalFailure("the power-mean dual did not converge at this precision");
  Point<S>& point = root->point;

  // D_f(ψ‖π) = Σ λ·f(ψ/π)·π carries a rounding error of about 10^(−digits)·Σ_x ψ(x)·|s(x) − μ|
  // (KKT: λ·f′(ψ/π) = s − μ). With weights far above the sizes and ψ close to π that exceeds the
  // caller's tolerance — in double, α = 61 with λ = 5·10⁵⁸ rounded ψ to π exactly and D to 0
  // where it is 39.8 (fuzz_instance): refused here, so solve_instance escalates.
  {
    const Vector<S> scores = rewards * point.beta;
    S error = 0;
    for (Eigen::Index x = 0; x < scores.size(); ++x)
      error += point.solution.policy[x] * abs(S(scores[x] - point.solution.multiplier));
    if (error * pow(S(10), S(-ScalarTraits<S>::digits10)) > tolerance * (1 + sizes.sum()))
      throw NumericalFailure(
          "the power-mean optimum's divergence is below this precision's resolution");
  }

  auto welfare = [&](const Vector<S>& v) {
    S total = 0;
    for (Eigen::Index i = 0; i < n; ++i)
      total += p == 0 ? S(sizes[i] * log(v[i])) : S(sizes[i] * pow(v[i], p) / p);
    return total;
  };
  // ∇F_*(β): the valuations at which F's gradient is β.
  Vector<S> v_star(n);
  for (Eigen::Index i = 0; i < n; ++i)
    v_star[i] =
        p == 0 ? S(sizes[i] / point.beta[i]) : S(pow(S(point.beta[i] / sizes[i]), S(1 / (p - 1))));
  const S dual = point.solution.objective - (point.beta.dot(v_star) - welfare(v_star));
  const S primal = welfare(point.valuations) - point.solution.divergence;
  using std::isfinite;
  bool finite = isfinite(dual) && isfinite(primal);
  for (Eigen::Index x = 0; x < point.solution.policy.size(); ++x)
    finite = finite && isfinite(point.solution.policy[x]);
  if (!finite)
    throw NumericalFailure("the power-mean dual leaves this precision's range (α too large)");
  WelfareSolution<S> out;
  out.iterations = iterations;
  out.weights = point.beta;
  out.duality_gap = dual - primal;
  // The gap is a difference of two values of size |F|, so it is only known to |F|·tolerance; a
  // negative gap beyond that means the certificate itself is wrong.
  if (out.duality_gap < -sqrt(tolerance) * (1 + abs(dual) + abs(primal)))
    throw NumericalFailure("the power-mean duality gap is negative beyond rounding");
  out.solution = std::move(point.solution);
  out.solution.objective = primal;
  return out;
}

// Active-set Newton on the MaxMin dual min_{θ∈Δ} OPT(Σ θ_i w_i rm_i). Optimality: the groups with
// θ_i > 0 share the smallest w_i v_i; the others have w_i v_i at least as large.
template <class S>
WelfareSolution<S> solve_maxmin(const WelfareRule<S>& rule, const Matrix<S>& rewards,
                                const Vector<S>& sizes, const Vector<S>& initial) {
  using std::sqrt;
  const Eigen::Index n = rewards.cols();
  auto evaluate = [&](const Vector<S>& theta) {
    Point<S> point =
        sw_max_point(rule.regularizer, rewards, initial, Vector<S>(theta.cwiseProduct(sizes)));
    point.beta = theta;  // the iterate is θ; β = θ∘w
    point.dual = point.solution.objective;
    point.gradient = point.valuations.cwiseProduct(sizes);
    return point;
  };
  // max over the free set minus min over all: 0 exactly at the optimum.
  auto residual = [&](const Point<S>& point) {
    S low = point.gradient.minCoeff(), high = low;
    for (Eigen::Index i = 0; i < n; ++i)
      if (point.beta[i] > 0 && point.gradient[i] > high) high = point.gradient[i];
    return S(high - low);
  };

  Point<S> point = evaluate(Vector<S>::Constant(n, S(1) / S(static_cast<long>(n))));
  const S tolerance = ScalarTraits<S>::tolerance() * S(10) * (1 + max_abs(sizes));
  int iteration = 0;
  for (; iteration < 300; ++iteration) {
    if (residual(point) <= tolerance) break;
    // Free set: the positive weights plus every group below the free set's smallest w_i v_i.
    std::vector<Eigen::Index> free;
    S free_low = std::numeric_limits<S>::max();
    for (Eigen::Index i = 0; i < n; ++i)
      if (point.beta[i] > 0) free_low = std::min(free_low, point.gradient[i]);
    for (Eigen::Index i = 0; i < n; ++i)
      if (point.beta[i] > 0 || point.gradient[i] < free_low) free.push_back(i);
    const auto k = static_cast<Eigen::Index>(free.size());

    // Newton on the face, regularized Levenberg–Marquardt style: [H + ρI 1; 1ᵀ 0] [d; ν] =
    // [−g; 0] with ρ the current residual. ρ → 0 keeps the convergence quadratic, and along
    // directions without curvature (g linear, e.g. a group whose report is uniform) the step is
    // long and the ratio test below moves straight to the face's boundary.
    const S damping = residual(point);
    const Matrix<S> hessian =
        valuation_jacobian(rewards,
                           score_sensitivity(rule.regularizer, point.solution.policy, initial))
            .cwiseProduct(sizes * sizes.transpose());
    Matrix<S> system = Matrix<S>::Zero(k + 1, k + 1);
    Vector<S> right = Vector<S>::Zero(k + 1);
    for (Eigen::Index a = 0; a < k; ++a) {
      for (Eigen::Index b = 0; b < k; ++b) system(a, b) = hessian(free[a], free[b]);
      system(a, a) += damping;
      system(a, k) = system(k, a) = 1;
      right[a] = -point.gradient[free[a]];
    }
    // Curvature below rounding (e.g. identical rewards) counts as none: rank is decided with a
    // threshold relative to the constraint row's 1s.
    Eigen::CompleteOrthogonalDecomposition<Matrix<S>> decomposition;
    decomposition.setThreshold(ScalarTraits<S>::tolerance() * S(1000));
    decomposition.compute(system);
    const Vector<S> solved = decomposition.solve(right);
    Vector<S> newton = Vector<S>::Zero(n);
    for (Eigen::Index a = 0; a < k; ++a) newton[free[a]] = solved[a];
    // The Frank–Wolfe direction toward the vertex of the smallest w_i v_i: the fallback when
    // Newton's direction does not descend (rounding).
    Eigen::Index lowest = 0;
    point.gradient.minCoeff(&lowest);
    Vector<S> toward_vertex = -point.beta;
    toward_vertex[lowest] += 1;

    // Backtracking along `direction` from the longest step keeping θ ≥ 0; returns the step taken.
    auto line_search = [&](const Vector<S>& direction, std::optional<Point<S>>& accepted) {
      S longest = 1;
      Eigen::Index blocking = -1;
      for (Eigen::Index i = 0; i < n; ++i)
        if (direction[i] < 0 && point.beta[i] / -direction[i] <= longest)
          longest = point.beta[i] / -direction[i], blocking = i;
      // Σ direction = 0, so the slope is taken against the gradient's spread: the common w_i v_i
      // would cancel to rounding and hide the last steps' decrease.
      const S slope = direction.dot(Vector<S>(point.gradient.array() - point.gradient.minCoeff()));
      if (!(slope < 0)) return S(0);
      S step = longest;
      for (int halving = 0; halving < 60; ++halving, step /= 2) {
        Vector<S> theta = point.beta + step * direction;
        if (step == longest && blocking >= 0) theta[blocking] = 0;
        for (Eigen::Index i = 0; i < n; ++i)
          if (theta[i] < 0) theta[i] = 0;
        theta /= theta.sum();
        Point<S> next = evaluate(theta);
        if (next.dual <= point.dual + S(1e-4) * step * slope ||
            residual(next) < residual(point) / 2) {
          accepted = std::move(next);
          return step;
        }
      }
      return S(0);
    };
    std::optional<Point<S>> by_newton, by_vertex;
    if (line_search(newton, by_newton) == 0) line_search(toward_vertex, by_vertex);
    if (by_vertex && (!by_newton || by_vertex->dual < by_newton->dual)) by_newton = by_vertex;
    const bool moved = by_newton.has_value();
    if (moved) point = std::move(*by_newton);
    if (!moved) break;
  }
  if (!(residual(point) <= sqrt(tolerance)))
    throw NumericalFailure("the MaxMin dual did not converge at this precision");

  WelfareSolution<S> out;
  out.iterations = iteration;
  out.weights = point.beta.cwiseProduct(sizes);
  const S primal = point.gradient.minCoeff() - point.solution.divergence;
  out.duality_gap = point.dual - primal;
  out.solution = std::move(point.solution);
  out.solution.objective = primal;
  return out;
}

}  // namespace welfare_detail

// `rewards` is m × n (column i is rm_i), `sizes` the w_i.
template <class S>
WelfareSolution<S> solve_welfare(const WelfareRule<S>& rule, const Matrix<S>& rewards,
                                 const Vector<S>& sizes, const Vector<S>& initial) {
  if constexpr (ScalarTraits<S>::exact) {
    throw UnsupportedPrecision(
        "maxmin, nash and power-mean rules have irrational optima; use a floating precision");
  } else {
    if (rule.kind == WelfareKind::maxmin)
      return welfare_detail::solve_maxmin(rule, rewards, sizes, initial);
    if (rule.exponent == 1) {  // SW-Max itself: F is linear and its conjugate is degenerate
      WelfareSolution<S> out;
      out.solution = solve_sw_max(rule.regularizer, Vector<S>(rewards * sizes), initial);
      out.weights = sizes;
      return out;
    }
    return welfare_detail::solve_power_mean(rule, rewards, sizes, initial);
  }
}

}  // namespace mechcheck

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
// by Newton's method (an active set on the simplex for MaxMin). ∇G is v(β) − ∇F_*(β) and the
// Hessian is ∂v/∂β = Rᵀ J R, J = diag(c) − c cᵀ/Σc the SW-Max policy's derivative in the scores,
// c(x) = π(x)/f″(ψ(x)/π(x)) on the support. No packaged solver minimizes over a black-box SW-Max
// oracle at MPFR precision, hence the hand-written Newton loop.
//
// Certificate: the Fenchel duality gap G − (F(v(ψ)) − D_f(ψ‖π)) ≥ 0 at the returned point; it
// is 0 exactly at the optimum, and bounds how far the primal value is from optimal.
#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "solver/sw_max.hpp"

namespace mechcheck {

enum class WelfareKind { maxmin, power_mean };

template <class S>
struct WelfareRule {
  SwMaxRule<S> regularizer;  // the divergence and λ
  WelfareKind kind = WelfareKind::maxmin;
  S exponent{0};  // power mean's p <= 1; 0 is Nash, 1 is SW-Max
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

// Newton's method on the power-mean dual over β > 0.
template <class S>
WelfareSolution<S> solve_power_mean(const WelfareRule<S>& rule, const Matrix<S>& rewards,
                                    const Vector<S>& sizes, const Vector<S>& initial) {
  using std::log;
  using std::pow;
  using std::sqrt;
  const S& p = rule.exponent;
  const Eigen::Index n = rewards.cols();
  // ∇F_*(β): the valuations at which F's gradient is β.
  auto conjugate_point = [&](const Vector<S>& beta) {
    Vector<S> v(n);
    for (Eigen::Index i = 0; i < n; ++i)
      v[i] = p == 0 ? S(sizes[i] / beta[i]) : S(pow(S(beta[i] / sizes[i]), S(1 / (p - 1))));
    return v;
  };
  auto welfare = [&](const Vector<S>& v) {
    S total = 0;
    for (Eigen::Index i = 0; i < n; ++i)
      total += p == 0 ? S(sizes[i] * log(v[i])) : S(sizes[i] * pow(v[i], p) / p);
    return total;
  };
  // At large α the weights β_i = w_i·v_i^(p−1) and F itself can leave S's range (α = 622 in
  // double): that is refused here, so solve_instance retries with more digits, instead of an
  // inf − inf turning into a NaN policy.
  auto require_finite = [](const S& value) {
    using std::isfinite;
    if (!isfinite(value))
      throw NumericalFailure("the power-mean dual leaves this precision's range (α too large)");
  };
  auto is_finite = [](const S& value) {
    using std::isfinite;
    return isfinite(value);
  };
  // A trial point outside the range (a long Newton step) is not an answer: evaluate() returns
  // nullopt and the line search halves the step, as it would for a point that does not descend.
  auto evaluate = [&](Vector<S> beta) -> std::optional<Point<S>> {
    for (Eigen::Index i = 0; i < n; ++i)
      if (!is_finite(beta[i])) return std::nullopt;
    Point<S> point = sw_max_point(rule.regularizer, rewards, initial, std::move(beta));
    const Vector<S> v_star = conjugate_point(point.beta);
    point.dual = point.solution.objective - (point.beta.dot(v_star) - welfare(v_star));
    point.gradient = point.valuations - v_star;
    if (!is_finite(point.dual)) return std::nullopt;
    for (Eigen::Index i = 0; i < n; ++i)
      if (!is_finite(point.gradient[i])) return std::nullopt;
    return point;
  };
  auto curvature = [&](const Point<S>& point) {
    Matrix<S> hessian = valuation_jacobian(
        rewards, score_sensitivity(rule.regularizer, point.solution.policy, initial));
    const Vector<S> v_star = conjugate_point(point.beta);
    for (Eigen::Index i = 0; i < n; ++i) hessian(i, i) += v_star[i] / ((1 - p) * point.beta[i]);
    return hessian;
  };

  // Start from one fixed-point step away from SW-Max: β_i = ∂F/∂v_i at ψ(w).
  Vector<S> start = sizes;
  {
    const Point<S> sw = sw_max_point(rule.regularizer, rewards, initial, sizes);
    for (Eigen::Index i = 0; i < n; ++i)
      if (sw.valuations[i] > 0) start[i] = sizes[i] * pow(sw.valuations[i], S(p - 1));
  }
  std::optional<Point<S>> first = evaluate(start);
  if (!first)
    throw NumericalFailure("the power-mean dual leaves this precision's range (α too large)");
  Point<S> point = std::move(*first);
  const S tolerance = ScalarTraits<S>::tolerance() * S(10);
  int iteration = 0;
  for (; iteration < 200; ++iteration) {
    if (max_abs(point.gradient) <= tolerance * (1 + max_abs(point.valuations))) break;
    const Matrix<S> hessian = curvature(point);
    Vector<S> direction = hessian.ldlt().solve(Vector<S>(-point.gradient));
    if (!(direction.dot(point.gradient) < 0)) direction = -point.gradient;
    // Stay inside β > 0, then backtrack (Armijo, or any decrease of the residual once G's
    // decrease is below rounding).
    S step = 1;
    for (Eigen::Index i = 0; i < n; ++i)
      if (direction[i] < 0) step = std::min(step, S(S(0.9) * point.beta[i] / -direction[i]));
    const S slope = direction.dot(point.gradient);
    bool moved = false;
    for (int halving = 0; halving < 60 && !moved; ++halving, step /= 2) {
      std::optional<Point<S>> next = evaluate(Vector<S>(point.beta + step * direction));
      if (next && (next->dual <= point.dual + S(1e-4) * step * slope ||
                   max_abs(next->gradient) < max_abs(point.gradient) / 2)) {
        point = std::move(*next);
        moved = true;
      }
    }
    if (!moved) break;
  }
  if (!(max_abs(point.gradient) <= sqrt(tolerance) * (1 + max_abs(point.valuations))))
    throw NumericalFailure("the power-mean dual did not converge at this precision");

  WelfareSolution<S> out;
  out.iterations = iteration;
  out.weights = point.beta;
  const S primal = welfare(point.valuations) - point.solution.divergence;
  require_finite(primal);
  for (Eigen::Index x = 0; x < point.solution.policy.size(); ++x)
    require_finite(point.solution.policy[x]);
  out.duality_gap = point.dual - primal;
  // The gap is a difference of two values of size |F|, so it is only known to |F|·tolerance; a
  // negative gap beyond that means the certificate itself is wrong.
  using std::abs;
  if (out.duality_gap < -sqrt(tolerance) * (1 + abs(point.dual) + abs(primal)))
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

#pragma once
// The RLHF Game's deviation space without its valuation: which reports the search tries
// (structured misreports, random reports, perturbations, ascent moves) and the exact report a
// point stands for. The built-in solver (rlhf_game.cpp) and an external mechanism
// (rlhf_external.cpp) each add gain().
#include <algorithm>

#include "generators/misreports.hpp"
#include "generators/samplers.hpp"
#include "mechanisms/game.hpp"
#include "mechanisms/rlhf_game/confirm.hpp"
#include "mechanisms/rlhf_game/deviation_evaluator.hpp"
#include "mechanisms/rlhf_game/rlhf_game.hpp"
#include "mechanisms/rlhf_game/simplex.hpp"

namespace mechcheck {

inline Vector<double> average_of_others(const Profile<double>& profile, Eigen::Index group) {
  Vector<double> sum = Vector<double>::Zero(profile.rewards.rows());
  int count = 0;
  for (Eigen::Index j = 0; j < profile.group_count(); ++j)
    if (j != group) sum += profile.rewards.col(j), ++count;
  return count == 0 ? Vector<double>() : Vector<double>(sum / count);
}

// Group i's reports as points (reward, size): the search geometry of the RLHF Game, whatever
// computes the mechanism (the built-in solver or an external program supplies gain()).
class RlhfReportSpace : public DeviationSpace {
 public:
  RlhfReportSpace(const Instance& instance, std::size_t agent)
      : normalization_(instance.normalization),
        max_size_(instance.max_group_size.convert_to<long>()),
        profile_(profile_of<double>(instance)),
        truth_report_{profile_.rewards.col(static_cast<Eigen::Index>(agent)),
                      profile_.sizes[static_cast<Eigen::Index>(agent)]},
        others_average_(average_of_others(profile_, static_cast<Eigen::Index>(agent))) {
    truth_ = point(truth_report_.reward, truth_report_.size);
  }

  const Point& truth() const override { return truth_; }

  std::vector<Move> structured(const SearchEffort& effort) override {
    const Report<double>& truth = truth_report_;
    std::vector<Move> moves;
    for (long w : candidate_sizes())
      moves.push_back({point(truth.reward, double(w)), "size-scaling"});
    for (double epsilon : {1e-3, 1e-2, 0.05, 0.1, 0.25, 0.5, 1.0}) {
      if (auto polarized = polarize(truth.reward, epsilon, normalization_)) {
        moves.push_back({point(*polarized, truth.size), "polarization"});
        moves.push_back({point(*polarized, double(max_size_)), "polarization"});
      }
    }
    if (others_average_.size() == truth.reward.size()) {
      for (double beta : {0.0, 0.25, 0.5, 0.75, 1.25, 1.5, 2.0, 3.0, 10.0})
        if (auto mixed = mix_with_others(truth.reward, others_average_, beta, normalization_))
          moves.push_back({point(*mixed, truth.size), "beta-mixing"});
    }
    if (truth.reward.size() <= 3) lattice(effort.grid_resolution, moves);
    return moves;
  }

  Point random_report(Rng& rng) override {
    Vector<double> reward =
        mechcheck::random_report<double>(truth_report_.reward.size(), normalization_, rng);
    return point(reward, double(rng.integer(1, max_size_)));
  }

  std::optional<Point> perturb(const Point& report, Rng& rng) override {
    auto moved = mechcheck::perturb(reward_of(report), 0.05, normalization_, rng);
    if (!moved) return std::nullopt;
    return point(*moved, report[report.size() - 1]);
  }

  // Projected finite-difference ascent, then a pairwise mass transfer (where gradients vanish,
  // as for TV), then size steps: the gradient is taken once per step (from probes() when the
  // search batches them, in place otherwise), each candidate built only when asked for.
  std::size_t probe_count(const Ascent& ascent) const override {
    return static_cast<std::size_t>(ascent.from.size() - 1);
  }
  void probes(const Ascent& ascent, Point* out) const override {
    for (Eigen::Index x = 0; x < ascent.from.size() - 1; ++x) {
      out[x] = ascent.from;
      out[x][x] += kProbe;
    }
  }

  void start_moves(Ascent& ascent, const double* probe_gains) override {
    ascent.next = 0;
    const Eigen::Index m = ascent.from.size() - 1;
    Eigen::VectorXd& gradient = ascent.direction;
    gradient.resize(m);
    if (probe_gains) {
      for (Eigen::Index x = 0; x < m; ++x) gradient[x] = (probe_gains[x] - ascent.value) / kProbe;
    } else {
      Point& probe = ascent.from;  // probed in place and restored
      for (Eigen::Index x = 0; x < m; ++x) {
        const double saved = probe[x];  // restored exactly: (r + h) − h need not be r
        probe[x] += kProbe;
        gradient[x] = (gain(probe) - ascent.value) / kProbe;
        probe[x] = saved;
      }
    }
    if (normalization_ == Normalization::sum) gradient.array() -= gradient.mean();
  }

  bool next_move(Ascent& ascent, Rng& rng, Point& out) override {
    const Point& from = ascent.from;
    const Eigen::VectorXd& gradient = ascent.direction;
    const Eigen::Index m = from.size() - 1;
    const double size = from[m], step = ascent.step;
    out.resize(m + 1);
    while (ascent.next < 4) {
      switch (ascent.next++) {
        case 0: {
          const double scale = gradient.cwiseAbs().maxCoeff();
          if (scale > 1e-12) {
            out.head(m) = from.head(m) + step * gradient / scale;
            project_report_in_place(out.head(m), normalization_, sorted_);
            out[m] = size;
            return true;
          }
          break;
        }
        case 1:
          if (transfer(from.head(m), gradient, step, rng, out.head(m))) {
            out[m] = size;
            return true;
          }
          break;
        default: {
          const long w = static_cast<long>(size) + (ascent.next == 3 ? -1 : 1);
          if (w >= 1 && w <= max_size_) {
            out.head(m) = from.head(m);
            out[m] = double(w);
            return true;
          }
        }
      }
    }
    return false;
  }

  ExactPoint exact(const Point& report) const override {
    const long size = std::clamp(std::lround(report[report.size() - 1]), 1L, max_size_);
    return report_point(
        Group{rationalize_report(reward_of(report), normalization_), Rational(size)});
  }

 protected:
  Normalization normalization_;
  long max_size_;
  Profile<double> profile_;
  Report<double> truth_report_;
  Vector<double> others_average_;
  Point truth_;
  static constexpr double kProbe = 1e-6;  // the finite-difference step
  std::vector<double> sorted_;            // the simplex projection's scratch

  static Point point(const Vector<double>& reward, double size) {
    Point out(reward.size() + 1);
    out.head(reward.size()) = reward;
    out[reward.size()] = size;
    return out;
  }
  static Vector<double> reward_of(const Point& report) { return report.head(report.size() - 1); }

  std::vector<long> candidate_sizes() const {
    std::vector<long> sizes;
    if (max_size_ <= 24) {
      for (long w = 1; w <= max_size_; ++w) sizes.push_back(w);
    } else {
      const double w = truth_report_.size;
      for (double alpha : {0.2, 0.5, 0.8, 0.9, 1.1, 1.25, 1.5, 2.0, 3.0, 5.0})
        sizes.push_back(static_cast<long>(scaled_size(w, alpha, max_size_)));
      sizes.push_back(1);
      sizes.push_back(max_size_);
    }
    return sizes;
  }

  // Every report on the lattice {k/q} (sum: compositions of q; max: vectors with max q), with
  // the true size, size 1 and w̄.
  void lattice(int q, std::vector<Move>& moves) const {
    const auto m = static_cast<int>(truth_report_.reward.size());
    std::vector<int> k(static_cast<std::size_t>(m), 0);
    const double sizes[] = {truth_report_.size, 1.0, double(max_size_)};
    while (true) {
      int total = 0, top = 0;
      for (int v : k) total += v, top = std::max(top, v);
      const bool valid = normalization_ == Normalization::sum ? total == q : top == q;
      if (valid) {
        Vector<double> reward(m);
        for (int x = 0; x < m; ++x) reward[x] = double(k[static_cast<std::size_t>(x)]) / q;
        for (double w : sizes) moves.push_back({point(reward, w), "grid"});
      }
      int x = 0;  // odometer over {0..q}^m
      while (x < m && ++k[static_cast<std::size_t>(x)] > q) k[static_cast<std::size_t>(x++)] = 0;
      if (x == m) break;
    }
  }

  // `step` of reported mass between a pair of outcomes: toward the larger gradient when it is
  // informative, a random pair otherwise; the projected result is written into `moved` (the
  // candidate's reward entries), false when no pair qualifies.
  template <class Out>
  bool transfer(const Eigen::Ref<const Vector<double>>& reward, const Vector<double>& gradient,
                double step, Rng& rng, Out&& moved) {
    const Eigen::Index m = reward.size();
    if (m < 2) return false;
    Eigen::Index to = 0, from = 0;
    if (gradient.cwiseAbs().maxCoeff() > 1e-12) {
      gradient.maxCoeff(&to);
      double lowest = 0;
      bool found = false;
      for (Eigen::Index x = 0; x < m; ++x)
        if (x != to && reward[x] > 0 && (!found || gradient[x] < lowest))
          from = x, lowest = gradient[x], found = true;
      if (!found) return false;
    } else {
      to = static_cast<Eigen::Index>(rng.integer(0, m - 1));
      from = static_cast<Eigen::Index>(rng.integer(0, m - 1));
      if (to == from) return false;
    }
    moved = reward;
    const double amount = std::min(step, moved[from]);
    moved[from] -= amount;
    moved[to] += amount;
    project_report_in_place(moved, normalization_, sorted_);
    return true;
  }
};

}  // namespace mechcheck

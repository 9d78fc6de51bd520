#pragma once
// DSIC regret search for one group: the largest utility gain over misreports of the reward
// model and the size, found by a portfolio — the paper's constructions (Thm 4.2
// polarization), Section 5's α/β strategies, every size, an exhaustive report lattice for
// m ≤ 3, random reports and perturbations, and local ascent on the report set (finite-
// difference gradients projected onto the simplex, then pairwise mass transfers and size
// steps where the gradient is flat, as for TV).
#include <string>
#include <vector>

#include "checks/deviation_evaluator.hpp"
#include "checks/search_effort.hpp"
#include "checks/simplex.hpp"
#include "generators/misreports.hpp"

namespace mechcheck {

template <class S>
struct Deviation {
  Report<S> report;
  S gain{0};
  std::string strategy = "truthful";
};

template <class S>
class RegretSearch {
 public:
  RegretSearch(const DeviationEvaluator<S>& evaluator, Normalization normalization, long max_size,
               Vector<S> others_average, const SearchEffort& effort, Rng& rng)
      : evaluator_(evaluator),
        normalization_(normalization),
        max_size_(max_size),
        others_average_(std::move(others_average)),
        effort_(effort),
        rng_(rng) {
    best_.report = evaluator.truth();
  }

  Deviation<S> run() {
    const Report<S>& truth = evaluator_.truth();
    for (long w : candidate_sizes()) consider({truth.reward, S(w)}, "size-scaling");
    for (double epsilon : {1e-3, 1e-2, 0.05, 0.1, 0.25, 0.5, 1.0}) {
      if (auto polarized = polarize(truth.reward, S(epsilon), normalization_)) {
        consider({*polarized, truth.size}, "polarization");
        consider({*polarized, S(max_size_)}, "polarization");
      }
    }
    if (others_average_.size() == truth.reward.size()) {
      for (double beta : {0.0, 0.25, 0.5, 0.75, 1.25, 1.5, 2.0, 3.0, 10.0})
        if (auto mixed = mix_with_others(truth.reward, others_average_, beta, normalization_))
          consider({*mixed, truth.size}, "beta-mixing");
    }
    if (truth.reward.size() <= 3) grid();
    std::vector<Report<S>> random_starts;
    for (int r = 0; r < effort_.random_reports; ++r) {
      Report<S> report{random_report<S>(truth.reward.size(), normalization_, rng_),
                       S(rng_.integer(1, max_size_))};
      consider(report, "random");
      if (static_cast<int>(random_starts.size()) < effort_.ascent_starts)
        random_starts.push_back(report);
    }
    for (int r = 0; r < effort_.perturbations; ++r)
      if (auto moved = perturb(truth.reward, 0.05, normalization_, rng_))
        consider({*moved, truth.size}, "perturbation");
    std::vector<Report<S>> starts{best_.report, truth};
    starts.insert(starts.end(), random_starts.begin(), random_starts.end());
    for (const Report<S>& start : starts) ascend(start);
    return best_;
  }

 private:
  const DeviationEvaluator<S>& evaluator_;
  Normalization normalization_;
  long max_size_;
  Vector<S> others_average_;
  SearchEffort effort_;
  Rng& rng_;
  Deviation<S> best_;

  std::vector<long> candidate_sizes() const {
    std::vector<long> sizes;
    if (max_size_ <= 24) {
      for (long w = 1; w <= max_size_; ++w) sizes.push_back(w);
    } else {
      const S w = evaluator_.truth().size;
      for (double alpha : {0.2, 0.5, 0.8, 0.9, 1.1, 1.25, 1.5, 2.0, 3.0, 5.0})
        sizes.push_back(static_cast<long>(scaled_size(w, alpha, max_size_)));
      sizes.push_back(1);
      sizes.push_back(max_size_);
    }
    return sizes;
  }

  S consider(const Report<S>& report, const char* strategy) {
    const S gain = evaluator_.gain(report);
    if (gain > best_.gain) best_ = Deviation<S>{report, gain, strategy};
    return gain;
  }

  // Every report on the lattice {k/q} (sum: compositions of q; max: vectors with max q),
  // with the true size, size 1 and w̄.
  void grid() {
    const int q = effort_.grid_resolution;
    const auto m = static_cast<int>(evaluator_.truth().reward.size());
    std::vector<int> k(static_cast<std::size_t>(m), 0);
    const std::vector<S> sizes{evaluator_.truth().size, S(1), S(max_size_)};
    while (true) {
      int total = 0, top = 0;
      for (int v : k) total += v, top = std::max(top, v);
      const bool valid = normalization_ == Normalization::sum ? total == q : top == q;
      if (valid) {
        Vector<S> reward(m);
        for (int x = 0; x < m; ++x) reward[x] = S(k[static_cast<std::size_t>(x)]) / S(q);
        for (const S& w : sizes) consider({reward, w}, "grid");
      }
      int x = 0;  // odometer over {0..q}^m
      while (x < m && ++k[static_cast<std::size_t>(x)] > q) k[static_cast<std::size_t>(x++)] = 0;
      if (x == m) break;
    }
  }

  void ascend(Report<S> current) {
    const Eigen::Index m = current.reward.size();
    S value = consider(current, "local-ascent");
    S step = 0.25;
    const S h = 1e-6;
    for (int iteration = 0; iteration < effort_.ascent_iterations && step > 1e-7; ++iteration) {
      Vector<S> gradient(m);
      for (Eigen::Index x = 0; x < m; ++x) {
        Report<S> probe = current;
        probe.reward[x] += h;
        gradient[x] = (evaluator_.gain(probe) - value) / h;
      }
      if (normalization_ == Normalization::sum) gradient.array() -= gradient.mean();
      bool improved = false;
      const S scale = gradient.cwiseAbs().maxCoeff();
      if (scale > 1e-12) {
        Report<S> next{
            project_report<S>(Vector<S>(current.reward + step * gradient / scale), normalization_),
            current.size};
        const S next_value = consider(next, "local-ascent");
        if (next_value > value) current = next, value = next_value, improved = true;
      }
      if (!improved) improved = transfer(current, value, gradient, step);
      for (long delta : {-1L, 1L}) {
        const long w = static_cast<long>(current.size) + delta;
        if (improved || w < 1 || w > max_size_) continue;
        Report<S> next{current.reward, S(w)};
        const S next_value = consider(next, "local-ascent");
        if (next_value > value) current = next, value = next_value, improved = true;
      }
      step = improved ? std::min(S(1), S(step * 1.5)) : S(step / 2);
    }
  }

  // Moves `step` of reported mass between a random pair of outcomes (toward the larger
  // gradient when it is informative): the move that works where gradients vanish.
  bool transfer(Report<S>& current, S& value, const Vector<S>& gradient, const S& step) {
    const Eigen::Index m = current.reward.size();
    if (m < 2) return false;
    Eigen::Index to = 0, from = 0;
    if (gradient.cwiseAbs().maxCoeff() > 1e-12) {
      gradient.maxCoeff(&to);
      S lowest = 0;
      bool found = false;
      for (Eigen::Index x = 0; x < m; ++x)
        if (x != to && current.reward[x] > 0 && (!found || gradient[x] < lowest))
          from = x, lowest = gradient[x], found = true;
      if (!found) return false;
    } else {
      to = static_cast<Eigen::Index>(rng_.integer(0, m - 1));
      from = static_cast<Eigen::Index>(rng_.integer(0, m - 1));
      if (to == from) return false;
    }
    Vector<S> moved = current.reward;
    const S amount = std::min(step, moved[from]);
    moved[from] -= amount;
    moved[to] += amount;
    Report<S> next{project_report<S>(moved, normalization_), current.size};
    const S next_value = consider(next, "local-ascent");
    if (next_value > value) {
      current = next, value = next_value;
      return true;
    }
    return false;
  }
};

}  // namespace mechcheck

#include "mechanisms/rlhf_game/rlhf_game.hpp"

#include <cmath>
#include <limits>

#include "generators/misreports.hpp"
#include "generators/samplers.hpp"
#include "mechanisms/rlhf_game/confirm.hpp"
#include "mechanisms/rlhf_game/deviation_evaluator.hpp"
#include "mechanisms/rlhf_game/simplex.hpp"
#include "spec/exact_number.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {

ExactPoint report_point(const Group& group) {
  ExactPoint point = group.reward;
  point.push_back(group.size);
  return point;
}

Group report_group(const ExactPoint& point) {
  return Group{std::vector<Rational>(point.begin(), point.end() - 1), point.back()};
}

Finding finding_of(const Witness& witness) {
  Finding finding;
  finding.property = *parse_property(witness.property);
  finding.agent = witness.group;
  if (witness.deviation) finding.deviation = report_point(*witness.deviation);
  finding.truth_noise = witness.truth_noise;
  finding.deviation_noise = witness.deviation_noise;
  finding.epsilon = witness.epsilon;
  return finding;
}

namespace {

Witness witness_on(const Instance& instance, const Finding& finding) {
  Witness witness;
  witness.property = std::string(property_name(finding.property));
  witness.instance = instance;
  witness.group = finding.agent;
  if (finding.deviation) witness.deviation = report_group(*finding.deviation);
  witness.truth_noise = finding.truth_noise;
  witness.deviation_noise = finding.deviation_noise;
  witness.epsilon = finding.epsilon;
  return witness;
}

Vector<double> average_of_others(const Profile<double>& profile, Eigen::Index group) {
  Vector<double> sum = Vector<double>::Zero(profile.rewards.rows());
  int count = 0;
  for (Eigen::Index j = 0; j < profile.group_count(); ++j)
    if (j != group) sum += profile.rewards.col(j), ++count;
  return count == 0 ? Vector<double>() : Vector<double>(sum / count);
}

// Group i's reports as points (reward, size); the search of the RLHF Game.
class RlhfDeviations final : public DeviationSpace {
 public:
  RlhfDeviations(const Instance& instance, std::size_t agent)
      : normalization_(instance.normalization),
        max_size_(instance.max_group_size.convert_to<long>()),
        profile_(profile_of<double>(instance)),
        evaluator_(mechanism_of<double>(instance), profile_, static_cast<Eigen::Index>(agent)),
        others_average_(average_of_others(profile_, static_cast<Eigen::Index>(agent))) {
    truth_ = point(evaluator_.truth().reward, evaluator_.truth().size);
  }

  const Point& truth() const override { return truth_; }
  double gain(const Point& report) override {
    // Into a kept buffer: the search evaluates ~10⁶ reports, each a small vector.
    const Eigen::Index m = report.size() - 1;
    scratch_.reward = report.head(m);
    scratch_.size = report[m];
    return evaluator_.gain(scratch_);
  }
  long evaluations() const override { return evaluator_.evaluations(); }

  std::vector<Move> structured(const SearchEffort& effort) override {
    const Report<double>& truth = evaluator_.truth();
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
        mechcheck::random_report<double>(evaluator_.truth().reward.size(), normalization_, rng);
    return point(reward, double(rng.integer(1, max_size_)));
  }

  std::optional<Point> perturb(const Point& report, Rng& rng) override {
    auto moved = mechcheck::perturb(reward_of(report), 0.05, normalization_, rng);
    if (!moved) return std::nullopt;
    return point(*moved, report[report.size() - 1]);
  }

  // Projected finite-difference ascent, then a pairwise mass transfer (where gradients vanish,
  // as for TV), then size steps: the gradient is taken once per step, each candidate built only
  // when the ones before it did not improve.
  void start_moves(const Point& current, double value, double step) override {
    from_ = current, step_ = step, next_ = 0;
    const Eigen::Index m = current.size() - 1;
    const double h = 1e-6;
    gradient_.resize(m);
    Point& probe = from_;  // probed in place and restored
    for (Eigen::Index x = 0; x < m; ++x) {
      const double saved = probe[x];  // restored exactly: (r + h) − h need not be r
      probe[x] += h;
      gradient_[x] = (gain(probe) - value) / h;
      probe[x] = saved;
    }
    if (normalization_ == Normalization::sum) gradient_.array() -= gradient_.mean();
  }

  std::optional<Point> next_move(Rng& rng) override {
    const Eigen::Index m = from_.size() - 1;
    const double size = from_[m];
    while (next_ < 4) {
      switch (next_++) {
        case 0: {
          const double scale = gradient_.cwiseAbs().maxCoeff();
          if (scale > 1e-12)
            return point(
                project_report<double>(Vector<double>(from_.head(m) + step_ * gradient_ / scale),
                                       normalization_),
                size);
          break;
        }
        case 1:
          if (auto moved = transfer(from_.head(m), gradient_, step_, rng))
            return point(*moved, size);
          break;
        default: {
          const long w = static_cast<long>(size) + (next_ == 3 ? -1 : 1);
          if (w >= 1 && w <= max_size_) return point(from_.head(m), double(w));
        }
      }
    }
    return std::nullopt;
  }

  ExactPoint exact(const Point& report) const override {
    const long size = std::clamp(std::lround(report[report.size() - 1]), 1L, max_size_);
    return report_point(
        Group{rationalize_report(reward_of(report), normalization_), Rational(size)});
  }

 private:
  Normalization normalization_;
  long max_size_;
  Profile<double> profile_;
  DeviationEvaluator<double> evaluator_;
  Vector<double> others_average_;
  Point truth_;
  Report<double> scratch_{Vector<double>(), 0.0};  // gain()'s report buffer
  Point from_;                                     // the local move in progress
  Vector<double> gradient_;
  double step_ = 0;
  int next_ = 0;

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
      const double w = evaluator_.truth().size;
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
    const auto m = static_cast<int>(evaluator_.truth().reward.size());
    std::vector<int> k(static_cast<std::size_t>(m), 0);
    const double sizes[] = {evaluator_.truth().size, 1.0, double(max_size_)};
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
  // informative, a random pair otherwise.
  std::optional<Vector<double>> transfer(const Vector<double>& reward,
                                         const Vector<double>& gradient, double step,
                                         Rng& rng) const {
    const Eigen::Index m = reward.size();
    if (m < 2) return std::nullopt;
    Eigen::Index to = 0, from = 0;
    if (gradient.cwiseAbs().maxCoeff() > 1e-12) {
      gradient.maxCoeff(&to);
      double lowest = 0;
      bool found = false;
      for (Eigen::Index x = 0; x < m; ++x)
        if (x != to && reward[x] > 0 && (!found || gradient[x] < lowest))
          from = x, lowest = gradient[x], found = true;
      if (!found) return std::nullopt;
    } else {
      to = static_cast<Eigen::Index>(rng.integer(0, m - 1));
      from = static_cast<Eigen::Index>(rng.integer(0, m - 1));
      if (to == from) return std::nullopt;
    }
    Vector<double> moved = reward;
    const double amount = std::min(step, moved[from]);
    moved[from] -= amount;
    moved[to] += amount;
    return project_report<double>(moved, normalization_);
  }
};

// The nearest fraction with the given denominator.
Rational round_to_denominator(const Rational& value, long denominator) {
  const Rational scaled = value * denominator;
  boost::multiprecision::mpz_int whole =
      numerator(scaled) / boost::multiprecision::denominator(scaled);
  Rational below(whole, denominator), above(whole + 1, denominator);
  return abs(value - below) <= abs(above - value) ? below : above;
}

std::vector<Rational> simplified(const std::vector<Rational>& values, long denominator,
                                 Normalization normalization, bool keep_positive) {
  std::vector<Rational> out;
  for (const Rational& v : values) {
    Rational r = round_to_denominator(v, denominator);
    if (keep_positive && r <= 0) r = Rational(1, denominator);
    if (r < 0) r = 0;
    out.push_back(r);
  }
  return normalize_weights(out, normalization);
}

std::vector<Rational> without(const std::vector<Rational>& values, std::size_t index) {
  std::vector<Rational> out = values;
  out.erase(out.begin() + static_cast<std::ptrdiff_t>(index));
  return out;
}

void expect_report(const std::vector<Rational>& reward, const Rational& size,
                   const Instance& instance, const std::string& field) {
  if (reward.size() != instance.outcome_count())
    throw SpecError(field + ".reward", "has " + std::to_string(reward.size()) +
                                           " entries, expected " +
                                           std::to_string(instance.outcome_count()));
  Rational total = 0, top = 0;
  for (std::size_t x = 0; x < reward.size(); ++x) {
    if (reward[x] < 0)
      throw SpecError(field + ".reward[" + std::to_string(x) + "]",
                      "is " + to_exact_string(reward[x]) + ", expected >= 0");
    total += reward[x];
    top = std::max(top, reward[x]);
  }
  const Rational& norm = instance.normalization == Normalization::sum ? total : top;
  if (norm != 1)
    throw SpecError(
        field + ".reward",
        std::string(instance.normalization == Normalization::sum ? "sums to " : "has maximum ") +
            to_exact_string(norm) + ", expected 1");
  if (denominator(size) != 1 || size < 1 || size > instance.max_group_size)
    throw SpecError(field + ".size", "is " + to_exact_string(size) +
                                         ", expected an integer in 1.." +
                                         to_exact_string(instance.max_group_size));
}

void expect_noise(const std::vector<Rational>& noise, const Rational& epsilon, std::size_t m,
                  const std::string& field) {
  if (noise.size() != m)
    throw SpecError(
        field, "has " + std::to_string(noise.size()) + " entries, expected " + std::to_string(m));
  for (std::size_t x = 0; x < m; ++x)
    if (abs(noise[x]) > epsilon)
      throw SpecError(field + "[" + std::to_string(x) + "]",
                      "is " + to_exact_string(noise[x]) + ", outside [-epsilon, epsilon] = [-" +
                          to_exact_string(epsilon) + ", " + to_exact_string(epsilon) + "]");
}

}  // namespace

RlhfGame::RlhfGame(Instance instance) : instance_(std::move(instance)) {}

double RlhfGame::search_tolerance() const {
  double scale = 1;
  for (const Group& group : instance_.groups) scale += group.size.convert_to<double>();
  return 1e-9 * scale;
}

std::unique_ptr<DeviationSpace> RlhfGame::deviations(std::size_t agent) const {
  return std::make_unique<RlhfDeviations>(instance_, agent);
}

Measurement RlhfGame::measure(const Finding& finding) const {
  if (finding.property == Property::budget)
    throw SpecError("property", "budget is not a property of the rlhf-game family");
  return measure_witness(witness_on(instance_, finding));
}

void RlhfGame::validate(const Finding& finding) const {
  if (finding.agent >= instance_.group_count())
    throw SpecError("group", "is " + std::to_string(finding.agent) +
                                 ", expected a group index below " +
                                 std::to_string(instance_.group_count()));
  if (finding.property == Property::budget)
    throw SpecError("property", "budget is not a property of the rlhf-game family");
  const bool deviates =
      finding.property == Property::dsic || finding.property == Property::approx_dsic;
  if (deviates && !finding.deviation) throw SpecError("deviation", "is missing");
  if (finding.deviation) {
    if (finding.deviation->size() != instance_.outcome_count() + 1)
      throw SpecError("deviation.reward", "has " + std::to_string(finding.deviation->size() - 1) +
                                              " entries, expected " +
                                              std::to_string(instance_.outcome_count()));
    const Group group = report_group(*finding.deviation);
    expect_report(group.reward, group.size, instance_, "deviation");
  }
  if (finding.property == Property::approx_dsic) {
    if (finding.epsilon < 0)
      throw SpecError("noise.epsilon",
                      "is " + to_exact_string(finding.epsilon) + ", expected >= 0");
    expect_noise(finding.truth_noise, finding.epsilon, instance_.outcome_count(), "noise.truth");
    expect_noise(finding.deviation_noise, finding.epsilon, instance_.outcome_count(),
                 "noise.deviation");
    if (finding.deviation &&
        report_group(*finding.deviation).size != instance_.groups[finding.agent].size)
      throw SpecError("deviation.size", "is " + to_exact_string(finding.deviation->back()) +
                                            ", expected the true size " +
                                            to_exact_string(instance_.groups[finding.agent].size) +
                                            " (approx-dsic misreports the reward only)");
  }
}

std::vector<Game::Shrunk> RlhfGame::shrink_candidates(const Finding& finding) const {
  std::vector<Shrunk> out;
  auto add = [&](Instance instance, Finding candidate, bool fewer_digits = false) {
    out.push_back(
        {std::make_shared<RlhfGame>(std::move(instance)), std::move(candidate), fewer_digits});
  };
  const Instance& instance = instance_;
  // Fewer groups.
  for (std::size_t j = 0; j < instance.group_count(); ++j) {
    if (j == finding.agent || instance.group_count() == 1) continue;
    Instance reduced = instance;
    reduced.groups.erase(reduced.groups.begin() + static_cast<std::ptrdiff_t>(j));
    Finding candidate = finding;
    if (candidate.agent > j) --candidate.agent;
    add(std::move(reduced), std::move(candidate));
  }
  // Fewer outcomes.
  if (instance.outcome_count() > 2) {
    for (std::size_t x = 0; x < instance.outcome_count(); ++x) {
      Instance reduced = instance;
      reduced.outcomes.labels.erase(reduced.outcomes.labels.begin() +
                                    static_cast<std::ptrdiff_t>(x));
      reduced.initial = normalize_weights(without(instance.initial, x), Normalization::sum);
      for (Group& group : reduced.groups)
        group.reward = normalize_weights(without(group.reward, x), reduced.normalization);
      Finding candidate = finding;
      if (candidate.deviation) {
        Group deviation = report_group(*candidate.deviation);
        deviation.reward = normalize_weights(without(deviation.reward, x), reduced.normalization);
        candidate.deviation = report_point(deviation);
      }
      if (!candidate.truth_noise.empty()) {
        candidate.truth_noise = without(candidate.truth_noise, x);
        candidate.deviation_noise = without(candidate.deviation_noise, x);
      }
      add(std::move(reduced), std::move(candidate));
    }
  }
  // Smaller sizes.
  for (std::size_t j = 0; j < instance.group_count(); ++j) {
    if (instance.groups[j].size <= 1) continue;
    Instance reduced = instance;
    reduced.groups[j].size = 1;
    add(std::move(reduced), finding);
  }
  // Simpler numbers.
  for (long denominator : {2L, 4L, 10L, 20L, 100L, 1000L}) {
    Instance simpler = instance;
    simpler.initial = simplified(simpler.initial, denominator, Normalization::sum, true);
    for (Group& group : simpler.groups)
      group.reward = simplified(group.reward, denominator, simpler.normalization, false);
    Finding candidate = finding;
    if (candidate.deviation) {
      Group deviation = report_group(*candidate.deviation);
      deviation.reward = simplified(deviation.reward, denominator, simpler.normalization, false);
      candidate.deviation = report_point(deviation);
    }
    add(std::move(simpler), std::move(candidate), true);
  }
  return out;
}

std::size_t RlhfGame::size_in_digits(const Finding& finding) const {
  std::size_t digits = 0;
  auto count = [&](const std::vector<Rational>& values) {
    for (const Rational& v : values) digits += v.str().size();
  };
  count(instance_.initial);
  for (const Group& group : instance_.groups) count(group.reward);
  if (finding.deviation) count(*finding.deviation);
  return digits;
}

std::optional<NoisyDeviation> RlhfGame::search_noisy(std::size_t agent,
                                                     const Rational& epsilon_exact,
                                                     const SearchEffort& effort, Rng& rng) const {
  const Mechanism<double> mechanism = mechanism_of<double>(instance_);
  const Profile<double> truth = profile_of<double>(instance_);
  const double epsilon = epsilon_exact.convert_to<double>();
  const Eigen::Index m = truth.rewards.rows();
  const auto i = static_cast<Eigen::Index>(agent);
  DeviationEvaluator<double> evaluator(mechanism, truth, i);
  const Report<double>& honest = evaluator.truth();
  const double bound = 2 * honest.size * epsilon;
  // Misreports of the reward model (the size stays truthful, as in Thm 4.12).
  std::vector<Vector<double>> misreports{honest.reward};
  for (double e : {0.01, 0.1, 0.5})
    if (auto p = polarize(honest.reward, e, instance_.normalization)) misreports.push_back(*p);
  for (int r = 0; r < effort.random_reports / 2 + 2; ++r)
    misreports.push_back(mechcheck::random_report<double>(m, instance_.normalization, rng));
  // Noise on the truthful report: the corners that lower the group's own scores most hurt it.
  std::vector<Vector<double>> truth_noises{Vector<double>::Constant(m, -epsilon),
                                           Vector<double>::Constant(m, epsilon)};
  Vector<double> against = Vector<double>::Constant(m, epsilon);
  Eigen::Index top = 0;
  honest.reward.maxCoeff(&top);
  against[top] = -epsilon;
  truth_noises.push_back(against);
  for (int k = 0; k < effort.noise_samples; ++k)
    truth_noises.push_back(bounded_noise<double>(m, epsilon, rng, k % 2 == 0));
  double worst_honest = std::numeric_limits<double>::infinity();
  Vector<double> worst_honest_noise;
  for (const Vector<double>& noise : truth_noises) {
    const double u =
        evaluator.evaluate({Vector<double>(honest.reward + noise), honest.size}).utility;
    if (u < worst_honest) worst_honest = u, worst_honest_noise = noise;
  }
  double best_gain = -std::numeric_limits<double>::infinity();
  Vector<double> best_report, best_noise;
  for (const Vector<double>& report : misreports) {
    for (int k = 0; k < effort.noise_samples + 2; ++k) {
      const Vector<double> noise =
          k == 0   ? Vector<double>::Constant(m, epsilon)
          : k == 1 ? Vector<double>(epsilon * (2 * report.array() - 1).sign().matrix())
                   : bounded_noise<double>(m, epsilon, rng, k % 2 == 0);
      const double gain =
          evaluator.evaluate({Vector<double>(report + noise), honest.size}).utility - worst_honest;
      if (gain > best_gain) best_gain = gain, best_report = report, best_noise = noise;
    }
  }
  NoisyDeviation out;
  out.gain_over_bound = best_gain / bound;
  out.exceeds_bound = best_gain > bound + search_tolerance();
  Finding& finding = out.finding;
  finding.property = Property::approx_dsic;
  finding.agent = agent;
  finding.deviation = report_point(Group{rationalize_report(best_report, instance_.normalization),
                                         instance_.groups[agent].size});
  finding.epsilon = epsilon_exact;
  finding.truth_noise = rationalize(worst_honest_noise);
  finding.deviation_noise = rationalize(best_noise);
  for (std::vector<Rational>* noise : {&finding.truth_noise, &finding.deviation_noise})
    for (Rational& v : *noise) v = std::clamp(v, Rational(-epsilon_exact), epsilon_exact);
  return out;
}

Witness rlhf_witness(const GameWitness& witness) {
  const auto& game = dynamic_cast<const RlhfGame&>(*witness.game);
  Witness out = witness_on(game.instance(), witness.finding);
  out.recorded_value = witness.recorded_value;
  out.precision = witness.precision;
  return out;
}

GameWitness game_witness(const Witness& witness) {
  return GameWitness{std::make_shared<RlhfGame>(witness.instance), finding_of(witness),
                     witness.recorded_value, witness.precision};
}

}  // namespace mechcheck

#include "mechanisms/rlhf_game/rlhf_game.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "generators/misreports.hpp"
#include "generators/samplers.hpp"
#include "mechanisms/rlhf_game/batch_evaluator.hpp"
#include "mechanisms/rlhf_game/confirm.hpp"
#include "mechanisms/rlhf_game/deviation_evaluator.hpp"
#include "mechanisms/rlhf_game/rlhf_deviations.hpp"
#include "mechanisms/rlhf_game/rlhf_external.hpp"
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

// The built-in mechanism's valuation: one SW-Max solve per report, many at once through the batch
// solver where it applies (BatchGainEvaluator), one at a time otherwise.
class RlhfDeviations final : public RlhfReportSpace {
 public:
  RlhfDeviations(const Instance& instance, std::size_t agent)
      : RlhfReportSpace(instance, agent),
        evaluator_(mechanism_of<double>(instance), profile_, static_cast<Eigen::Index>(agent)),
        batch_(evaluator_) {}

  double gain(const Point& report) override {
    if (batch_.available()) return batch_.gain(report);
    // Into a kept buffer: the search evaluates ~10⁶ reports, each a small vector.
    const Eigen::Index m = report.size() - 1;
    scratch_.reward = report.head(m);
    scratch_.size = report[m];
    return evaluator_.gain(scratch_);
  }
  std::vector<double> gains(std::span<const Point> reports) override {
    if (!batch_.available()) return RlhfReportSpace::gains(reports);
    std::vector<double> out;
    batch_.gains(reports, out);
    return out;
  }
  bool prefers_batches() const override { return batch_.available(); }
  long evaluations() const override { return evaluator_.evaluations() + batch_.evaluations(); }

 private:
  DeviationEvaluator<double> evaluator_;
  BatchGainEvaluator batch_;
  Report<double> scratch_{Vector<double>(), 0.0};  // gain()'s report buffer
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

RlhfGame::RlhfGame(Instance instance, std::shared_ptr<const ExternalSetup> external)
    : instance_(std::move(instance)), external_(std::move(external)) {}

double RlhfGame::search_tolerance() const {
  if (external_) return external_->tolerance.convert_to<double>();
  double scale = 1;
  for (const Group& group : instance_.groups) scale += group.size.convert_to<double>();
  return 1e-9 * scale;
}

bool RlhfGame::is_truthful(const Finding& finding) const {
  if (!finding.deviation || finding.agent >= instance_.group_count() ||
      finding.deviation->size() != instance_.outcome_count() + 1)
    return false;
  return *finding.deviation == report_point(instance_.groups[finding.agent]);
}

std::unique_ptr<DeviationSpace> RlhfGame::deviations(std::size_t agent) const {
  if (external_) return external_rlhf_deviations(instance_, agent, external_);
  return std::make_unique<RlhfDeviations>(instance_, agent);
}

Measurement RlhfGame::measure(const Finding& finding) const {
  if (whole_profile(finding.property))
    throw SpecError("property", std::string(property_name(finding.property)) +
                                    " is not a property of the rlhf-game family");
  if (external_) return measure_rlhf_externally(instance_, finding, *external_);
  return measure_witness(witness_on(instance_, finding));
}

void RlhfGame::validate(const Finding& finding) const {
  if (finding.agent >= instance_.group_count())
    throw SpecError("group", "is " + std::to_string(finding.agent) +
                                 ", expected a group index below " +
                                 std::to_string(instance_.group_count()));
  if (whole_profile(finding.property))
    throw SpecError("property", std::string(property_name(finding.property)) +
                                    " is not a property of the rlhf-game family");
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
  // A simpler instance must still be a legal one (validate): a candidate policy with all its
  // mass on a dropped outcome, say, has no smaller version.
  auto add = [&](Instance instance, Finding candidate, bool fewer_digits = false) {
    try {
      mechcheck::validate(instance);
    } catch (const SpecError&) {
      return;
    }
    out.push_back({std::make_shared<RlhfGame>(std::move(instance), external_), std::move(candidate),
                   fewer_digits});
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
      bool policies_survive = true;  // the candidate rule's Θ′ loses the outcome too
      for (std::vector<Rational>& policy : reduced.rule.policies) {
        policy = without(policy, x);
        if (std::all_of(policy.begin(), policy.end(), [](const Rational& q) { return q == 0; }))
          policies_survive = false;
        else
          policy = normalize_weights(policy, Normalization::sum);
      }
      if (!policies_survive) continue;
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
  if (external_) return std::nullopt;  // the noise model is the built-in solver's
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
  return GameWitness{std::make_shared<RlhfGame>(witness.instance),
                     finding_of(witness),
                     witness.recorded_value,
                     witness.precision,
                     {}};
}

}  // namespace mechcheck

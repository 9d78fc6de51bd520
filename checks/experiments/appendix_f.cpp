#include "checks/experiments/appendix_f.hpp"

#include <tbb/enumerable_thread_specific.h>

#include <cmath>

#include "checks/parallel.hpp"
#include "generators/misreports.hpp"
#include "generators/philox_stream.hpp"
#include "mechanisms/rlhf_game/deviation_evaluator.hpp"
#include "solver/batch_sw_max.hpp"

namespace mechcheck {
namespace {

// Sample `sample`'s numbers: its own counter-based stream (generators/philox_stream.hpp), made a
// block at once — n·(m + 1) words, + m for a random π; an integer's rare rejection draws more.
// Before version 0.2.0 this was Rng::stream(seed, sample) (mt19937_64): the same draws in the same
// order from other words, so the tables of a seed differ across that version.
PhiloxStream sample_stream(const AppendixFOptions& options, std::uint64_t sample) {
  const auto m = static_cast<std::size_t>(options.outcomes);
  const std::size_t words = static_cast<std::size_t>(options.groups) * (m + 1) +
                            (options.initial == InitialShape::uniform ? 0 : m);
  return PhiloxStream(options.seed, sample, words);
}

// Group 0's (Δvaluation, Δutility) for every ε on one sampled game.
template <class S>
std::vector<std::pair<double, double>> one_sample(const AppendixFOptions& options,
                                                  std::uint64_t sample) {
  PhiloxStream rng = sample_stream(options, sample);
  const int m = options.outcomes, n = options.groups;
  Profile<S> profile{Matrix<S>(m, n), Vector<S>(n)};
  for (int i = 0; i < n; ++i) {
    Vector<S> reward(m);
    for (int x = 0; x < m; ++x) reward[x] = S(rng.uniform());
    const S scale =
        options.normalization == Normalization::sum ? S(reward.sum()) : S(reward.maxCoeff());
    profile.rewards.col(i) = reward / scale;
    profile.sizes[i] = S(rng.integer(options.min_size, options.max_size));
  }
  Vector<S> initial(m);
  for (int x = 0; x < m; ++x)
    initial[x] = options.initial == InitialShape::uniform ? S(1) : S(rng.uniform() + 1e-3);
  initial /= initial.sum();
  Mechanism<S> mechanism{SwMaxRule<S>{options.divergence, from_rational<S>(options.lambda)},
                         PaymentType::affine_maximizer, initial, S(0)};
  DeviationEvaluator<S> evaluator(mechanism, profile, 0);
  const Vector<S>& reward = evaluator.truth().reward;
  std::vector<std::pair<double, double>> deltas;
  for (double epsilon : options.epsilons) {
    // The Thm 4.2 polarization, its step limited to what keeps the report valid.
    const Vector<S> report = polarize(reward, S(epsilon), options.normalization).value_or(reward);
    const Evaluation<S> moved = evaluator.evaluate({report, evaluator.truth().size});
    const Evaluation<S>& honest = evaluator.truthful();
    deltas.emplace_back(static_cast<double>(moved.valuation - honest.valuation),
                        static_cast<double>(moved.utility - honest.utility));
  }
  return deltas;
}

// The same sample in double through BatchSwMaxSolver: the games of a chunk of samples are solved
// together — for each sample the leave-one-out scores (the payment's first term), the truthful
// scores and one column per ε — and every other number is formed exactly as DeviationEvaluator
// forms it (same expressions, same order). KL columns differ from the scalar solves by exp/log
// rounding (a few ulp; bench/README.md), χ² columns not at all.
class BatchedSamples {
 public:
  explicit BatchedSamples(const AppendixFOptions& options) : options_(options) {}

  // Writes group 0's (Δvaluation, Δutility) per ε of samples [first, first + count).
  void run(std::uint64_t first, std::size_t count, std::vector<std::vector<double>>& valuation,
           std::vector<std::vector<double>>& utility) {
    const int m = options_.outcomes;
    const std::size_t e = options_.epsilons.size(), width = e + 2;
    samples_.resize(count);
    bool shared_initial = true;
    for (std::size_t k = 0; k < count; ++k) {
      draw(first + k, samples_[k]);
      shared_initial = shared_initial && samples_[k].initial == samples_.front().initial;
    }
    // One batch for the chunk when π is shared (the uniform default), else one per sample.
    const std::size_t per_batch = shared_initial ? count : 1;
    for (std::size_t begin = 0; begin < count; begin += per_batch) {
      const auto columns = static_cast<Eigen::Index>(per_batch * width);
      if (scores_.rows() != m || scores_.cols() != columns) scores_.resize(m, columns);
      for (std::size_t k = 0; k < per_batch; ++k) {
        const Sample& sample = samples_[begin + k];
        const auto base = static_cast<Eigen::Index>(k * width);
        scores_.col(base) = sample.others.array();
        scores_.col(base + 1) = (sample.others + sample.size * sample.reward).array();
        for (std::size_t j = 0; j < e; ++j)
          scores_.col(base + 2 + static_cast<Eigen::Index>(j)) =
              (sample.others + sample.size * sample.reports[j]).array();
      }
      const BatchSwMaxSolver solver(
          SwMaxRule<double>{options_.divergence, from_rational<double>(options_.lambda)},
          samples_[begin].initial);
      solver.solve(scores_, solution_, work_);
      for (std::size_t k = 0; k < per_batch; ++k) {
        const Sample& sample = samples_[begin + k];
        const auto base = static_cast<Eigen::Index>(k * width);
        const double best_without_group = solution_.objective[base];
        const Outcome honest = outcome(sample, base + 1, best_without_group);
        for (std::size_t j = 0; j < e; ++j) {
          const Outcome moved =
              outcome(sample, base + 2 + static_cast<Eigen::Index>(j), best_without_group);
          valuation[j][first + begin + k] = moved.valuation - honest.valuation;
          utility[j][first + begin + k] = moved.utility - honest.utility;
        }
      }
    }
  }

 private:
  struct Sample {
    Vector<double> reward, others, initial;
    double size = 0;
    std::vector<Vector<double>> reports;  // one per ε
  };
  struct Outcome {
    double valuation, utility;
  };

  // one_sample<double>'s draws and arithmetic, in its order, into reused buffers.
  void draw(std::uint64_t index, Sample& sample) {
    PhiloxStream rng = sample_stream(options_, index);
    const int m = options_.outcomes, n = options_.groups;
    Profile<double>& profile = profile_;
    profile.rewards.resize(m, n);
    profile.sizes.resize(n);
    reward_.resize(m);
    for (int i = 0; i < n; ++i) {
      for (int x = 0; x < m; ++x) reward_[x] = rng.uniform();
      const double scale =
          options_.normalization == Normalization::sum ? reward_.sum() : reward_.maxCoeff();
      profile.rewards.col(i) = reward_ / scale;
      profile.sizes[i] = static_cast<double>(rng.integer(options_.min_size, options_.max_size));
    }
    sample.initial.resize(m);
    for (int x = 0; x < m; ++x)
      sample.initial[x] = options_.initial == InitialShape::uniform ? 1.0 : rng.uniform() + 1e-3;
    sample.initial /= sample.initial.sum();
    // score_sign · Σ_{j≠0} w_j rm_j, summed as aggregate_scores sums it (the sign is 1).
    sample.others.setZero(m);
    for (int i = 1; i < n; ++i) sample.others += profile.sizes[i] * profile.rewards.col(i);
    sample.reward = profile.rewards.col(0);
    sample.size = profile.sizes[0];
    sample.reports.resize(options_.epsilons.size());
    for (std::size_t j = 0; j < options_.epsilons.size(); ++j)
      polarize_into(sample.reward, options_.epsilons[j], options_.normalization,
                    sample.reports[j]);  // polarize(...).value_or(reward)
  }

  // DeviationEvaluator::evaluate from the solution's column b.
  Outcome outcome(const Sample& sample, Eigen::Index b, double best_without_group) {
    policy_ = solution_.policy.col(b).matrix();
    const double valuation = sample.size * policy_.dot(sample.reward);
    const double payment = affine_maximizer_payment(best_without_group, sample.others, policy_,
                                                    double(solution_.divergence[b]), 0.0);
    return {valuation, valuation - payment};
  }

  const AppendixFOptions& options_;
  std::vector<Sample> samples_;
  BatchArray scores_;
  BatchSwMaxSolution solution_;
  BatchSwMaxWorkspace work_;
  Vector<double> policy_, reward_;
  Profile<double> profile_;
};

constexpr std::size_t kChunk = 64;  // samples solved together (× (ε count + 2) games)

Moments moments(const std::vector<double>& values) {
  // Summed in sample order: the same numbers for any thread count.
  long double sum = 0;
  for (double v : values) sum += v;
  const long double mean = sum / static_cast<long double>(values.size());
  long double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const long double variance =
      values.size() > 1 ? squares / static_cast<long double>(values.size() - 1) : 0;
  return {static_cast<double>(mean), static_cast<double>(std::sqrt(variance))};
}

}  // namespace

std::vector<AppendixFRow> run_appendix_f(const AppendixFOptions& options) {
  const std::size_t e = options.epsilons.size();
  std::vector<std::vector<double>> valuation(e, std::vector<double>(options.samples)),
      utility(e, std::vector<double>(options.samples));
  if (options.precision == Precision::binary64 && options.batched) {
    const std::size_t chunks = (options.samples + kChunk - 1) / kChunk;
    tbb::enumerable_thread_specific<BatchedSamples> pool(
        [&options] { return BatchedSamples(options); });
    parallel_for_each(options.threads, chunks, [&](std::size_t chunk) {
      BatchedSamples& batched = pool.local();  // per thread: no allocation after its first chunk
      const std::uint64_t first = chunk * kChunk;
      batched.run(first, std::min<std::size_t>(kChunk, options.samples - first), valuation,
                  utility);
    });
  } else {
    parallel_for_each(options.threads, options.samples, [&](std::size_t sample) {
      auto deltas = with_scalar(
          options.precision == Precision::exact ? Precision::digits100 : options.precision,
          [&]<class S>() {
            if constexpr (ScalarTraits<S>::exact)
              return one_sample<Float100>(options, sample);
            else
              return one_sample<S>(options, sample);
          });
      for (std::size_t k = 0; k < e; ++k) {
        valuation[k][sample] = deltas[k].first;
        utility[k][sample] = deltas[k].second;
      }
    });
  }
  std::vector<AppendixFRow> rows;
  for (std::size_t k = 0; k < e; ++k)
    rows.push_back({options.epsilons[k], moments(valuation[k]), moments(utility[k])});
  return rows;
}

}  // namespace mechcheck

#include "checks/experiments/appendix_f.hpp"

#include <cmath>

#include "checks/parallel.hpp"
#include "generators/misreports.hpp"
#include "generators/rng.hpp"
#include "mechanisms/rlhf_game/deviation_evaluator.hpp"

namespace mechcheck {
namespace {

// Group 0's (Δvaluation, Δutility) for every ε on one sampled game.
template <class S>
std::vector<std::pair<double, double>> one_sample(const AppendixFOptions& options,
                                                  std::uint64_t sample) {
  Rng rng = Rng::stream(options.seed, sample);
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
  std::vector<AppendixFRow> rows;
  for (std::size_t k = 0; k < e; ++k)
    rows.push_back({options.epsilons[k], moments(valuation[k]), moments(utility[k])});
  return rows;
}

}  // namespace mechcheck

#include "mechanisms/rlhf_game/batch_evaluator.hpp"

#include <algorithm>

namespace mechcheck {

BatchGainEvaluator::BatchGainEvaluator(const DeviationEvaluator<double>& scalar) {
  const Mechanism<double>& mechanism = scalar.mechanism();
  if (!solved_on_score_gaps(mechanism.type) || payment_reference_moves_with_report(mechanism))
    return;
  BatchSwMaxSolver solver(mechanism.rule, mechanism.initial);
  if (!solver.vectorized()) return;
  solver_.emplace(std::move(solver));
  sign_ = mechanism.score_sign;
  pays_ = mechanism.payment != PaymentType::zero;
  reference_ = scalar.fixed_payment_reference();
  offset_ = mechanism.payment_offset;
  others_ = scalar.others_scores();
  truth_reward_ = scalar.truth().reward;
  truth_size_ = scalar.truth().size;
  // The truthful utility on this path: the truthful report's gain is then exactly 0.
  Point truth(others_.size() + 1);
  truth << truth_reward_, truth_size_;
  truthful_utility_ = gain(truth);
  evaluations_ = 0;
}

BatchGainEvaluator::Slot& BatchGainEvaluator::slot(Eigen::Index width) {
  ++calls_;
  auto found = std::find_if(slots_.begin(), slots_.end(),
                            [width](const Slot& s) { return s.width == width; });
  if (found == slots_.end()) {
    if (slots_.size() < kSlots) {
      found = slots_.emplace(slots_.end());
    } else {
      found = std::min_element(slots_.begin(), slots_.end(), [](const Slot& a, const Slot& b) {
        return a.last_used < b.last_used;
      });
    }
    found->width = width;
    found->scores.resize(others_.size(), width);
  }
  found->last_used = calls_;
  return *found;
}

// As DeviationEvaluator: s = others + (sign·w')·rm', the same rounding per entry.
void BatchGainEvaluator::set_scores(Slot& batch, Eigen::Index b, const Point& report) const {
  const Eigen::Index m = others_.size(), stride = batch.scores.outerStride();
  const double scale = sign_ * report[m];
  const double *reward = report.data(), *others = others_.data();
  double* column = batch.scores.data() + b;
  for (Eigen::Index x = 0; x < m; ++x) column[x * stride] = others[x] + scale * reward[x];
}

double BatchGainEvaluator::gain(const Point& report) {
  Slot& batch = slot(1);
  set_scores(batch, 0, report);
  utilities(batch);
  ++evaluations_;
  return batch.utility[0] - truthful_utility_;
}

void BatchGainEvaluator::gains(std::span<const Point> reports, std::vector<double>& out) {
  const auto width = static_cast<Eigen::Index>(reports.size());
  out.resize(reports.size());
  if (width == 0) return;
  Slot& batch = slot(width == 1 ? 1 : (width + kPad - 1) / kPad * kPad);
  for (Eigen::Index b = 0; b < batch.width; ++b)
    set_scores(batch, b, reports[static_cast<std::size_t>(b < width ? b : 0)]);
  utilities(batch);
  evaluations_ += width;
  for (Eigen::Index b = 0; b < width; ++b)
    out[static_cast<std::size_t>(b)] = batch.utility[b] - truthful_utility_;
}

void BatchGainEvaluator::utilities(Slot& batch) {
  const Eigen::Index m = others_.size(), width = batch.width;
  solver_->solve(batch.scores, batch.solution, batch.work);
  batch.valuation.setZero(width);  // same width: no allocation
  batch.others_value.setZero(width);
  batch.utility.resize(width);
  // ⟨ψ, rm_i⟩ and ⟨ψ, s₋ᵢ⟩ for every column, row by row (rows are contiguous).
  const BatchArray& policy = batch.solution.policy;
  for (Eigen::Index x = 0; x < m; ++x) {
    const double* row = policy.data() + x * policy.outerStride();
    const double truth = truth_reward_[x], other = others_[x];
    for (Eigen::Index b = 0; b < width; ++b) {
      batch.valuation[b] += row[b] * truth;
      batch.others_value[b] += row[b] * other;
    }
  }
  for (Eigen::Index b = 0; b < width; ++b) {
    const double valuation = truth_size_ * batch.valuation[b];
    // The affine-maximizer form (solver/mechanism.hpp): reference − (⟨ψ, s₋ᵢ⟩ − λD) + offset.
    const double payment =
        pays_ ? reference_ - (batch.others_value[b] - batch.solution.divergence[b]) + offset_ : 0.0;
    batch.utility[b] = valuation - payment;
  }
}

}  // namespace mechcheck

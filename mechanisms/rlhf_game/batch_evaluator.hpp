#pragma once
// Group i's gains for many reports at once, in double, through BatchSwMaxSolver (issue #13): the
// regret search's batches (structured misreports, random reports, perturbations, gradient probes,
// ascent candidates) as one m × batch score array, one batched solve, then the valuation and the
// payment as row operations. The same quantities as DeviationEvaluator<double>::gain — KL within
// the batch solver's 1e-13 of the scalar solve, χ² bit for bit up to the order of the two dot
// products — for the rules the batch solver takes (SW-Max and anti-SW-Max, KL or χ², normal π)
// with a payment whose reference does not move with the report (zero, affine maximizer,
// heuristic 2); available() is false otherwise and callers use the scalar evaluator.
//
// The truthful utility is computed on the same path, so the truthful report's gain is exactly 0.
// Buffers are kept per batch width, a batch padded to a multiple of kPad columns (copies of its
// first): the batch solver's arrays are exactly as wide as the batch and resizing them allocates,
// while the search's batches take a few dozen widths (probes and candidates of however many
// ascents are still running), so without padding nearly every batch would allocate.
#include <optional>
#include <span>
#include <vector>

#include "mechanisms/game.hpp"
#include "mechanisms/rlhf_game/deviation_evaluator.hpp"
#include "solver/batch_sw_max.hpp"

namespace mechcheck {

class BatchGainEvaluator {
 public:
  explicit BatchGainEvaluator(const DeviationEvaluator<double>& scalar);

  bool available() const { return solver_.has_value(); }
  // out[k] = u_i(reports[k]) − u_i(truth); a report is (rm'(x) for every x, then w').
  void gains(std::span<const Point> reports, std::vector<double>& out);
  double gain(const Point& report);
  long evaluations() const { return evaluations_; }

 private:
  // Everything a batch of one width needs.
  struct Slot {
    Eigen::Index width = -1;
    long last_used = 0;
    BatchArray scores;  // m × width
    BatchSwMaxSolution solution;
    BatchSwMaxWorkspace work;
    BatchRow valuation, others_value, utility;
  };
  static constexpr std::size_t kSlots = 16;
  static constexpr Eigen::Index kPad = 8;

  Slot& slot(Eigen::Index width);
  void set_scores(Slot& batch, Eigen::Index column, const Point& report) const;
  // u_i of every column of slot.scores into slot.utility.
  void utilities(Slot& slot);

  std::optional<BatchSwMaxSolver> solver_;
  double sign_ = 1, reference_ = 0, offset_ = 0, truth_size_ = 0;
  bool pays_ = false;
  Vector<double> others_, truth_reward_;
  double truthful_utility_ = 0;
  std::vector<Slot> slots_;
  long calls_ = 0;
  long evaluations_ = 0;
};

}  // namespace mechcheck

#include "claims/claim_support.hpp"

namespace mechcheck::claims {

std::vector<Combination> combinations(std::span<const DivergenceKind> divergences) {
  std::vector<Combination> out;
  for (DivergenceKind divergence : divergences)
    for (Normalization normalization : kNormalizations) out.push_back({divergence, normalization});
  return out;
}

Rng claim_stream(const ClaimContext& context, std::string_view claim,
                 const Combination& combination, std::uint64_t k) {
  std::uint64_t tag = 1469598103934665603ULL;  // FNV-1a of the claim id: streams differ per claim
  for (char c : claim) tag = (tag ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  tag ^= static_cast<std::uint64_t>(combination.divergence) * 16 +
         static_cast<std::uint64_t>(combination.normalization);
  return Rng::stream(context.seed ^ mix64(tag), k);
}

Instance claim_instance(Rng& rng, const Combination& combination, PaymentType payment,
                        const GeneratorSpec& spec, bool interior) {
  Instance mechanism;
  mechanism.normalization = combination.normalization;
  mechanism.max_group_size = 4;
  mechanism.rule.divergence = combination.divergence;
  const Rational lambdas[] = {Rational(1, 10), Rational(1, 2), Rational(2)};
  mechanism.rule.lambda = lambdas[rng.integer(0, 2)];
  if (interior && combination.divergence == DivergenceKind::chi2) {
    // p = π(1 + (s − μ)/(2λ)) stays positive when 2λ exceeds the score range (≤ n·w̄).
    mechanism.rule.lambda = Rational(static_cast<long>(spec.max_groups) * 4);
  }
  mechanism.payment.type = payment;
  return sample_instance(rng, mechanism, spec);
}

std::string combination_name(const Combination& combination) {
  return std::string(divergence_name(combination.divergence)) + "/" +
         std::string(normalization_name(combination.normalization));
}

}  // namespace mechcheck::claims

#include "mechanisms/auction/auction_family.hpp"
#include "mechanisms/family.hpp"
#include "mechanisms/ranking/ranking_family.hpp"
#include "mechanisms/rlhf_game/rlhf_family.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck {

std::span<const Family* const> registered_families() {
  static const RlhfFamily rlhf_game;
  static const AuctionFamily multi_unit_auction;
  static const RankingFamily ranking_aggregation;
  static const Family* const families[] = {&rlhf_game, &multi_unit_auction, &ranking_aggregation};
  return families;
}

const Family& family_named(std::string_view name) {
  std::string known;
  for (const Family* family : registered_families()) {
    if (family->name() == name) return *family;
    known += (known.empty() ? "" : ", ") + std::string(family->name());
  }
  throw SpecError("family", "is \"" + std::string(name) + "\", expected one of " + known);
}

const Family& family_of(const nlohmann::json& document) {
  if (!document.is_object() || !document.contains("family")) {
    const Family& assumed = family_named("rlhf-game");
    if (document.is_object())
      for (const Family* family : registered_families())
        for (const std::string& key : family->own_keys())
          if (family != &assumed && document.contains(key))
            throw SpecError("family", "is missing, so \"" + std::string(assumed.name()) +
                                          "\" is assumed, but \"" + key + "\" belongs to the " +
                                          std::string(family->name()) +
                                          " family (add \"family\": \"" +
                                          std::string(family->name()) + "\")");
    return assumed;
  }
  if (!document["family"].is_string()) throw SpecError("family", "expected a string");
  return family_named(document["family"].get<std::string>());
}

std::string_view quantity_name(Property property) { return describe(property).quantity; }

}  // namespace mechcheck

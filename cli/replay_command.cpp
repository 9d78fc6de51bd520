#include "cli/replay_command.hpp"

#include <ostream>

#include "checks/confirm.hpp"
#include "checks/verdict.hpp"
#include "cli/option_parsing.hpp"
#include "mechanisms/external/external_mechanism.hpp"
#include "mechanisms/family.hpp"
#include "spec/exact_json.hpp"
#include "spec/spec_error.hpp"

namespace mechcheck::cli {

int run_replay(const std::string& path, const std::optional<std::string>& mechanism,
               std::ostream& out, std::ostream& err) {
  GameWitness witness;
  Confirmed confirmed;
  try {
    nlohmann::json document = read_exact_json_file(path);
    if (mechanism) document = with_mechanism_option(std::move(document), *mechanism);
    witness = family_of(document).read_witness(document);
    // Validated before it is measured: an illegal deviation is never evidence.
    confirmed = confirm_finding(witness.game, witness.finding);
  } catch (const SpecError& error) {
    err << "mechcheck replay: " << error.what() << "\n";
    return 2;
  } catch (const MechanismAnsweredTwoWays& error) {
    // Neither "stands" nor "does not stand": the mechanism is not a function of the profile.
    const Property property = witness.finding.property;
    out << nlohmann::json{{"family", witness.game->family()},
                          {"property", property_name(property)},
                          {std::string(witness.game->agent_noun()), witness.finding.agent},
                          {"verdict", verdict_name(Verdict::inconclusive)},
                          {"reason", error.what()}}
               .dump(2)
        << "\n";
    return 3;
  }
  const Property property = witness.finding.property;
  const bool stands = confirmed.witness.has_value();
  nlohmann::json result = {{"family", witness.game->family()},
                           {"property", property_name(property)},
                           {std::string(witness.game->agent_noun()), witness.finding.agent},
                           {std::string(quantity_name(property)), confirmed.value.text},
                           {"precision", confirmed.value.precision},
                           {"verdict", verdict_name(stands ? Verdict::violated : Verdict::holds)},
                           {"reproduced", stands}};
  if (property == Property::approx_dsic) result["quantity"] = "gain - 2*w_i*epsilon";
  out << result.dump(2) << "\n";
  return stands ? 1 : 0;
}

}  // namespace mechcheck::cli

#include "cli/replay_command.hpp"

#include <ostream>

#include "checks/confirm.hpp"
#include "spec/exact_json.hpp"
#include "spec/spec_error.hpp"
#include "spec/witness_json.hpp"

namespace mechcheck::cli {

int run_replay(const std::string& path, std::ostream& out, std::ostream& err) {
  Witness witness;
  try {
    witness = read_witness(read_exact_json_file(path));
  } catch (const SpecError& error) {
    err << "mechcheck replay: " << error.what() << "\n";
    return 2;
  }
  const ConfirmedValue value = measure_witness(witness);
  const bool stands = witness_stands(witness, value);
  const char* quantity = witness.property == "ir"       ? "utility"
                         : witness.property == "nonneg" ? "payment"
                                                        : "gain";
  nlohmann::json result = {{"property", witness.property},
                           {"group", witness.group},
                           {quantity, value.text},
                           {"precision", value.precision},
                           {"verdict", stands ? "violated" : "not reproduced"}};
  if (witness.property == "approx-dsic") result["quantity"] = "gain - 2*w_i*epsilon";
  out << result.dump(2) << "\n";
  return stands ? 1 : 0;
}

}  // namespace mechcheck::cli

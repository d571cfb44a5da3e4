// Built when the simulator library (tools/modemsim) is not part of this tree.
#include <stdexcept>

#include "src/server/simulator.hpp"

namespace sms::server {

std::unique_ptr<Simulator> start_simulator(const config::Simulator&, const std::string& modem_id) {
  throw std::runtime_error("modem " + modem_id +
                           " has port=\"sim\" but this build has no simulator (tools/modemsim)");
}

}  // namespace sms::server

// Names of states and failure classes (stored in the modems table, shown by smsctl).
#include "modem/driver/modem.hpp"

namespace sms::modem {

std::string_view to_string(State s) {
  switch (s) {
    case State::starting: return "starting";
    case State::ready: return "ready";
    case State::pin_needed: return "pin needed";
    case State::pin_rejected: return "pin rejected";
    case State::puk_needed: return "puk needed";
    case State::no_sim: return "no sim";
    case State::not_registered: return "not registered";
    case State::storage_full: return "storage full";
    case State::disconnected: return "disconnected";
    case State::stopped: return "stopped";
  }
  return "unknown";
}

bool is_fatal(State s) {
  return s == State::pin_needed || s == State::pin_rejected || s == State::puk_needed || s == State::no_sim;
}

std::string_view to_string(Failure f) {
  switch (f) {
    case Failure::none: return "none";
    case Failure::permanent: return "permanent";
    case Failure::temporary: return "temporary";
    case Failure::modem: return "modem";
  }
  return "unknown";
}

}  // namespace sms::modem

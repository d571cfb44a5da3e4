#pragma once
// The control protocol of README.md ("deliver FROM TEXT", "stats", ...): one
// command line in, one reply line out ("ok ..." / "error ..."). Pure: the
// socket lives in PtyModem.
#include <cstdint>
#include <string>
#include <string_view>

#include "modem/sim/sim_modem.hpp"

namespace sms::sim {

// Decodes \n, \r, \t, \\ and \uXXXX (surrogate pairs joined) into UTF-8.
std::string unescape(std::string_view text);

// Executes one control command against `modem`. `vanish MS` only records the
// request (SimModem::take_vanish_request); the pty layer carries it out.
std::string execute_control(SimModem& modem, std::string_view line, std::int64_t now_ms);

}  // namespace sms::sim

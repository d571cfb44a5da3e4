#pragma once
// Checks for single attribute values of smserver.xml. Pure, no exceptions:
// each returns the value or the reason it is wrong; the loader adds the file,
// line and attribute name.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "modem/common/result.hpp"

namespace sms::config {

// The rates Linux termios can set (B300 ... B4000000), as the driver will
// need a Bxxx constant for each.
const std::vector<unsigned>& standard_baud_rates();

Result<bool> parse_bool(std::string_view v);                      // true/false, yes/no, on/off, 1/0
Result<std::int64_t> parse_int(std::string_view v, std::int64_t min, std::int64_t max);
Result<unsigned> parse_baud(std::string_view v);
// Modem ids end up in logs, the database and smsctl output.
Result<std::string> parse_modem_id(std::string_view v);
// "/dev/...", any absolute path (a pty), "tcp://host:port" or "sim".
Result<std::string> parse_port(std::string_view v);
Result<std::string> parse_pin(std::string_view v);                // "" or 4 to 8 digits (3GPP TS 31.102 PIN length)
Result<std::string> parse_smsc(std::string_view v);               // "" or [+]digits, at most 20 digits
Result<std::string> parse_init_command(std::string_view v);       // "AT..." on one line
Result<std::string> parse_log_level(std::string_view v);          // error|warning|info|debug ("warn" accepted)
const std::vector<std::string_view>& simulator_dialects();
Result<std::string> parse_dialect(std::string_view v);

}  // namespace sms::config

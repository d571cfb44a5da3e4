#pragma once
// Meanings and classes of +CMS ERROR (27.005 3.2.5, with the RP/TP causes of
// 24.011 E.2 and 23.040 9.2.3.22 that modems pass through as codes 0..255)
// and +CME ERROR (27.007 9.2) codes.
//
// The class says what a failed send means for the message:
//   permanent: this message can never go as is (unassigned number, rejected,
//              invalid PDU parameter);
//   temporary: retry later, maybe elsewhere (network out of order, timeout,
//              no service, SIM busy, unknown error 500);
//   modem:     the modem itself is not usable right now (SIM missing, PIN
//              needed, memory full, not registered...).
#include <optional>
#include <string>
#include <string_view>

#include "modem/at/parser.hpp"

namespace sms::at {

enum class ErrorClass : unsigned char { permanent, temporary, modem };
std::string_view to_string(ErrorClass c);  // "permanent", "temporary", "modem"

struct ErrorInfo {
  int code = -1;
  std::string_view meaning;  // "unassigned (unallocated) number"; "unknown error code" if not in the table
  ErrorClass cls = ErrorClass::temporary;
  bool known = false;
};

ErrorInfo cms_error_info(int code);
ErrorInfo cme_error_info(int code);

// Text forms ("+CME ERROR: SIM PIN required", "+CMS ERROR: Unknown error"):
// the code whose meaning matches, case- and space-insensitively.
std::optional<int> cms_code_from_text(std::string_view text);
std::optional<int> cme_code_from_text(std::string_view text);

// Class of a final result code that ended a send (AT+CMGS / AT+CMSS):
// +CMS/+CME by table; a bare ERROR, COMMAND NOT SUPPORT or MODEM ERROR gives
// no reason, so it is temporary (the message may go later or on another modem).
ErrorClass classify_send_failure(const Final& f);

// Words for a person: "+CMS ERROR: 21 (short message transfer rejected)".
std::string describe(const Final& f);

}  // namespace sms::at

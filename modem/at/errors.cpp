#include "modem/at/errors.hpp"

#include <array>

namespace sms::at {

namespace {

using C = ErrorClass;
constexpr C P = C::permanent;
constexpr C T = C::temporary;
constexpr C M = C::modem;

struct Entry {
  int code;
  std::string_view meaning;
  ErrorClass cls;
};

// +CMS ERROR codes.
//   0..127:   RP causes, 3GPP TS 24.011 Annex E-2 (27.005 3.2.5 "values 0...127")
//   128..255: TP-Failure-Cause, 3GPP TS 23.040 9.2.3.22
//   300..:    27.005 3.2.5 itself; 512.. manufacturer specific
constexpr std::array cms_table{
    Entry{1, "unassigned (unallocated) number", P},
    Entry{8, "operator determined barring", P},
    Entry{10, "call barred", P},
    Entry{17, "network failure", T},
    Entry{21, "short message transfer rejected", P},
    Entry{22, "memory capacity exceeded", T},
    Entry{27, "destination out of service", T},
    Entry{28, "unidentified subscriber", P},
    Entry{29, "facility rejected", P},
    Entry{30, "unknown subscriber", P},
    Entry{38, "network out of order", T},
    Entry{41, "temporary failure", T},
    Entry{42, "congestion", T},
    Entry{47, "resources unavailable, unspecified", T},
    Entry{50, "requested facility not subscribed", P},
    Entry{69, "requested facility not implemented", P},
    Entry{81, "invalid short message transfer reference value", T},
    Entry{95, "invalid message, unspecified", P},
    Entry{96, "invalid mandatory information", P},
    Entry{97, "message type non-existent or not implemented", P},
    Entry{98, "message not compatible with short message protocol state", T},
    Entry{99, "information element non-existent or not implemented", P},
    Entry{111, "protocol error, unspecified", T},
    Entry{127, "interworking, unspecified", T},
    Entry{128, "telematic interworking not supported", P},
    Entry{129, "short message type 0 not supported", P},
    Entry{130, "cannot replace short message", P},
    Entry{143, "unspecified TP-PID error", P},
    Entry{144, "data coding scheme (alphabet) not supported", P},
    Entry{145, "message class not supported", P},
    Entry{159, "unspecified TP-DCS error", P},
    Entry{160, "command cannot be actioned", P},
    Entry{161, "command unsupported", P},
    Entry{175, "unspecified TP-Command error", P},
    Entry{176, "TPDU not supported", P},
    Entry{192, "SC busy", T},
    Entry{193, "no SC subscription", P},
    Entry{194, "SC system failure", T},
    Entry{195, "invalid SME address", P},
    Entry{196, "destination SME barred", P},
    Entry{197, "SM rejected-duplicate SM", P},
    Entry{198, "TP-VPF not supported", P},
    Entry{199, "TP-VP not supported", P},
    Entry{208, "SIM SMS storage full", M},
    Entry{209, "no SMS storage capability in SIM", M},
    Entry{210, "error in MS", T},
    Entry{211, "memory capacity exceeded", M},
    Entry{212, "SIM application toolkit busy", T},
    Entry{213, "SIM data download error", T},
    Entry{255, "unspecified error cause", T},
    Entry{300, "ME failure", M},
    Entry{301, "SMS service of ME reserved", M},
    Entry{302, "operation not allowed", M},
    Entry{303, "operation not supported", M},
    Entry{304, "invalid PDU mode parameter", P},
    Entry{305, "invalid text mode parameter", P},
    Entry{310, "SIM not inserted", M},
    Entry{311, "SIM PIN required", M},
    Entry{312, "PH-SIM PIN required", M},
    Entry{313, "SIM failure", M},
    Entry{314, "SIM busy", T},
    Entry{315, "SIM wrong", M},
    Entry{316, "SIM PUK required", M},
    Entry{317, "SIM PIN2 required", M},
    Entry{318, "SIM PUK2 required", M},
    Entry{320, "memory failure", M},
    Entry{321, "invalid memory index", P},
    Entry{322, "memory full", M},
    Entry{330, "SMSC address unknown", M},
    Entry{331, "no network service", T},
    Entry{332, "network timeout", T},
    Entry{340, "no +CNMA acknowledgement expected", T},
    Entry{500, "unknown error", T},
    // Manufacturer specific (27.005: 512..): the common ones.
    Entry{512, "manufacturer specific: SMS receiving during send, or MM establishment failure (SIMCom)", T},
    Entry{515, "manufacturer specific: please wait, initialisation in progress (Wavecom/Sierra)", T},
};

// +CME ERROR codes, 27.007 9.2.1 (general) and 9.2.2 (GPRS).
constexpr std::array cme_table{
    Entry{0, "phone failure", M},
    Entry{1, "no connection to phone", M},
    Entry{2, "phone-adaptor link reserved", M},
    Entry{3, "operation not allowed", M},
    Entry{4, "operation not supported", M},
    Entry{5, "PH-SIM PIN required", M},
    Entry{6, "PH-FSIM PIN required", M},
    Entry{7, "PH-FSIM PUK required", M},
    Entry{10, "SIM not inserted", M},
    Entry{11, "SIM PIN required", M},
    Entry{12, "SIM PUK required", M},
    Entry{13, "SIM failure", M},
    Entry{14, "SIM busy", T},
    Entry{15, "SIM wrong", M},
    Entry{16, "incorrect password", M},
    Entry{17, "SIM PIN2 required", M},
    Entry{18, "SIM PUK2 required", M},
    Entry{20, "memory full", M},
    Entry{21, "invalid index", P},
    Entry{22, "not found", P},
    Entry{23, "memory failure", M},
    Entry{24, "text string too long", P},
    Entry{25, "invalid characters in text string", P},
    Entry{26, "dial string too long", P},
    Entry{27, "invalid characters in dial string", P},
    Entry{30, "no network service", T},
    Entry{31, "network timeout", T},
    Entry{32, "network not allowed - emergency calls only", T},
    Entry{40, "network personalization PIN required", M},
    Entry{41, "network personalization PUK required", M},
    Entry{42, "network subset personalization PIN required", M},
    Entry{43, "network subset personalization PUK required", M},
    Entry{44, "service provider personalization PIN required", M},
    Entry{45, "service provider personalization PUK required", M},
    Entry{46, "corporate personalization PIN required", M},
    Entry{47, "corporate personalization PUK required", M},
    Entry{48, "hidden key required", M},
    Entry{49, "EAP method not supported", M},
    Entry{50, "incorrect parameters", P},
    Entry{100, "unknown", T},
    Entry{103, "illegal MS", M},
    Entry{106, "illegal ME", M},
    Entry{107, "GPRS services not allowed", M},
    Entry{111, "PLMN not allowed", M},
    Entry{112, "location area not allowed", M},
    Entry{113, "roaming not allowed in this location area", M},
    Entry{132, "service option not supported", T},
    Entry{133, "requested service option not subscribed", T},
    Entry{134, "service option temporarily out of order", T},
    Entry{148, "unspecified GPRS error", T},
    Entry{149, "PDP authentication failure", T},
    Entry{150, "invalid mobile class", T},
    // Wavecom/Sierra: two of these after AT+CFUN=1 while the stack starts.
    Entry{515, "please wait, initialisation or command processing in progress", T},
};

template <class Table>
ErrorInfo lookup(const Table& table, int code) {
  for (const auto& e : table)
    if (e.code == code) return ErrorInfo{code, e.meaning, e.cls, true};
  return ErrorInfo{code, "unknown error code", ErrorClass::temporary, false};
}

// Letters and digits only, lower case: "SIM PIN required" == "sim pin required"
// == "SIM-PIN Required"; "(U)SIM" is spelt "SIM" in the tables.
std::string normalise(std::string_view s) {
  std::string out;
  if (s.size() >= 3 && (s.substr(0, 3) == "(U)" || s.substr(0, 3) == "(u)")) s.remove_prefix(3);
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  }
  return out;
}

template <class Table>
std::optional<int> by_text(const Table& table, std::string_view text) {
  const std::string n = normalise(text);
  if (n.empty()) return std::nullopt;
  for (const auto& e : table)
    if (normalise(e.meaning) == n) return e.code;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ErrorClass c) {
  switch (c) {
    case ErrorClass::permanent: return "permanent";
    case ErrorClass::temporary: return "temporary";
    case ErrorClass::modem: return "modem";
  }
  return "?";
}

ErrorInfo cms_error_info(int code) { return lookup(cms_table, code); }
ErrorInfo cme_error_info(int code) { return lookup(cme_table, code); }

std::optional<int> cms_code_from_text(std::string_view text) {
  if (auto c = by_text(cms_table, text)) return c;
  // Text spellings seen from modems that differ from the table's words.
  const std::string n = normalise(text);
  if (n == "unknown" || n == "unknownerror") return 500;
  if (n == "simnotinserted" || n == "nosim") return 310;
  return std::nullopt;
}

std::optional<int> cme_code_from_text(std::string_view text) {
  if (auto c = by_text(cme_table, text)) return c;
  const std::string n = normalise(text);
  if (n == "unknownerror") return 100;
  if (n == "simpinrequired" || n == "simpin") return 11;
  if (n == "simpukrequired" || n == "simpuk") return 12;
  return std::nullopt;
}

ErrorClass classify_send_failure(const Final& f) {
  switch (f.code) {
    case FinalCode::cms_error:
      return f.number ? cms_error_info(*f.number).cls : ErrorClass::temporary;
    case FinalCode::cme_error:
      return f.number ? cme_error_info(*f.number).cls : ErrorClass::temporary;
    default:
      return ErrorClass::temporary;
  }
}

std::string describe(const Final& f) {
  switch (f.code) {
    case FinalCode::ok: return "OK";
    case FinalCode::error: return "ERROR";
    case FinalCode::no_carrier: return "NO CARRIER";
    case FinalCode::busy: return "BUSY";
    case FinalCode::no_answer: return "NO ANSWER";
    case FinalCode::no_dialtone: return "NO DIALTONE";
    case FinalCode::command_not_support: return "COMMAND NOT SUPPORT";
    case FinalCode::too_many_parameters: return "TOO MANY PARAMETERS";
    case FinalCode::modem_error: return "MODEM ERROR: " + f.text;
    case FinalCode::cme_error:
    case FinalCode::cms_error: {
      const bool cms = f.code == FinalCode::cms_error;
      std::string s = cms ? "+CMS ERROR: " : "+CME ERROR: ";
      s += f.text;
      if (f.number) {
        const ErrorInfo info = cms ? cms_error_info(*f.number) : cme_error_info(*f.number);
        const bool numeric = f.text == std::to_string(*f.number);
        if (info.known && numeric) s += " (" + std::string(info.meaning) + ")";
        else if (!numeric) s += " (code " + std::to_string(*f.number) + ")";
      }
      return s;
    }
  }
  return "?";
}

}  // namespace sms::at

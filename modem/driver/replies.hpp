#pragma once
// Small pure helpers the modem logic uses to read answers. No I/O.
#include <array>
#include <string>
#include <string_view>

#include "modem/at/parser.hpp"

namespace sms::modem {

// TP-MTI of a hex PDU that starts with the SMSC field (23.040 9.2.3.1):
// 0 SMS-DELIVER, 1 SMS-SUBMIT, 2 SMS-STATUS-REPORT; -1 when the hex is too
// short or not hex.
int tpdu_type(std::string_view hex_with_smsc) noexcept;

// "SIM busy / not ready yet": SIMCom answers +CMS ERROR: 314 until "SMS
// Ready", ZTE +CME ERROR: 14 just after start, Wavecom +CME ERROR: 515 after
// AT+CFUN=1. Such a command is retried after a pause.
bool is_not_ready(const at::Final& f) noexcept;

// Storage full (+CMS ERROR: 322, 27.005 3.2.5).
bool is_memory_full(const at::Final& f) noexcept;

// An empty slot read with AT+CMGR: +CMS ERROR: 321 (invalid memory index), or
// the bare OK of SIMCom and Huawei firmwares (handled by the caller: no
// +CMGR: line).
bool is_empty_slot(const at::Final& f) noexcept;

// AT+CNMI combinations, most wanted first (27.005 3.4.1: mode,mt,bm,ds,bfr).
// mt=1: deliveries stored, announced with +CMTI (the safe way: read, hand
// over, delete). ds=2: status reports stored, +CDSI; ds=1: direct, +CDS.
// mode 2 first (buffer URCs while the link is busy), then mode 1 for
// Qualcomm/Huawei/ZTE/SIMCom firmwares that advertise mode 2 but reject it.
// The last entry gives up on status reports.
struct CnmiChoice {
  std::string_view command;
  int mt;
  int ds;
};
inline constexpr std::array<CnmiChoice, 5> kCnmiFallbacks{{
    {"AT+CNMI=2,1,0,2,0", 1, 2},
    {"AT+CNMI=2,1,0,1,0", 1, 1},  // SIMCom SIM800 rejects ds=2 with mode 2
    {"AT+CNMI=1,1,0,2,0", 1, 2},
    {"AT+CNMI=1,1,0,1,0", 1, 1},
    {"AT+CNMI=1,1,0,0,0", 1, 0},
}};

// An identity answer line ("+CGMI: SIMCOM_Ltd", " WAVECOM MODEM") as the
// value: prefix and surrounding spaces removed, quotes dropped.
std::string identity_value(std::string_view line);

// Quotes a value for an AT command string parameter: AT+CPIN="1234".
// Characters that would end the string (") or the command line (CR, LF,
// Ctrl-Z, ESC) are dropped; a PIN or SMSC never holds them.
std::string at_quote(std::string_view s);

}  // namespace sms::modem

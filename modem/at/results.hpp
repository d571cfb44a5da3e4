#pragma once
// Parsers for the information text of AT responses and URCs
// (3GPP TS 27.005 and 27.007). Pure; each returns a value or an Error that
// says what was wrong and where; none throws on any input.
//
// Every parser accepts the whole line ("+CSQ: 20,99") or just what follows
// the prefix ("20,99"), tolerates spaces after commas (ZTE) and around the
// line (Wavecom), and ignores extra trailing fields added by later releases.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modem/common/result.hpp"

namespace sms::at {

// ---- Fields ----------------------------------------------------------------

struct Field {
  std::string text;    // unquoted content (quotes removed), spaces around trimmed
  bool quoted = false;
  bool empty() const noexcept { return text.empty() && !quoted; }
};

// Iterates comma-separated values: numbers, "quoted strings" (which may hold
// commas), empty fields (",,"), and parenthesised groups "(0-2)" kept whole.
class FieldReader {
 public:
  explicit FieldReader(std::string_view text) noexcept : rest_(text) {}
  bool done() const noexcept { return done_; }
  // The next field, or nullopt at the end. An unterminated quote yields the
  // rest of the text as the field.
  std::optional<Field> next();
  // The next field as an integer: Error if missing, empty or not a number.
  // `what` names the field in the error ("<rssi>").
  Result<int> next_int(std::string_view what);
  // Optional integer: nullopt when missing or empty, Error when not a number.
  Result<std::optional<int>> next_opt_int(std::string_view what);
  Result<std::string> next_string(std::string_view what);  // quoted or bare, may be empty

 private:
  std::string_view rest_;
  bool started_ = false;
  bool done_ = false;
};

std::vector<Field> split_fields(std::string_view text);

// "+CSQ: 20,99" -> "20,99" (also "+CSQ:20,99", "^RSSI:5"). A line with no
// "<prefix>:" returns itself trimmed.
std::string_view strip_prefix(std::string_view line) noexcept;
// "+CSQ" for "+CSQ: 20,99"; "" when the line has no prefix.
std::string_view prefix_of(std::string_view line) noexcept;
std::string_view trim(std::string_view s) noexcept;
bool is_hex_line(std::string_view line) noexcept;  // non-empty, only hex digits (trailing spaces allowed)

// ---- Typed results ---------------------------------------------------------

// +CMGS: <mr>[,<scts>] (27.005 3.5.1); also +CMGW: <index>, +CMSS: <mr>.
Result<int> parse_cmgs(std::string_view line);

struct SignalQuality {
  int rssi = 99;               // 0..31, 99 unknown
  int ber = 99;                // 0..7, 99 unknown
  std::optional<int> dbm;      // -113 + 2*rssi (27.007 8.5), nullopt if unknown
};
Result<SignalQuality> parse_csq(std::string_view line);
// Huawei ^RSSI:<rssi> URC.
Result<SignalQuality> parse_huawei_rssi(std::string_view line);

struct Registration {
  std::optional<int> n;        // present in the AT+CREG? answer, absent in the URC
  int stat = 0;                // 27.007 7.2: 0 not, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming
  std::string lac, ci;         // hex strings as printed, "" if absent
  std::optional<int> act;
  bool registered() const noexcept { return stat == 1 || stat == 5; }
  bool roaming() const noexcept { return stat == 5; }
};
// +CREG:/+CGREG:/+CEREG: in both shapes: the answer to AT+CREG? (n,stat[,lac,ci[,act]])
// and the URC (stat[,lac,ci[,act]]).
Result<Registration> parse_creg(std::string_view line);
// True when a +CREG:-family line has the URC shape (no <n>).
bool creg_is_urc_shape(std::string_view line);

// +CPIN: <code> (27.007 8.3): "READY", "SIM PIN", "SIM PUK", ...
Result<std::string> parse_cpin(std::string_view line);

struct StorageUse {
  std::string name;            // "SM", "ME", ... ("" when the answer omits names)
  int used = 0, total = 0;
};
// +CPMS: answers (27.005 3.2.2), per storage in order mem1, mem2, mem3:
// the AT+CPMS? form "SM",3,30,"SM",3,30,"SM",3,30, the AT+CPMS=... form
// 3,30,3,30,3,30, and one-storage forms (Wavecom).
Result<std::vector<StorageUse>> parse_cpms(std::string_view line);

struct OperatorInfo {
  int mode = 0;
  std::optional<int> format;   // 0 long alphanumeric, 1 short, 2 numeric
  std::string name;            // "" when not registered ("+COPS: 0")
  std::optional<int> act;
};
Result<OperatorInfo> parse_cops(std::string_view line);  // AT+COPS? (27.007 7.3)

struct ServiceCentre {
  std::string number;          // "+31624000000" ("" if none stored)
  std::optional<int> type;     // 145 international, 129 unknown
};
Result<ServiceCentre> parse_csca(std::string_view line);  // AT+CSCA? (27.005 3.3.1)

struct StoredAt {
  std::string storage;         // "SM", "ME", "SR", "MT"
  int index = 0;               // Huawei starts at 0
};
Result<StoredAt> parse_cmti(std::string_view line);  // +CMTI: "SM",3 and +CDSI: "SR",5 (27.005 3.4.1)

struct ListHeader {
  int index = -1;              // -1 for +CMGR (no index)
  std::optional<int> stat;     // 0 unread, 1 read, 2 unsent, 3 sent; missing on some ZTE
  std::string alpha;
  int length = 0;              // TPDU length in octets (SMSC field excluded)
};
Result<ListHeader> parse_cmgl(std::string_view line);  // +CMGL: <index>,<stat>,[<alpha>],<length>
Result<ListHeader> parse_cmgr(std::string_view line);  // +CMGR: <stat>,[<alpha>],<length>

struct DirectHeader {
  std::string alpha;
  int length = 0;
};
Result<DirectHeader> parse_cmt(std::string_view line);  // +CMT: [<alpha>],<length>
Result<DirectHeader> parse_cds(std::string_view line);  // +CDS: <length>; ZTE +CDS: ,<length>

// AT+CNMI=? answer: +CNMI: (0-2),(0-3),(0,2),(0-2),(0,1) (27.005 3.4.1).
struct CnmiSupport {
  std::vector<std::vector<int>> values;  // per parameter, the values allowed
  bool supports(std::size_t param, int value) const noexcept;
};
Result<CnmiSupport> parse_cnmi_test(std::string_view line);
// A parenthesised list "(0-2,4)" -> {0,1,2,4}; ranges capped at 256 values.
Result<std::vector<int>> parse_range_list(std::string_view text);

Result<int> parse_cmms(std::string_view line);  // +CMMS: <n> (27.005 3.5.6)

}  // namespace sms::at

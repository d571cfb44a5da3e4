#pragma once
// SMS PDU codec: 3GPP TS 23.040 (TPDU layout) and TS 23.038 (alphabets).
// Pure: no I/O, no exceptions from untrusted input, no dependencies beyond the
// standard library. Every decode error says what was wrong and where.
//
// Hex strings are what modems print and accept: upper- or lower-case hex on
// input, upper-case on output. "With SMSC" means the leading SMSC address field
// of 27.005 PDU mode is present (a single "00" for "use the SIM's SMSC").
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "modem/common/result.hpp"

namespace sms::pdu {

enum class Encoding : std::uint8_t { gsm7, eight_bit, ucs2 };
std::string_view to_string(Encoding e);  // "gsm7", "8bit", "ucs2"

// ---- Addresses (23.040 9.1.2.5) -------------------------------------------

struct Address {
  std::string number;      // "+8613800138000", "10086", or an alphanumeric name "ChinaMobile"
  std::uint8_t type = 0x81;  // type-of-address octet (TON/NPI), e.g. 0x91 international
};

// Validates what a user typed as a destination: optional leading '+', then
// 1..20 digits (also '*' and '#'); spaces, dashes and parentheses are ignored.
// Errors name the offending character and its position.
Result<Address> parse_destination(std::string_view text);

// ---- Counting (for user interfaces and the server's part limit) ------------

struct TextCount {
  Encoding encoding = Encoding::gsm7;
  int parts = 1;        // minimum number of parts (1 for an empty text)
  int units = 0;        // septets (gsm7) or UTF-16 code units (ucs2) in the whole text
  int units_left = 0;   // free units in the last part
};
// Fails only for invalid UTF-8.
Result<TextCount> count_text(std::string_view utf8);

// ---- Encode SMS-SUBMIT -----------------------------------------------------

struct SubmitOptions {
  std::string destination;               // as typed; validated with parse_destination
  std::string smsc;                      // empty: "00" (the SIM's SMSC)
  bool status_report = false;            // TP-SRR
  bool flash = false;                    // message class 0
  std::optional<int> validity_minutes;   // relative TP-VP; nullopt: no VP field
  std::uint8_t message_reference = 0;    // TP-MR (most modems replace it)
  std::uint8_t protocol_id = 0;          // TP-PID
  std::uint8_t concat_reference = 0;     // 8-bit IEI 0x00 reference shared by all parts
  std::optional<Encoding> encoding;      // force; default gsm7 if the text fits, else ucs2
};

struct EncodedPart {
  std::string hex;      // SMSC field + TPDU, upper-case hex: what follows AT+CMGS's prompt
  int tpdu_length = 0;  // octets without the SMSC field: the <length> of AT+CMGS=<length>
};
struct EncodedMessage {
  Encoding encoding = Encoding::gsm7;
  std::vector<EncodedPart> parts;  // minimum number of parts; never more than 255
};

// Errors: invalid destination, invalid UTF-8 (with byte offset), text needing
// more than 255 parts, validity out of range.
Result<EncodedMessage> encode_submit(std::string_view utf8_text, const SubmitOptions& opts);
// 8-bit data message (DCS 0x04), split into 140/134-octet parts.
Result<EncodedMessage> encode_submit_data(std::span<const std::uint8_t> data, const SubmitOptions& opts);

// ---- Decode -----------------------------------------------------------------

enum class MessageType { deliver, submit, status_report };
std::string_view to_string(MessageType t);  // "deliver", "submit", "status-report"

struct Timestamp {
  std::int64_t utc_seconds = 0;  // seconds since 1970-01-01 UTC (offset already applied)
  int offset_minutes = 0;        // the time zone the SMSC stated, e.g. +480 for China
};
std::string format_utc(const Timestamp& t);      // "2026-11-23 12:34:56"
std::string format_iso8601(const Timestamp& t);  // "2026-11-23T12:34:56Z"

struct Concat {
  std::uint16_t reference = 0;
  std::uint8_t total = 0;
  std::uint8_t sequence = 0;  // 1-based
  bool reference16 = false;   // IEI 0x08
};

struct Message {
  MessageType type = MessageType::deliver;
  std::string smsc;            // from the leading SMSC field; "" if absent or empty
  Address number;              // originator (deliver), destination (submit), recipient (status report)
  std::uint8_t protocol_id = 0;
  std::uint8_t dcs = 0;
  Encoding encoding = Encoding::gsm7;
  int message_class = -1;      // 0..3, -1 when the DCS gives none
  bool compressed = false;     // 23.038 compression: text left empty, see `error_note`
  bool message_waiting = false;  // DCS groups 1100..1110 (23.038 4): a voicemail-style indication
  std::string text;            // UTF-8 (gsm7 and ucs2)
  std::vector<std::uint8_t> data;  // user data without the UDH (8-bit messages; empty otherwise)
  std::optional<Concat> concat;
  bool more_messages_to_send = false;  // deliver: TP-MMS inverted (true = more follow)
  bool status_report_request = false;  // submit: SRR; deliver: SRI
  bool reply_path = false;
  std::optional<Timestamp> scts;       // deliver, status report
  std::optional<Timestamp> discharge;  // status report
  std::optional<int> validity_minutes; // submit with a relative VP
  int message_reference = -1;          // submit, status report
  int status = -1;                     // TP-ST (status report)
  // The user data is shorter than TP-UDL says (some modems cut long PDUs).
  // `text` / `data` hold what is there: whole septets (gsm7), whole UTF-16 code
  // units (ucs2) or octets (8-bit); `error_note` says how much was missing.
  // A cut inside the user data header stays an error: no text can be placed.
  bool truncated = false;
  std::string error_note;              // non-fatal oddity, e.g. "compressed text not supported"
};

// detect: tries both readings; one whose lengths account for every octet wins,
// then a complete one with octets left over (modems pad with FF), then one
// that misses something (`truncated`, or dropped parameters said in
// `error_note`); a tie goes to the reading with the SMSC field. After TP-ST of
// a status report everything is optional: parameters there that do not fit
// are dropped with a note.
enum class SmscField { detect, present, absent };
Result<Message> decode(std::string_view hex, SmscField smsc = SmscField::detect);
Result<Message> decode(std::span<const std::uint8_t> bytes, bool has_smsc);

// TP-ST (23.040 9.2.3.15)
enum class StatusClass { delivered, pending, failed };
StatusClass classify_status(int tp_st);
std::string_view describe_status(int tp_st);  // "delivered", "no response from SME", ...

// Octets of the TPDU in a hex PDU that starts with the SMSC field.
Result<int> tpdu_length(std::string_view hex_with_smsc);

// ---- Encode SMS-DELIVER and SMS-STATUS-REPORT --------------------------------
// The network side: used by the modem simulator and by tests.

struct DeliverOptions {
  std::string originator;   // "+86...", "10086" or an alphanumeric name (packed 7-bit, TON 5)
  std::string smsc = "+8613800100500";
  Timestamp scts;
  std::optional<Encoding> encoding;  // default: gsm7 if it fits, else ucs2
  std::uint16_t concat_reference = 0;
  bool concat16 = false;             // use IEI 0x08
  int message_class = -1;
  bool status_report_indication = false;
};
// One hex PDU (with SMSC field) per part.
Result<std::vector<std::string>> encode_deliver(std::string_view utf8_text, const DeliverOptions& opts);

struct StatusReportOptions {
  std::string smsc = "+8613800100500";
  std::string recipient;
  std::uint8_t message_reference = 0;
  Timestamp scts;
  Timestamp discharge;
  std::uint8_t status = 0;  // TP-ST
};
Result<std::string> encode_status_report(const StatusReportOptions& opts);

// ---- UTF-8 helpers used by the server's row validation -----------------------
// Returns an error naming the byte offset of the first invalid sequence.
Result<std::u16string> utf8_to_utf16(std::string_view utf8);

}  // namespace sms::pdu

// smsctl pdu: encode SMS-SUBMIT PDUs as a modem wants them for AT+CMGS, and
// decode any PDU a modem prints (+CMGL, +CMGR, +CMT, +CDS) or we sent.
#include <cstdio>
#include <optional>
#include <string>

#include "modem/common/json.hpp"
#include "modem/pdu/pdu.hpp"
#include "tools/smsctl/args.hpp"
#include "tools/smsctl/commands.hpp"

namespace smsctl {
namespace {

namespace pdu = sms::pdu;
using sms::json::quote;

constexpr const char* kUsage = R"(usage: smsctl pdu encode --to NUMBER [OPTIONS] TEXT
       smsctl pdu decode [--json] [--no-smsc] HEX
       smsctl pdu count TEXT
       smsctl pdu deliver --from ORIGINATOR [OPTIONS] TEXT   (network side, for simulators and tests)
       smsctl pdu report --to RECIPIENT --mr N --status N [OPTIONS]

Encode, decode and measure SMS PDUs (3GPP TS 23.040). No modem or database needed.
"smsctl pdu encode --help" and "smsctl pdu decode --help" explain each command.
)";

constexpr const char* kEncodeUsage = R"(usage: smsctl pdu encode --to NUMBER [OPTIONS] TEXT

Prints the SMS-SUBMIT PDUs for TEXT (UTF-8), one per line, as AT+CMGS expects
them after its prompt: SMSC field first ("00" = the SIM's SMSC). GSM 7-bit is
used when every character fits it, UCS2 otherwise; long texts are split into
the minimum number of concatenated parts. Several TEXT words are joined with
single spaces; put "--" before a TEXT that starts with "--".

Options:
  --to NUMBER          destination: +8613800138000, 13800138000, 10086 ...
  --srr                request a status report (TP-SRR)
  --flash              class 0 ("flash") message
  --validity MINUTES   relative validity period (5 minutes .. 63 weeks; rounded up)
  --ref N              concatenation reference shared by the parts (0..255, default 0)
  --mr N               TP-MR message reference (0..255, default 0)
  --smsc NUMBER        put this SMSC in the PDU instead of "00"
  --encoding E         force gsm7, ucs2 or 8bit
  --json               print {"encoding":"gsm7"|"ucs2"|"8bit","parts":[{"pdu":"HEX","tpdu_length":N},...]}
                       where tpdu_length is the <length> of AT+CMGS=<length>
)";

constexpr const char* kDecodeUsage = R"(usage: smsctl pdu decode [--json] [--no-smsc | --smsc] HEX

Decodes an SMS-DELIVER, SMS-SUBMIT or SMS-STATUS-REPORT PDU given in hex.
Whether the PDU starts with the SMSC field (as modems print it) is detected;
--no-smsc or --smsc say it instead.

Options:
  --json      one JSON object: type ("deliver"/"submit"/"status-report"),
              number, number_type, text, truncated (true when the PDU holds
              less user data than its TP-UDL says: the text is what is there),
              encoding, dcs, pid, status_report_request, more_messages
              (deliver), and where present smsc, timestamp (UTC, ISO 8601),
              timestamp_offset_minutes, class, compressed, message_waiting,
              concat {"ref","total","seq"[,"ref16"]}, mr, validity_minutes,
              status, status_text, status_class, discharge_time, data (hex,
              8-bit messages), note
  --no-smsc   the PDU is a bare TPDU
  --smsc      the PDU starts with the SMSC field
)";

constexpr const char* kCountUsage = R"(usage: smsctl pdu count [--json] TEXT

Prints the alphabet, the number of parts and the units (septets or UTF-16
code units) left in the last part, as a user interface would show them.
)";

constexpr const char* kDeliverUsage = R"(usage: smsctl pdu deliver --from ORIGINATOR [OPTIONS] TEXT

Prints the SMS-DELIVER PDUs an SMSC would send for TEXT, one per line, SMSC
field first (what a modem prints after +CMT or +CMGR). For simulators and tests.

Options:
  --from ORIGINATOR  +8613800138000, 10086 or an alphanumeric name (at most 11 GSM characters)
  --smsc NUMBER      SMSC in the PDU (default +8613800100500; "" for none)
  --time SECONDS     SCTS as Unix time (default 0)
  --offset MINUTES   the SMSC's time zone, a multiple of 15 (default 0)
  --class N          message class 0..3
  --ref N            concatenation reference (0..65535)
  --ref16            use 16-bit concatenation references (IEI 0x08)
  --encoding E       force gsm7, ucs2 or 8bit
)";

constexpr const char* kReportUsage = R"(usage: smsctl pdu report --to RECIPIENT --mr N --status N [OPTIONS]

Prints the SMS-STATUS-REPORT PDU an SMSC would send (SMSC field first).

Options:
  --to RECIPIENT     the number the reported message was sent to
  --mr N             TP-MR of the reported message (0..255)
  --status N         TP-ST (0 delivered, 0x20.. pending, 0x40.. failed; 0..255)
  --smsc NUMBER      SMSC in the PDU (default +8613800100500)
  --time SECONDS     SCTS as Unix time (default 0)
  --discharge SECONDS  discharge time as Unix time (default: --time)
  --offset MINUTES   the SMSC's time zone, a multiple of 15 (default 0)
)";

bool wants_help(const Words& args) {
  for (const auto& a : args)
    if (a == "--help" || a == "-h") return true;
  return false;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out.push_back(' ');
    out += words[i];
  }
  return out;
}

int fail(const std::string& what) {
  std::fprintf(stderr, "smsctl pdu: %s\n", what.c_str());
  return 1;
}

std::optional<pdu::Encoding> encoding_option(const Args& args) {
  auto e = args.get("encoding");
  if (!e) return std::nullopt;
  if (*e == "gsm7") return pdu::Encoding::gsm7;
  if (*e == "ucs2") return pdu::Encoding::ucs2;
  if (*e == "8bit") return pdu::Encoding::eight_bit;
  throw UsageError("option --encoding: '" + *e + "' is not gsm7, ucs2 or 8bit");
}

int deliver(const Words& words) {
  if (wants_help(words)) {
    std::fputs(kDeliverUsage, stdout);
    return 0;
  }
  Args args(words, {"from", "smsc", "time", "offset", "class", "ref", "encoding"}, {"ref16"});
  auto from = args.get("from");
  if (!from) throw UsageError("missing --from ORIGINATOR");
  if (args.positional().empty()) throw UsageError("missing TEXT (use \"\" for an empty message)");
  pdu::DeliverOptions o;
  o.originator = *from;
  if (auto v = args.get("smsc")) o.smsc = *v;
  o.scts.utc_seconds = args.get_int("time", 0, 4102444800LL).value_or(0);
  o.scts.offset_minutes = static_cast<int>(args.get_int("offset", -79 * 15, 79 * 15).value_or(0));
  o.message_class = static_cast<int>(args.get_int("class", 0, 3).value_or(-1));
  o.concat_reference = static_cast<std::uint16_t>(args.get_int("ref", 0, 65535).value_or(0));
  o.concat16 = args.flag("ref16");
  o.encoding = encoding_option(args);
  auto r = pdu::encode_deliver(join(args.positional()), o);
  if (!r) return fail(r.error());
  for (const auto& hex : *r) std::printf("%s\n", hex.c_str());
  return 0;
}

int report(const Words& words) {
  if (wants_help(words)) {
    std::fputs(kReportUsage, stdout);
    return 0;
  }
  Args args(words, {"to", "mr", "status", "smsc", "time", "discharge", "offset"}, {});
  auto to = args.get("to");
  if (!to) throw UsageError("missing --to RECIPIENT");
  auto mr = args.get_int("mr", 0, 255);
  if (!mr) throw UsageError("missing --mr N");
  auto st = args.get_int("status", 0, 255);
  if (!st) throw UsageError("missing --status N");
  if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  pdu::StatusReportOptions o;
  o.recipient = *to;
  o.message_reference = static_cast<std::uint8_t>(*mr);
  o.status = static_cast<std::uint8_t>(*st);
  if (auto v = args.get("smsc")) o.smsc = *v;
  const int offset = static_cast<int>(args.get_int("offset", -79 * 15, 79 * 15).value_or(0));
  o.scts = {args.get_int("time", 0, 4102444800LL).value_or(0), offset};
  o.discharge = {args.get_int("discharge", 0, 4102444800LL).value_or(o.scts.utc_seconds), offset};
  auto r = pdu::encode_status_report(o);
  if (!r) return fail(r.error());
  std::printf("%s\n", r->c_str());
  return 0;
}

int encode(const Words& words) {
  if (wants_help(words)) {
    std::fputs(kEncodeUsage, stdout);
    return 0;
  }
  Args args(words, {"to", "validity", "ref", "mr", "smsc", "encoding"}, {"srr", "flash", "json"});
  auto to = args.get("to");
  if (!to) throw UsageError("missing --to NUMBER");
  if (args.positional().empty()) throw UsageError("missing TEXT (use \"\" for an empty message)");
  pdu::SubmitOptions o;
  o.destination = *to;
  o.smsc = args.get_or("smsc", "");
  o.status_report = args.flag("srr");
  o.flash = args.flag("flash");
  if (auto v = args.get_int("validity", 1, 1000000000)) o.validity_minutes = static_cast<int>(*v);
  if (auto v = args.get_int("ref", 0, 255)) o.concat_reference = static_cast<std::uint8_t>(*v);
  if (auto v = args.get_int("mr", 0, 255)) o.message_reference = static_cast<std::uint8_t>(*v);
  o.encoding = encoding_option(args);
  auto r = pdu::encode_submit(join(args.positional()), o);
  if (!r) return fail(r.error());
  if (args.flag("json")) {
    std::string out = "{\"encoding\":" + quote(pdu::to_string(r->encoding)) + ",\"parts\":[";
    for (std::size_t i = 0; i < r->parts.size(); ++i) {
      if (i) out.push_back(',');
      out += "{\"pdu\":" + quote(r->parts[i].hex) + ",\"tpdu_length\":" + std::to_string(r->parts[i].tpdu_length) +
             "}";
    }
    out += "]}\n";
    std::fputs(out.c_str(), stdout);
  } else {
    for (const auto& p : r->parts) std::printf("%s\n", p.hex.c_str());
  }
  return 0;
}

std::string hex_of(const std::vector<std::uint8_t>& data) {
  static const char* digits = "0123456789ABCDEF";
  std::string s;
  for (auto b : data) {
    s.push_back(digits[b >> 4]);
    s.push_back(digits[b & 15]);
  }
  return s;
}

std::string status_class(int st) {
  switch (pdu::classify_status(st)) {
    case pdu::StatusClass::delivered: return "delivered";
    case pdu::StatusClass::pending: return "pending";
    case pdu::StatusClass::failed: return "failed";
  }
  return "failed";
}

std::string to_json(const pdu::Message& m) {
  std::string o = "{\"type\":" + quote(pdu::to_string(m.type));
  auto field = [&o](const char* key, const std::string& raw_json) {
    o += ",\"";
    o += key;
    o += "\":";
    o += raw_json;
  };
  field("number", quote(m.number.number));
  field("number_type", std::to_string(m.number.type));
  if (!m.smsc.empty()) field("smsc", quote(m.smsc));
  field("text", quote(m.text));
  field("truncated", m.truncated ? "true" : "false");
  field("encoding", quote(pdu::to_string(m.encoding)));
  field("dcs", std::to_string(m.dcs));
  field("pid", std::to_string(m.protocol_id));
  if (m.message_class >= 0) field("class", std::to_string(m.message_class));
  if (m.compressed) field("compressed", "true");
  if (m.message_waiting) field("message_waiting", "true");
  if (m.scts) {
    field("timestamp", quote(pdu::format_iso8601(*m.scts)));
    field("timestamp_offset_minutes", std::to_string(m.scts->offset_minutes));
  }
  if (m.discharge) field("discharge_time", quote(pdu::format_iso8601(*m.discharge)));
  if (m.concat)
    field("concat", "{\"ref\":" + std::to_string(m.concat->reference) + ",\"total\":" +
                        std::to_string(m.concat->total) + ",\"seq\":" + std::to_string(m.concat->sequence) +
                        (m.concat->reference16 ? ",\"ref16\":true}" : "}"));
  field("status_report_request", m.status_report_request ? "true" : "false");
  if (m.type == pdu::MessageType::deliver) field("more_messages", m.more_messages_to_send ? "true" : "false");
  if (m.message_reference >= 0) field("mr", std::to_string(m.message_reference));
  if (m.validity_minutes) field("validity_minutes", std::to_string(*m.validity_minutes));
  if (m.status >= 0) {
    field("status", std::to_string(m.status));
    field("status_text", quote(pdu::describe_status(m.status)));
    field("status_class", quote(status_class(m.status)));
  }
  if (m.encoding == pdu::Encoding::eight_bit || m.compressed) field("data", quote(hex_of(m.data)));
  if (!m.error_note.empty()) field("note", quote(m.error_note));
  o += "}\n";
  return o;
}

void print_text(const pdu::Message& m) {
  std::printf("type: %s\n", std::string(pdu::to_string(m.type)).c_str());
  if (!m.smsc.empty()) std::printf("smsc: %s\n", m.smsc.c_str());
  const char* role = m.type == pdu::MessageType::deliver  ? "from"
                     : m.type == pdu::MessageType::submit ? "to"
                                                          : "recipient";
  std::printf("%s: %s (type 0x%02X)\n", role, m.number.number.c_str(), m.number.type);
  std::printf("encoding: %s (DCS 0x%02X)\n", std::string(pdu::to_string(m.encoding)).c_str(), m.dcs);
  if (m.message_class >= 0) std::printf("class: %d\n", m.message_class);
  if (m.scts)
    std::printf("timestamp: %s UTC (sender's offset %+d min)\n", pdu::format_utc(*m.scts).c_str(),
                m.scts->offset_minutes);
  if (m.discharge) std::printf("discharge time: %s UTC\n", pdu::format_utc(*m.discharge).c_str());
  if (m.concat)
    std::printf("part: %d of %d (reference %d%s)\n", m.concat->sequence, m.concat->total, m.concat->reference,
                m.concat->reference16 ? ", 16-bit" : "");
  if (m.message_reference >= 0) std::printf("message reference: %d\n", m.message_reference);
  if (m.status_report_request) std::printf("status report requested: yes\n");
  if (m.validity_minutes) std::printf("validity: %d minutes\n", *m.validity_minutes);
  if (m.status >= 0)
    std::printf("status: %d (%s, %s)\n", m.status, std::string(pdu::describe_status(m.status)).c_str(),
                status_class(m.status).c_str());
  if (m.encoding == pdu::Encoding::eight_bit || m.compressed) std::printf("data: %s\n", hex_of(m.data).c_str());
  if (!m.error_note.empty()) std::printf("note: %s\n", m.error_note.c_str());
  if (m.truncated) std::printf("truncated: yes, the PDU holds less user data than TP-UDL says; the text is incomplete\n");
  if (m.type != pdu::MessageType::status_report || !m.text.empty()) std::printf("text: %s\n", m.text.c_str());
}

int decode(const Words& words) {
  if (wants_help(words)) {
    std::fputs(kDecodeUsage, stdout);
    return 0;
  }
  Args args(words, {}, {"json", "no-smsc", "smsc"});
  if (args.positional().size() != 1) throw UsageError("expected exactly one HEX argument");
  if (args.flag("no-smsc") && args.flag("smsc")) throw UsageError("--smsc and --no-smsc exclude each other");
  const auto mode = args.flag("no-smsc") ? pdu::SmscField::absent
                    : args.flag("smsc")  ? pdu::SmscField::present
                                         : pdu::SmscField::detect;
  auto m = pdu::decode(args.positional()[0], mode);
  if (!m) return fail(m.error());
  if (args.flag("json"))
    std::fputs(to_json(*m).c_str(), stdout);
  else
    print_text(*m);
  return 0;
}

int count(const Words& words) {
  if (wants_help(words)) {
    std::fputs(kCountUsage, stdout);
    return 0;
  }
  Args args(words, {}, {"json"});
  auto c = pdu::count_text(join(args.positional()));
  if (!c) return fail(c.error());
  const std::string enc(pdu::to_string(c->encoding));
  if (args.flag("json"))
    std::printf("{\"encoding\":\"%s\",\"parts\":%d,\"units\":%d,\"units_left\":%d}\n", enc.c_str(), c->parts,
                c->units, c->units_left);
  else
    std::printf("%s, %d part%s, %d %s, %d left in the last part\n", enc.c_str(), c->parts, c->parts == 1 ? "" : "s",
                c->units, c->encoding == pdu::Encoding::ucs2 ? "UTF-16 units" : "septets", c->units_left);
  return 0;
}

}  // namespace

int cmd_pdu(const Context&, const Words& args) {
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string& sub = args[0];
  const Words rest(args.begin() + 1, args.end());
  if (sub == "encode") return encode(rest);
  if (sub == "decode") return decode(rest);
  if (sub == "count") return count(rest);
  if (sub == "deliver") return deliver(rest);
  if (sub == "report") return report(rest);
  if (sub == "--help" || sub == "-h" || sub == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  throw UsageError("unknown pdu command '" + sub + "' (encode, decode, count, deliver or report)");
}

}  // namespace smsctl

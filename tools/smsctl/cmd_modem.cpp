// smsctl modem: talk to a modem directly (no database, no server): identity
// and network state, send a message, list stored messages. The first tool a
// user reaches for when a modem "does not work", so every failure says what
// is wrong in plain words.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "modem/common/json.hpp"
#include "modem/pdu/pdu.hpp"
#include "tools/smsctl/args.hpp"
#include "tools/smsctl/commands.hpp"
#include "tools/smsctl/modem_session.hpp"

namespace smsctl {
namespace {

using sms::json::quote;
using sms::modem::Failure;
using sms::modem::Incoming;
using sms::modem::SendOutcome;

constexpr const char* kUsage = R"(usage: smsctl modem info --port P [--baud B] [--pin PIN] [--json]
       smsctl modem send --port P [--baud B] [--pin PIN] --to NUMBER [--srr] [--flash] TEXT
       smsctl modem list --port P [--baud B] [--pin PIN] [--json]

Talk to a GSM modem directly, without the database or a running server (stop
smserver first if it uses the same port: a port is never shared).
P is a serial device (/dev/ttyUSB0, /dev/serial/by-id/...), a pseudo-terminal,
or tcp://host:port (ser2net). The PIN is entered only if the SIM asks for it.
"smsctl modem info --help" and so on explain each command.
)";

constexpr const char* kCommonOptions = R"(
Port options:
  --port P       serial device, pty or tcp://host:port (required)
  --baud B       serial speed (default 115200)
  --pin PIN      SIM PIN, entered only if the SIM asks for it, and only once
  --trace        print every byte exchanged with the modem to stderr
)";

constexpr const char* kInfoUsage = R"(usage: smsctl modem info --port P [--baud B] [--pin PIN] [--json]

Initialises the modem and prints its identity, SIM state, network
registration, operator, signal strength (also in dBm), SMS service centre and
message storage use. Waits up to --wait seconds (default 20) for registration.

Options:
  --json         one JSON object: manufacturer, model, revision, imei, imsi,
                 sim, registered, roaming, operator, rssi, signal_dbm, smsc,
                 storage_used, storage_total, state
  --wait S       seconds to wait for network registration (default 20)
)";

constexpr const char* kSendUsage = R"(usage: smsctl modem send --port P [--baud B] [--pin PIN] --to NUMBER [--srr] [--flash] TEXT

Sends TEXT (UTF-8; several words are joined with spaces) in as many parts as
needed and prints the message reference of each part.

Options:
  --to NUMBER    destination, e.g. +8613800138000
  --srr          request a status report
  --flash        class 0 ("flash") message
  --wait S       seconds to wait for network registration (default 60)
)";

constexpr const char* kListUsage = R"(usage: smsctl modem list --port P [--baud B] [--pin PIN] [--json]

Lists the messages stored on the modem (SIM storage), decoded: index, status,
sender, time (UTC) and text; status reports with their recipient and status.
Nothing is deleted or marked read by smsctl (the modem itself marks listed
messages read).

Options:
  --json         a JSON array of objects: index, status, type, number, time, text
                 (status reports: reference, report_status, report_text)
)";

const std::set<std::string> kValueOptions{"port", "baud", "pin", "to", "wait"};
const std::set<std::string> kFlags{"json", "srr", "flash", "help", "trace"};

PortOptions port_options(const Args& a, long long default_wait) {
  PortOptions p;
  auto port = a.get("port");
  if (!port || port->empty()) throw UsageError("--port is required (e.g. --port /dev/ttyUSB0)");
  p.port = *port;
  if (auto b = a.get_int("baud", 300, 4000000)) p.baud = static_cast<unsigned>(*b);
  p.pin = a.get_or("pin", "");
  p.trace = a.flag("trace");
  p.registration = std::chrono::seconds(a.get_int("wait", 0, 3600).value_or(default_wait));
  return p;
}

std::string yes_no(bool b) { return b ? "true" : "false"; }

std::string stat_name(int stat) {
  switch (stat) {  // 27.005 3.1 <stat> in PDU mode
    case 0: return "unread";
    case 1: return "read";
    case 2: return "unsent";
    case 3: return "sent";
    default: return "unknown";
  }
}

int fail(const std::string& what) {
  std::fprintf(stderr, "smsctl modem: %s\n", what.c_str());
  return 1;
}

// ---- info ----

int info(const Args& a) {
  if (a.flag("help")) {
    std::fputs(kInfoUsage, stdout);
    std::fputs(kCommonOptions, stdout);
    return 0;
  }
  const PortOptions p = port_options(a, 20);
  ModemSession s(p);
  if (auto err = s.open(p.registration + std::chrono::seconds(90))) return fail(*err);
  const auto& i = s.modem().info();
  const std::string state(sms::modem::to_string(s.modem().state()));
  if (a.flag("json")) {
    std::printf(
        "{\"manufacturer\":%s,\"model\":%s,\"revision\":%s,\"imei\":%s,\"imsi\":%s,\"sim\":%s,\"registered\":%s,"
        "\"roaming\":%s,\"operator\":%s,\"rssi\":%d,\"signal_dbm\":%s,\"smsc\":%s,\"storage_used\":%d,"
        "\"storage_total\":%d,\"state\":%s}\n",
        quote(i.manufacturer).c_str(), quote(i.model).c_str(), quote(i.revision).c_str(), quote(i.imei).c_str(),
        quote(i.imsi).c_str(), quote(i.sim).c_str(), yes_no(i.registered).c_str(), yes_no(i.roaming).c_str(),
        quote(i.operator_name).c_str(), i.rssi, i.signal_dbm ? std::to_string(*i.signal_dbm).c_str() : "null",
        quote(i.smsc).c_str(), i.storage_used, i.storage_total, quote(state).c_str());
    return 0;
  }
  const std::string signal = i.signal_dbm ? fmt::format("{} dBm (rssi {})", *i.signal_dbm, i.rssi)
                                          : fmt::format("unknown (rssi {})", i.rssi);
  const std::string reg = i.registered ? (i.roaming ? "yes (roaming)" : "yes (home network)") : "NO";
  std::printf("port:          %s at %u baud\n", p.port.c_str(), p.baud);
  std::printf("manufacturer:  %s\n", i.manufacturer.c_str());
  std::printf("model:         %s\n", i.model.c_str());
  std::printf("revision:      %s\n", i.revision.c_str());
  std::printf("IMEI:          %s\n", i.imei.c_str());
  std::printf("IMSI:          %s\n", i.imsi.c_str());
  std::printf("SIM:           %s\n", i.sim.c_str());
  std::printf("registered:    %s\n", reg.c_str());
  std::printf("operator:      %s\n", i.operator_name.empty() ? "-" : i.operator_name.c_str());
  std::printf("signal:        %s\n", signal.c_str());
  std::printf("SMSC:          %s\n", i.smsc.empty() ? "- (none stored on the SIM)" : i.smsc.c_str());
  if (i.storage_total >= 0) std::printf("storage:       %d of %d used\n", i.storage_used, i.storage_total);
  std::printf("state:         %s\n", state.c_str());
  if (!i.registered)
    std::fprintf(stderr, "smsctl modem: not registered to a network within %lld s (antenna? SIM active? coverage?)\n",
                 static_cast<long long>(p.registration.count()));
  return 0;
}

// ---- send ----

int send(const Args& a) {
  if (a.flag("help")) {
    std::fputs(kSendUsage, stdout);
    std::fputs(kCommonOptions, stdout);
    return 0;
  }
  const PortOptions p = port_options(a, 60);
  auto to = a.get("to");
  if (!to) throw UsageError("--to NUMBER is required");
  if (a.positional().empty()) throw UsageError("the TEXT to send is missing");
  std::string text;
  for (const auto& w : a.positional()) text += (text.empty() ? "" : " ") + w;
  sms::pdu::SubmitOptions opts;
  opts.destination = *to;
  opts.status_report = a.flag("srr");
  opts.flash = a.flag("flash");
  opts.concat_reference = static_cast<std::uint8_t>(std::chrono::steady_clock::now().time_since_epoch().count() & 0xFF);
  auto enc = sms::pdu::encode_submit(text, opts);
  if (!enc) throw UsageError(enc.error());

  ModemSession s(p);
  if (auto err = s.open(p.registration + std::chrono::seconds(90))) return fail(*err);
  if (s.modem().state() == sms::modem::State::not_registered)
    return fail(fmt::format("not registered to a network after {} s (antenna? SIM active? coverage?); nothing sent",
                            p.registration.count()));
  std::vector<sms::modem::PduToSend> parts;
  for (const auto& part : enc->parts) parts.push_back({part.hex, part.tpdu_length});
  std::optional<SendOutcome> out;
  s.modem().send(parts, false, nullptr, [&](const SendOutcome& o) { out = o; });
  const auto guard = std::chrono::seconds(90 * static_cast<long>(parts.size()) + 30);
  if (!s.run_until([&] { return out.has_value(); }, std::chrono::duration_cast<std::chrono::seconds>(guard)))
    return fail("no outcome from the modem in time; the message may or may not have been sent");
  std::string refs;
  for (int r : out->references) refs += (refs.empty() ? "" : ", ") + std::to_string(r);
  if (out->failure != Failure::none) {
    std::string msg = fmt::format("sending failed ({}): {}", sms::modem::to_string(out->failure), out->error);
    if (out->parts_accepted > 0)
      msg += fmt::format("; {} of {} parts were accepted (references {})", out->parts_accepted, parts.size(), refs);
    if (out->uncertain) msg += "; the last part may have been sent (no answer after it was handed over)";
    return fail(msg);
  }
  std::printf("sent %zu part%s to %s; message reference%s: %s\n", parts.size(), parts.size() == 1 ? "" : "s",
              to->c_str(), out->references.size() == 1 ? "" : "s", refs.c_str());
  return 0;
}

// ---- list ----

int list(const Args& a) {
  if (a.flag("help")) {
    std::fputs(kListUsage, stdout);
    std::fputs(kCommonOptions, stdout);
    return 0;
  }
  PortOptions p = port_options(a, 0);  // listing needs no network
  ModemSession s(p);
  if (auto err = s.open(p.registration + std::chrono::seconds(90))) return fail(*err);
  std::optional<sms::Result<std::vector<Incoming>>> got;
  s.modem().list_stored([&](sms::Result<std::vector<Incoming>> r) { got = std::move(r); });
  if (!s.run_until([&] { return got.has_value(); }, std::chrono::seconds(120)))
    return fail("the modem did not list its messages in time");
  if (!got->ok()) return fail("listing failed: " + got->error());
  const bool json = a.flag("json");
  if (json) std::fputs("[", stdout);
  bool first = true;
  for (const auto& m : got->value()) {
    auto d = sms::pdu::decode(m.pdu);
    std::string type = "unreadable", number, time, text, extra;
    if (d) {
      type = std::string(sms::pdu::to_string(d->type));
      number = d->number.number;
      if (d->scts) time = sms::pdu::format_utc(*d->scts);
      text = d->text;
      if (d->concat) extra = fmt::format(" [part {}/{} ref {}]", d->concat->sequence, d->concat->total, d->concat->reference);
      if (d->type == sms::pdu::MessageType::status_report)
        text = fmt::format("report for reference {}: {}", d->message_reference, sms::pdu::describe_status(d->status));
    } else {
      text = d.error();
    }
    if (json) {
      std::printf("%s\n {\"index\":%d,\"status\":%s,\"type\":%s,\"number\":%s,\"time\":%s,\"text\":%s", first ? "" : ",",
                  m.index, quote(stat_name(m.stat)).c_str(), quote(type).c_str(), quote(number).c_str(),
                  quote(time).c_str(), quote(text).c_str());
      if (d && d->concat)
        std::printf(",\"concat\":{\"reference\":%d,\"total\":%d,\"sequence\":%d}", d->concat->reference,
                    d->concat->total, d->concat->sequence);
      if (d && d->type == sms::pdu::MessageType::status_report)
        std::printf(",\"reference\":%d,\"report_status\":%d", d->message_reference, d->status);
      std::fputs("}", stdout);
    } else {
      std::printf("#%-3d %-6s %-13s %-16s %s UTC%s\n     %s\n", m.index, stat_name(m.stat).c_str(), type.c_str(),
                  number.empty() ? "-" : number.c_str(), time.empty() ? "-" : time.c_str(), extra.c_str(), text.c_str());
    }
    first = false;
  }
  if (json)
    std::fputs(first ? "]\n" : "\n]\n", stdout);
  else if (first)
    std::puts("no messages stored");
  return 0;
}

}  // namespace

int cmd_modem(const Context&, const Words& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string sub = args[0];
  const Words rest(args.begin() + 1, args.end());
  try {
    const Args a(rest, kValueOptions, kFlags);
    if (sub == "info") return info(a);
    if (sub == "send") return send(a);
    if (sub == "list") return list(a);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "smsctl modem %s: %s (try smsctl modem %s --help)\n", sub.c_str(), e.what(), sub.c_str());
    return 2;
  }
  std::fprintf(stderr, "smsctl modem: unknown command '%s' (info, send or list; try smsctl modem --help)\n",
               sub.c_str());
  return 2;
}

}  // namespace smsctl

#include "src/dispatch/inbound.hpp"

#include <fmt/format.h>

#include "modem/common/log.hpp"
#include "modem/pdu/pdu.hpp"

namespace sms::dispatch {
namespace {

std::string hex_of(const std::vector<std::uint8_t>& data) {
  static const char* digits = "0123456789ABCDEF";
  std::string s;
  s.reserve(data.size() * 2);
  for (auto b : data) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

InboundOutcome store_part(db::Store& store, const db::InboundPart& part) {
  InboundOutcome out;
  auto r = store.store_inbound(part);
  out.committed = true;
  if (r.kind == db::StoreResult::Kind::stored) out.inbox_id = r.inbox_id;
  if (r.kind == db::StoreResult::Kind::duplicate)
    log::info(part.modem, "re-delivered message from {} recognised as a duplicate; not stored again", part.sender);
  return out;
}

}  // namespace

InboundOutcome handle_incoming(db::Store& store, const std::string& modem_id, const modem::Incoming& msg) {
  try {
    auto decoded = pdu::decode(msg.pdu, pdu::SmscField::present);
    if (!decoded) {
      // Keep it: an inbox row with the raw PDU and the reason, so a person can look.
      log::warn(modem_id, "undecodable PDU (index {} {}): {}; stored as is", msg.index, msg.storage, decoded.error());
      db::InboundPart p;
      p.modem = modem_id;
      p.text = fmt::format("[undecodable PDU: {}]", decoded.error());
      p.received_at = db::utc_now();
      p.pdu = msg.pdu;
      return store_part(store, p);
    }
    const pdu::Message& m = *decoded;
    if (m.type == pdu::MessageType::status_report) {
      InboundOutcome out;
      out.status_report = true;
      const int st = m.status;
      const auto cls = pdu::classify_status(st);
      const std::string discharge = m.discharge ? pdu::format_utc(*m.discharge) : db::utc_now();
      out.outbox_id = store.apply_status_report(modem_id, m.message_reference, m.number.number, st,
                                                pdu::describe_status(st), cls == pdu::StatusClass::delivered,
                                                cls != pdu::StatusClass::pending, discharge);
      if (out.outbox_id)
        log::info(modem_id, "status report for outbox row {}: {}", *out.outbox_id, pdu::describe_status(st));
      else
        log::info(modem_id, "status report (reference {}, {}) matched no sent message", m.message_reference,
                  m.number.number);
      out.committed = true;
      return out;
    }
    if (m.type != pdu::MessageType::deliver) {
      log::warn(modem_id, "received a {} PDU where a deliver was expected; stored as is", pdu::to_string(m.type));
    }
    db::InboundPart p;
    p.modem = modem_id;
    p.sender = m.number.number;
    p.smsc = m.smsc;
    p.text = m.text;
    if (m.encoding == pdu::Encoding::eight_bit && m.text.empty() && !m.data.empty())
      p.text = "[8-bit data: " + hex_of(m.data) + "]";
    if (!m.error_note.empty()) p.text += (p.text.empty() ? "" : " ") + std::string("[") + m.error_note + "]";
    p.received_at = m.scts ? pdu::format_utc(*m.scts) : db::utc_now();
    p.pdu = msg.pdu;
    // Some modems cut long PDUs: keep what decoded, flagged, with the raw PDU.
    p.truncated = m.truncated;
    if (m.truncated) log::warn(modem_id, "PDU from {} cut short by the modem: {}; stored what is there", p.sender,
                               m.error_note);
    if (m.concat && m.concat->total > 1) {
      p.ref = m.concat->reference;
      p.total = m.concat->total;
      p.seq = m.concat->sequence;
    }
    return store_part(store, p);
  } catch (const std::exception& e) {
    log::error(modem_id, "could not store a received message (kept on the modem, offered again): {}", e.what());
    return {};
  }
}

std::vector<std::string> receive_environment(const db::InRow& row) {
  return {
      "SMS_ID=" + std::to_string(row.id),
      "SMS_SENDER=" + row.sender,
      "SMS_TEXT=" + row.text,
      "SMS_RECEIVED_AT=" + row.received_at,
      "SMS_MODEM=" + row.modem,
      "SMS_PARTS=" + std::to_string(row.parts),
      std::string("SMS_PARTIAL=") + (row.partial ? "1" : "0"),
      std::string("SMS_TRUNCATED=") + (row.truncated ? "1" : "0"),
  };
}

}  // namespace sms::dispatch

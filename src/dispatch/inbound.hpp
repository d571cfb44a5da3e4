#pragma once
// What a worker does with a PDU its modem received: decode, commit, and only
// then let the modem delete it. Nothing is lost: a PDU that does not decode is
// stored anyway, with its raw hex and the decoder's error.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/store.hpp"
#include "modem/driver/modem.hpp"

namespace sms::dispatch {

struct InboundOutcome {
  bool committed = false;                 // what the IncomingHandler returns
  std::optional<std::int64_t> inbox_id;   // a complete (or undecodable) message was written to inbox
  bool status_report = false;
  std::optional<std::int64_t> outbox_id;  // status report matched this outbox row
};

// Throws nothing: a database failure is logged and gives committed = false, so
// the modem keeps the message and offers it again.
InboundOutcome handle_incoming(db::Store& store, const std::string& modem_id, const modem::Incoming& msg);

// Environment for runOnReceive (SMS_ID, SMS_SENDER, ...), from an inbox row.
std::vector<std::string> receive_environment(const db::InRow& row);

}  // namespace sms::dispatch

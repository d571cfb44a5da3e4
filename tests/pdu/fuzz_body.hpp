#pragma once
// What one fuzz input does, shared by the libFuzzer target and the corpus
// replay test. Returns false only on a broken invariant.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "modem/pdu/pdu.hpp"

namespace pdufuzz {

inline bool run_one(const std::uint8_t* data, std::size_t size) {
  namespace pdu = sms::pdu;
  bool ok = true;
  // The input as raw octets, with and without an SMSC field...
  for (bool smsc : {true, false}) {
    auto m = pdu::decode(std::span<const std::uint8_t>(data, size), smsc);
    if (!m.ok()) {
      ok = ok && !m.error().empty();
      continue;
    }
    // ...and a decoded DELIVER's text must re-encode (it is valid UTF-8).
    if (m->type == pdu::MessageType::deliver && !m->text.empty()) {
      pdu::DeliverOptions o;
      o.originator = "10086";
      auto again = pdu::encode_deliver(m->text, o);
      ok = ok && again.ok();
      if (again.ok()) {
        std::string joined;
        for (const auto& part : *again) {
          auto back = pdu::decode(part);
          ok = ok && back.ok();
          if (back.ok()) joined += back->text;
        }
        ok = ok && joined == m->text;
      }
    }
  }
  // ...and as hex text, the way modems print it.
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto f : {pdu::SmscField::detect, pdu::SmscField::present, pdu::SmscField::absent}) {
    auto m = pdu::decode(text, f);
    if (!m.ok()) ok = ok && !m.error().empty();
  }
  auto len = pdu::tpdu_length(text);
  if (!len.ok()) ok = ok && !len.error().empty();
  return ok;
}

}  // namespace pdufuzz

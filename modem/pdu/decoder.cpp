// Decoding of SMS-DELIVER (23.040 9.2.2.1), SMS-SUBMIT (9.2.2.2) and
// SMS-STATUS-REPORT (9.2.2.3), with or without the leading SMSC field of
// 27.005 PDU mode.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <vector>

#include "modem/pdu/address.hpp"
#include "modem/pdu/dcs.hpp"
#include "modem/pdu/gsm7_alphabet.hpp"
#include "modem/pdu/hex.hpp"
#include "modem/pdu/pdu.hpp"
#include "modem/pdu/reader.hpp"
#include "modem/pdu/septets.hpp"
#include "modem/pdu/timestamp.hpp"
#include "modem/pdu/udh.hpp"
#include "modem/pdu/utf8.hpp"
#include "modem/pdu/validity.hpp"

namespace sms::pdu {

namespace detail {

DcsInfo interpret_dcs(std::uint8_t dcs) {
  DcsInfo d;
  const unsigned group = dcs >> 4;
  if (group <= 0x7) {
    // 00xx general data coding, 01xx the same with automatic deletion.
    d.compressed = (dcs & 0x20) != 0;
    if (dcs & 0x10) d.message_class = dcs & 0x03;
    switch ((dcs >> 2) & 0x03) {
      case 0: d.encoding = Encoding::gsm7; break;
      case 1: d.encoding = Encoding::eight_bit; break;
      case 2: d.encoding = Encoding::ucs2; break;
      default: d.encoding = Encoding::gsm7; break;  // reserved: 23.038 says assume the default alphabet
    }
  } else if (group <= 0xB) {
    d.encoding = Encoding::gsm7;  // reserved coding groups: default alphabet
  } else if (group <= 0xD) {
    d.encoding = Encoding::gsm7;  // message waiting, discard / store, default alphabet
    d.message_waiting = true;
  } else if (group == 0xE) {
    d.encoding = Encoding::ucs2;  // message waiting, store, UCS2
    d.message_waiting = true;
  } else {
    // 1111: data coding / message class; bit 2 selects 8-bit data.
    d.encoding = (dcs & 0x04) ? Encoding::eight_bit : Encoding::gsm7;
    d.message_class = dcs & 0x03;
  }
  return d;
}

}  // namespace detail

namespace {

using detail::Reader;

// How well one reading of the octets accounts for them, worst first. SMSC
// detection keeps the best reading; the fast path stops at the first exact one.
enum class Fit : std::uint8_t {
  lossy,  // decoded, but something is missing (see the note): user data cut short (Message::truncated),
          // status-report parameters that do not fit
  loose,  // complete, with octets left over after the last field (modems pad +CMGR answers with FF)
  exact,  // the lengths account for every octet
};

// Adds a non-fatal oddity to the message's note, after any earlier one.
void add_note(Message& m, std::string_view note) {
  if (!m.error_note.empty()) m.error_note += "; ";
  m.error_note += note;
}

std::string hex2(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%02X", v & 0xFFu);
  return b;
}

void septets_to_utf8(const std::uint8_t* s, std::size_t n, std::string& out) {
  // Every GSM character is at most 3 UTF-8 bytes: size once (plus one byte of
  // slack for the fixed 3-byte copies), write through a pointer, trim.
  const std::size_t at = out.size();
  out.resize(at + 3 * n + 1);
  char* o = out.data() + at;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint8_t c = s[k];
    if (c == detail::kGsm7Escape) {
      if (k + 1 >= n) break;  // a dangling escape carries no character
      const std::uint8_t e = s[++k];
      const char32_t ext = detail::gsm7_extension_char(e);
      if (ext == 0) {  // 23.038 6.2.1.1: an unknown extension shows the default-table character
        const auto& u = detail::kGsm7DefaultUtf8[e & 0x7F];
        std::memcpy(o, u.bytes, 3);
        o += u.len;
      } else if (ext < 0x80) {
        *o++ = static_cast<char>(ext);
      } else {  // the euro sign, U+20AC
        *o++ = static_cast<char>(0xE0 | (ext >> 12));
        *o++ = static_cast<char>(0x80 | ((ext >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (ext & 0x3F));
      }
    } else {
      const auto& u = detail::kGsm7DefaultUtf8[c & 0x7F];
      std::memcpy(o, u.bytes, 3);
      o += u.len;
    }
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
}

// TP-UDL and TP-UD; `fit` reports whether the PDU ended where UDL said. User
// data shorter than TP-UDL says (some modems cut long PDUs) is decoded as far
// as it goes and flagged: Message::truncated, a note, Fit::lossy.
bool decode_user_data(Reader& r, bool udhi, Message& m, Fit& fit, std::string& err) {
  std::uint8_t udl;
  if (!r.octet("TP-UDL", udl, err)) return false;
  const detail::DcsInfo dcs = detail::interpret_dcs(m.dcs);
  m.encoding = dcs.encoding;
  m.message_class = dcs.message_class;
  m.compressed = dcs.compressed;
  m.message_waiting = dcs.message_waiting;
  const bool septets = dcs.encoding == Encoding::gsm7 && !dcs.compressed;  // compressed UDL counts octets
  const std::size_t needed = septets ? detail::octets_for_septets(udl) : udl;
  const std::size_t at = r.pos();
  std::size_t octets = needed;
  if (needed <= r.left()) {
    fit = needed == r.left() ? Fit::exact : Fit::loose;
  } else {
    octets = r.left();
    m.truncated = true;
    fit = Fit::lossy;
  }
  const std::uint8_t* ud;
  r.take("TP-UD", octets, ud, err);
  std::size_t udh = 0;
  if (udhi) {
    std::string note;
    if (auto e = detail::parse_udh(ud, octets, udh, m.concat, note); !e.empty()) {
      // Cut inside the header (which would have fitted TP-UDL): no text can be placed.
      if (m.truncated && (octets == 0 || (ud[0] + 1u > octets && ud[0] + 1u <= needed)))
        err = "user data truncated inside its header at octet " + std::to_string(at) + ": TP-UDL " +
              std::to_string(udl) +
              (septets ? " septets needs " + std::to_string(needed) + " octets, " : std::string(" octets, ")) +
              std::to_string(octets) + " present; " + e;
      else
        err = e + " (user data at octet " + std::to_string(at) + ")";
      return false;
    }
    if (!note.empty()) add_note(m, note);
  }
  std::size_t present = octets;  // in TP-UDL's unit, UDH included
  if (dcs.compressed) {
    m.data.assign(ud + udh, ud + octets);
    add_note(m, "compressed text (23.042) not supported; the raw user data is in `data`");
  } else {
    switch (dcs.encoding) {
      case Encoding::gsm7: {
        const std::size_t first = detail::septets_for_octets(udh);
        if (first > udl) {
          err = "user data header (" + std::to_string(udh) + " octets) is longer than TP-UDL " +
                std::to_string(udl) + " septets";
          return false;
        }
        // Cut short: only the septets whose 7 bits are all there.
        present = m.truncated ? std::min<std::size_t>(udl, octets * 8 / 7) : udl;
        const std::size_t n = present > first ? present - first : 0;
        std::array<std::uint8_t, 256> s;
        detail::unpack_septets(ud, first, n, s.data());
        septets_to_utf8(s.data(), n, m.text);
        break;
      }
      case Encoding::ucs2: {
        const std::size_t bytes = octets - udh;
        std::size_t units = bytes / 2;
        if (m.truncated) {
          // A surrogate pair the cut split in half is no character yet.
          if (units > 0 && (ud[udh + 2 * units - 2] & 0xFC) == 0xD8) --units;
        } else if (bytes % 2 != 0) {
          add_note(m, "UCS2 user data has an odd number of octets; the last one is dropped");
        }
        m.text.reserve(units * 3);
        detail::append_utf16be_as_utf8(m.text, ud + udh, units);
        break;
      }
      case Encoding::eight_bit:
        m.data.assign(ud + udh, ud + octets);
        break;
    }
  }
  if (m.truncated)
    add_note(m, "user data truncated: TP-UDL says " + std::to_string(udl) + (septets ? " septets, " : " octets, ") +
                    std::to_string(present) + " present");
  return true;
}

bool read_timestamp(Reader& r, const char* field, std::optional<Timestamp>& out, Message& m, std::string& err) {
  const std::uint8_t* p;
  if (!r.take(field, 7, p, err)) return false;
  Timestamp t;
  // A bad timestamp from an SMSC must not lose the message: note it instead.
  if (auto e = detail::decode_timestamp(p, t); !e.empty())
    add_note(m, std::string(field) + ": " + e);
  else
    out = t;
  return true;
}

bool decode_deliver(Reader& r, std::uint8_t fo, Message& m, Fit& fit, std::string& err) {
  m.type = MessageType::deliver;
  m.more_messages_to_send = (fo & 0x04) == 0;  // TP-MMS: 0 means more are waiting
  m.status_report_request = (fo & 0x20) != 0;  // TP-SRI
  m.reply_path = (fo & 0x80) != 0;
  if (!detail::decode_address_field(r, "TP-OA", m.number, err)) return false;
  if (!r.octet("TP-PID", m.protocol_id, err)) return false;
  if (!r.octet("TP-DCS", m.dcs, err)) return false;
  if (!read_timestamp(r, "TP-SCTS", m.scts, m, err)) return false;
  return decode_user_data(r, (fo & 0x40) != 0, m, fit, err);
}

bool decode_submit(Reader& r, std::uint8_t fo, Message& m, Fit& fit, std::string& err) {
  m.type = MessageType::submit;
  m.status_report_request = (fo & 0x20) != 0;  // TP-SRR
  m.reply_path = (fo & 0x80) != 0;
  std::uint8_t mr;
  if (!r.octet("TP-MR", mr, err)) return false;
  m.message_reference = mr;
  if (!detail::decode_address_field(r, "TP-DA", m.number, err)) return false;
  if (!r.octet("TP-PID", m.protocol_id, err)) return false;
  if (!r.octet("TP-DCS", m.dcs, err)) return false;
  switch ((fo >> 3) & 0x03) {  // TP-VPF
    case 0: break;
    case 2: {
      std::uint8_t vp;
      if (!r.octet("TP-VP", vp, err)) return false;
      m.validity_minutes = detail::validity_minutes(vp);
      break;
    }
    default: {  // enhanced (01) or absolute (11): 7 octets, not reported
      const std::uint8_t* p;
      if (!r.take("TP-VP", 7, p, err)) return false;
      break;
    }
  }
  return decode_user_data(r, (fo & 0x40) != 0, m, fit, err);
}

// The optional parameters after TP-ST (23.040 9.2.3.27): TP-PI, whose bit 7
// extends it with further octets (their bits, like TP-PI's bits 3..6, are
// reserved and ignored), then TP-PID, TP-DCS and TP-UDL/TP-UD as TP-PI says.
bool decode_report_parameters(Reader& r, std::uint8_t fo, Message& m, Fit& fit, std::string& err) {
  std::uint8_t pi;
  if (!r.octet("TP-PI", pi, err)) return false;
  for (std::uint8_t ext = pi; ext & 0x80;)
    if (!r.octet("TP-PI extension", ext, err)) return false;
  if (pi & 0x01)
    if (!r.octet("TP-PID", m.protocol_id, err)) return false;
  if (pi & 0x02)
    if (!r.octet("TP-DCS", m.dcs, err)) return false;
  if (pi & 0x04) return decode_user_data(r, (fo & 0x40) != 0, m, fit, err);
  const detail::DcsInfo dcs = detail::interpret_dcs(m.dcs);
  m.encoding = dcs.encoding;
  m.message_class = dcs.message_class;
  fit = r.at_end() ? Fit::exact : Fit::loose;
  return true;
}

bool decode_status_report(Reader& r, std::uint8_t fo, Message& m, Fit& fit, std::string& err) {
  m.type = MessageType::status_report;
  m.more_messages_to_send = (fo & 0x04) == 0;
  std::uint8_t mr;
  if (!r.octet("TP-MR", mr, err)) return false;
  m.message_reference = mr;
  if (!detail::decode_address_field(r, "TP-RA", m.number, err)) return false;
  if (!read_timestamp(r, "TP-SCTS", m.scts, m, err)) return false;
  if (!read_timestamp(r, "TP-DT", m.discharge, m, err)) return false;
  std::uint8_t st;
  if (!r.octet("TP-ST", st, err)) return false;
  m.status = st;
  if (r.at_end()) {
    fit = Fit::exact;
    return true;
  }
  // Modems pad +CMGR answers with FF. No TP-PI can be FF up to the end (each
  // octet would announce one more), so such a tail is padding, as after the
  // user data of SMS-DELIVER and SMS-SUBMIT.
  const std::uint8_t* tail = r.here();
  const std::size_t from = r.pos(), extra = r.left();
  if (std::all_of(tail, tail + extra, [](std::uint8_t b) { return b == 0xFF; })) {
    fit = Fit::loose;
    return true;
  }
  std::string note = m.error_note;  // the timestamps' notes, if any
  if (decode_report_parameters(r, fo, m, fit, err)) return true;
  // Everything after TP-ST is optional and the report itself (MR, recipient,
  // times, status) is complete: keep it, drop the parameters and say so.
  m.protocol_id = 0;
  m.dcs = 0;
  m.encoding = Encoding::gsm7;
  m.message_class = -1;
  m.compressed = false;
  m.message_waiting = false;
  m.text.clear();
  m.data.clear();
  m.concat.reset();
  m.truncated = false;
  m.error_note = std::move(note);
  add_note(m, "ignored the optional parameters after TP-ST (" + std::to_string(extra) +
                  (extra == 1 ? " octet at octet " : " octets from octet ") + std::to_string(from) + "): " + err);
  err.clear();
  fit = Fit::lossy;
  return true;
}

// Decodes one interpretation; `fit` says how well it accounts for the octets.
Result<Message> decode_impl(const std::uint8_t* bytes, std::size_t size, bool has_smsc, Fit& fit) {
  fit = Fit::lossy;
  if (size == 0) return make_error("empty PDU");
  Reader r(bytes, size);
  Message m;
  std::string err;
  if (has_smsc && !detail::decode_smsc_field(r, m.smsc, err)) return make_error(err);
  std::uint8_t fo;
  if (!r.octet("first octet", fo, err)) return make_error(err);
  bool ok = false;
  switch (fo & 0x03) {  // TP-MTI, as seen by the mobile
    case 0: ok = decode_deliver(r, fo, m, fit, err); break;
    case 1: ok = decode_submit(r, fo, m, fit, err); break;
    case 2: ok = decode_status_report(r, fo, m, fit, err); break;
    default:
      return make_error("first octet " + hex2(fo) + " at octet " + std::to_string(r.pos() - 1) +
                        ": message type indicator 3 is reserved (23.040 9.2.3.1)");
  }
  if (!ok) return make_error(err);
  return m;
}

// Hex to octets without allocating for PDUs of ordinary size.
class HexBuffer {
 public:
  std::string parse(std::string_view hex) {
    size_ = hex.size() / 2;
    std::uint8_t* p = small_.data();
    if (size_ > small_.size()) {
      large_.resize(size_);
      p = large_.data();
    }
    data_ = p;
    return detail::parse_hex(hex, p);
  }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  std::array<std::uint8_t, 256> small_;
  std::vector<std::uint8_t> large_;
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r' || s.front() == '\n' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\n' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view to_string(MessageType t) {
  switch (t) {
    case MessageType::deliver: return "deliver";
    case MessageType::submit: return "submit";
    case MessageType::status_report: return "status-report";
  }
  return "?";
}

Result<Message> decode(std::span<const std::uint8_t> bytes, bool has_smsc) {
  Fit fit;
  return decode_impl(bytes.data(), bytes.size(), has_smsc, fit);
}

Result<Message> decode(std::string_view hex, SmscField smsc) {
  hex = trim(hex);
  HexBuffer buf;
  if (auto e = buf.parse(hex); !e.empty()) return make_error(e);
  if (buf.size() == 0) return make_error("empty PDU");
  Fit fit_with;
  if (smsc != SmscField::detect) return decode_impl(buf.data(), buf.size(), smsc == SmscField::present, fit_with);
  // Detection: modems print the SMSC field, so it is tried first and an exact
  // reading ends the search. Otherwise the reading that accounts better for
  // the octets wins (exact, then complete with octets left over, then one
  // that had to leave something out); a tie goes to the SMSC field.
  auto with = decode_impl(buf.data(), buf.size(), true, fit_with);
  if (with && fit_with == Fit::exact) return with;
  Fit fit_without;
  auto without = decode_impl(buf.data(), buf.size(), false, fit_without);
  if (!without) return with;
  if (!with || fit_without > fit_with) return without;
  return with;
}

Result<int> tpdu_length(std::string_view hex_with_smsc) {
  hex_with_smsc = trim(hex_with_smsc);
  if (hex_with_smsc.size() < 2) return make_error("PDU too short: no SMSC length octet");
  std::uint8_t smsc_len;
  if (auto e = detail::parse_hex(hex_with_smsc.substr(0, 2), &smsc_len); !e.empty()) return make_error(e);
  HexBuffer buf;
  if (auto e = buf.parse(hex_with_smsc); !e.empty()) return make_error(e);
  if (1u + smsc_len >= buf.size())
    return make_error("SMSC length " + std::to_string(smsc_len) + " leaves no TPDU in a PDU of " +
                      std::to_string(buf.size()) + " octets");
  return static_cast<int>(buf.size() - 1 - smsc_len);
}

}  // namespace sms::pdu

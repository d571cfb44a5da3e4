// The network side: SMS-DELIVER (23.040 9.2.2.1) and SMS-STATUS-REPORT
// (9.2.2.3) as an SMSC would send them, with the SMSC field of 27.005 in
// front. Used by the modem simulator and by tests.
#include <array>

#include "modem/pdu/address.hpp"
#include "modem/pdu/hex.hpp"
#include "modem/pdu/pdu.hpp"
#include "modem/pdu/segment.hpp"
#include "modem/pdu/timestamp.hpp"

namespace sms::pdu {

namespace {

Result<Address> smsc_address(const std::string& smsc) {
  if (smsc.empty()) return Address{};
  auto a = parse_destination(smsc);
  if (!a) return make_error("SMSC: " + a.error());
  return a;
}

}  // namespace

Result<std::vector<std::string>> encode_deliver(std::string_view utf8_text, const DeliverOptions& opts) {
  auto oa = detail::parse_originator(opts.originator);
  if (!oa) return make_error("originator: " + oa.error());
  auto smsc = smsc_address(opts.smsc);
  if (!smsc) return make_error(smsc.error());
  if (opts.message_class < -1 || opts.message_class > 3)
    return make_error("message class " + std::to_string(opts.message_class) + " is not -1 or 0..3");
  if (opts.scts.offset_minutes % 15 != 0 || opts.scts.offset_minutes < -79 * 15 ||
      opts.scts.offset_minutes > 79 * 15)
    return make_error("SCTS offset " + std::to_string(opts.scts.offset_minutes) +
                      " minutes is not a multiple of 15 within +-19:45 (23.040 9.2.3.11)");
  detail::Segmented seg;
  if (auto err = detail::segment_text(utf8_text, opts.encoding, opts.concat16, seg); !err.empty())
    return make_error(err);
  if (seg.parts() > detail::kMaxParts)
    return make_error("message needs " + std::to_string(seg.parts()) + " parts, at most 255 are possible");

  std::array<std::uint8_t, 64 + detail::kMaxUserDataOctets> buf{};
  std::size_t n = detail::encode_smsc_field(smsc->number.empty() ? nullptr : &*smsc, buf.data());
  // First octet: MTI 00, TP-MMS 1 (no more messages), SRI, UDHI when split.
  buf[n++] = static_cast<std::uint8_t>(0x04 | (opts.status_report_indication ? 0x20 : 0) |
                                       (seg.parts() > 1 ? 0x40 : 0));
  n += detail::encode_address_field(*oa, buf.data() + n);
  buf[n++] = 0x00;  // TP-PID
  std::uint8_t dcs = seg.encoding == Encoding::gsm7 ? 0x00 : seg.encoding == Encoding::ucs2 ? 0x08 : 0x04;
  if (opts.message_class >= 0) dcs = static_cast<std::uint8_t>(dcs | 0x10 | opts.message_class);
  buf[n++] = dcs;
  detail::encode_timestamp(opts.scts, buf.data() + n);
  n += 7;
  std::vector<std::string> out(seg.parts());
  for (std::size_t k = 0; k < seg.parts(); ++k) {
    const std::size_t ud = detail::write_user_data(seg, k, opts.concat_reference, opts.concat16, buf.data() + n);
    out[k].reserve(2 * (n + ud));
    detail::append_hex(out[k], buf.data(), n + ud);
  }
  return out;
}

Result<std::string> encode_status_report(const StatusReportOptions& opts) {
  auto ra = parse_destination(opts.recipient);
  if (!ra) return make_error("recipient: " + ra.error());
  auto smsc = smsc_address(opts.smsc);
  if (!smsc) return make_error(smsc.error());
  std::array<std::uint8_t, 64> buf{};
  std::size_t n = detail::encode_smsc_field(smsc->number.empty() ? nullptr : &*smsc, buf.data());
  buf[n++] = 0x06;  // MTI 10, TP-MMS 1, TP-SRQ 0 (the report is for an SMS-SUBMIT)
  buf[n++] = opts.message_reference;
  n += detail::encode_address_field(*ra, buf.data() + n);
  detail::encode_timestamp(opts.scts, buf.data() + n);
  n += 7;
  detail::encode_timestamp(opts.discharge, buf.data() + n);
  n += 7;
  buf[n++] = opts.status;
  std::string hex;
  detail::append_hex(hex, buf.data(), n);
  return hex;
}

}  // namespace sms::pdu

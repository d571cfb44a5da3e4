// SMS-SUBMIT encoding (3GPP TS 23.040 9.2.2.2) and text counting.
#include <array>

#include "modem/pdu/address.hpp"
#include "modem/pdu/hex.hpp"
#include "modem/pdu/pdu.hpp"
#include "modem/pdu/segment.hpp"
#include "modem/pdu/validity.hpp"

namespace sms::pdu {

namespace detail {

std::optional<std::uint8_t> validity_octet(int minutes) {
  if (minutes < 1 || minutes > kMaxValidityMinutes) return std::nullopt;
  auto up = [](int a, int b) { return (a + b - 1) / b; };
  int vp;
  if (minutes <= 720)
    vp = up(minutes, 5) - 1;  // 0..143: (VP + 1) * 5 minutes
  else if (minutes <= 1440)
    vp = 143 + up(minutes - 720, 30);  // 144..167: 12 h + (VP - 143) * 30 minutes
  else if (minutes <= 30 * 1440)
    vp = 166 + up(minutes, 1440);  // 168..196: (VP - 166) days
  else
    vp = 192 + up(minutes, 10080);  // 197..255: (VP - 192) weeks
  return static_cast<std::uint8_t>(vp);
}

int validity_minutes(std::uint8_t vp) {
  if (vp <= 143) return (vp + 1) * 5;
  if (vp <= 167) return 720 + (vp - 143) * 30;
  if (vp <= 196) return (vp - 166) * 1440;
  return (vp - 192) * 10080;
}

}  // namespace detail

namespace {

// Scratch space reused by every call on a thread, so that encoding a short
// message allocates only its output.
detail::Segmented& scratch() {
  thread_local detail::Segmented s;
  return s;
}

struct SubmitHeader {
  std::array<std::uint8_t, 40> bytes{};  // SMSC field + FO .. DCS/VP
  std::size_t smsc_size = 0;
  std::size_t size = 0;
  std::size_t fo_index = 0;
  std::size_t dcs_index = 0;
};

Result<SubmitHeader> build_header(const SubmitOptions& opts, Encoding enc) {
  auto dest = parse_destination(opts.destination);
  if (!dest) return make_error("destination: " + dest.error());
  std::optional<Address> smsc;
  if (!opts.smsc.empty()) {
    auto s = parse_destination(opts.smsc);
    if (!s) return make_error("SMSC: " + s.error());
    smsc = std::move(*s);
  }
  std::optional<std::uint8_t> vp;
  if (opts.validity_minutes) {
    vp = detail::validity_octet(*opts.validity_minutes);
    if (!vp)
      return make_error("validity " + std::to_string(*opts.validity_minutes) +
                        " minutes is out of range 1.." + std::to_string(detail::kMaxValidityMinutes) +
                        " (5 minutes to 63 weeks, 23.040 9.2.3.12.1)");
  }
  SubmitHeader h;
  std::uint8_t* b = h.bytes.data();
  std::size_t n = detail::encode_smsc_field(smsc ? &*smsc : nullptr, b);
  h.smsc_size = n;
  // 23.040 9.2.2.2 first octet: MTI 01, RD 0, VPF 10 (relative) or 00, SRR, UDHI (set per part), RP 0.
  h.fo_index = n;
  b[n++] = static_cast<std::uint8_t>(0x01 | (vp ? 0x10 : 0) | (opts.status_report ? 0x20 : 0));
  b[n++] = opts.message_reference;
  n += detail::encode_address_field(*dest, b + n);
  b[n++] = opts.protocol_id;
  // 23.038 4: general data coding; bit 4 "has class" with class 0 for flash.
  std::uint8_t dcs = enc == Encoding::gsm7 ? 0x00 : enc == Encoding::ucs2 ? 0x08 : 0x04;
  if (opts.flash) dcs |= 0x10;
  h.dcs_index = n;
  b[n++] = dcs;
  if (vp) b[n++] = *vp;
  h.size = n;
  return h;
}

Result<EncodedMessage> encode_segments(const detail::Segmented& seg, const SubmitOptions& opts) {
  if (seg.parts() > detail::kMaxParts)
    return make_error("message needs " + std::to_string(seg.parts()) + " parts, at most 255 are possible");
  auto header = build_header(opts, seg.encoding);
  if (!header) return make_error(header.error());
  const SubmitHeader& h = *header;
  EncodedMessage msg;
  msg.encoding = seg.encoding;
  msg.parts.resize(seg.parts());
  std::array<std::uint8_t, 64 + detail::kMaxUserDataOctets> buf;
  std::copy(h.bytes.begin(), h.bytes.begin() + static_cast<long>(h.size), buf.begin());
  if (seg.parts() > 1) buf[h.fo_index] |= 0x40;  // TP-UDHI
  for (std::size_t k = 0; k < seg.parts(); ++k) {
    const std::size_t ud = detail::write_user_data(seg, k, opts.concat_reference, false, buf.data() + h.size);
    const std::size_t total = h.size + ud;
    EncodedPart& part = msg.parts[k];
    part.hex.reserve(2 * total);
    detail::append_hex(part.hex, buf.data(), total);
    part.tpdu_length = static_cast<int>(total - h.smsc_size);
  }
  return msg;
}

}  // namespace

std::string_view to_string(Encoding e) {
  switch (e) {
    case Encoding::gsm7: return "gsm7";
    case Encoding::eight_bit: return "8bit";
    case Encoding::ucs2: return "ucs2";
  }
  return "?";
}

Result<EncodedMessage> encode_submit(std::string_view utf8_text, const SubmitOptions& opts) {
  detail::Segmented& seg = scratch();
  if (auto err = detail::segment_text(utf8_text, opts.encoding, false, seg); !err.empty()) return make_error(err);
  return encode_segments(seg, opts);
}

Result<EncodedMessage> encode_submit_data(std::span<const std::uint8_t> data, const SubmitOptions& opts) {
  detail::Segmented& seg = scratch();
  detail::segment_data(data, false, seg);
  return encode_segments(seg, opts);
}

Result<TextCount> count_text(std::string_view utf8) {
  if (TextCount one; detail::count_single_part(utf8, one)) return one;
  detail::Segmented& seg = scratch();
  if (auto err = detail::segment_text(utf8, std::nullopt, false, seg); !err.empty()) return make_error(err);
  TextCount c;
  c.encoding = seg.encoding;
  c.parts = static_cast<int>(seg.parts());
  c.units = static_cast<int>(seg.units());
  const std::size_t last = seg.ends.back() - (seg.parts() > 1 ? seg.ends[seg.parts() - 2] : 0);
  const std::size_t cap = seg.parts() > 1 ? detail::multi_part_capacity(seg.encoding, false)
                                          : detail::single_part_capacity(seg.encoding);
  c.units_left = static_cast<int>(cap - last);
  return c;
}

}  // namespace sms::pdu

#include "modem/pdu/udh.hpp"

namespace sms::pdu::detail {

std::string parse_udh(const std::uint8_t* p, std::size_t avail, std::size_t& udh_octets,
                      std::optional<Concat>& concat, std::string& note) {
  if (avail == 0) return "user data header indicated but the user data is empty";
  const std::size_t udhl = p[0];
  if (udhl + 1 > avail)
    return "user data header length " + std::to_string(udhl) + " overruns the user data (" +
           std::to_string(avail - 1) + " octets after the UDHL)";
  udh_octets = udhl + 1;
  std::size_t i = 1;
  while (i < udh_octets) {
    if (i + 2 > udh_octets)
      return "user data header: information element at header octet " + std::to_string(i) +
             " is cut off (no length octet)";
    const std::uint8_t iei = p[i];
    const std::size_t len = p[i + 1];
    if (i + 2 + len > udh_octets)
      return "user data header: information element 0x" + std::string(1, "0123456789ABCDEF"[iei >> 4]) +
             std::string(1, "0123456789ABCDEF"[iei & 15]) + " length " + std::to_string(len) +
             " overruns the header (" + std::to_string(udh_octets - i - 2) + " octets left)";
    const std::uint8_t* d = p + i + 2;
    if ((iei == kIeiConcat8 && len == 3) || (iei == kIeiConcat16 && len == 4)) {
      Concat c;
      c.reference16 = iei == kIeiConcat16;
      c.reference = c.reference16 ? static_cast<std::uint16_t>(d[0] << 8 | d[1]) : d[0];
      c.total = d[len - 2];
      c.sequence = d[len - 1];
      // 23.040 9.2.3.24.1: a sequence of 0 or above the total means "ignore the element".
      if (c.total == 0 || c.sequence == 0 || c.sequence > c.total)
        note = "concatenation element ignored: part " + std::to_string(c.sequence) + " of " +
               std::to_string(c.total);
      else
        concat = c;
    }
    i += 2 + len;
  }
  return {};
}

std::size_t write_concat_udh(std::uint8_t* out, std::uint16_t reference, bool reference16, std::uint8_t total,
                             std::uint8_t sequence) {
  if (reference16) {
    out[0] = 6;
    out[1] = kIeiConcat16;
    out[2] = 4;
    out[3] = static_cast<std::uint8_t>(reference >> 8);
    out[4] = static_cast<std::uint8_t>(reference);
    out[5] = total;
    out[6] = sequence;
    return 7;
  }
  out[0] = 5;
  out[1] = kIeiConcat8;
  out[2] = 3;
  out[3] = static_cast<std::uint8_t>(reference);
  out[4] = total;
  out[5] = sequence;
  return 6;
}

}  // namespace sms::pdu::detail

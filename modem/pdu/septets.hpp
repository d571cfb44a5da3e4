#pragma once
// Packing of 7-bit characters into octets (3GPP TS 23.038 6.1.2.1.1).
//
// Septet k of a user data field occupies bits 7k .. 7k+6 counted from the
// least significant bit of the first octet of the field. A UDH of h octets
// therefore pushes the first character to septet ceil(8h/7), and the bits in
// between are the fill bits of 23.040 9.2.3.24 - they fall out of this
// numbering without any special case.
#include <cstddef>
#include <cstdint>

namespace sms::pdu::detail {

// ORs septets[0..n) into `out` starting at septet index `first`. `out` must be
// zeroed and hold at least octets_for_septets(first + n) octets.
void pack_septets(const std::uint8_t* septets, std::size_t n, std::size_t first, std::uint8_t* out) noexcept;

// Reads n septets starting at septet index `first`. The caller guarantees
// octets_for_septets(first + n) <= in_len.
void unpack_septets(const std::uint8_t* in, std::size_t first, std::size_t n, std::uint8_t* septets) noexcept;

constexpr std::size_t octets_for_septets(std::size_t septets) { return (septets * 7 + 7) / 8; }
// Septet index of the first character after a UDH of `udh_octets` octets (UDHL included).
constexpr std::size_t septets_for_octets(std::size_t octets) { return (octets * 8 + 6) / 7; }

}  // namespace sms::pdu::detail

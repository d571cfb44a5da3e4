#include "modem/pdu/septets.hpp"

namespace sms::pdu::detail {

void pack_septets(const std::uint8_t* septets, std::size_t n, std::size_t first, std::uint8_t* out) noexcept {
  std::size_t bit = first * 7;
  for (std::size_t k = 0; k < n; ++k, bit += 7) {
    const unsigned s = septets[k] & 0x7Fu;
    const std::size_t octet = bit >> 3;
    const unsigned shift = bit & 7u;
    out[octet] = static_cast<std::uint8_t>(out[octet] | (s << shift));
    if (shift > 1) out[octet + 1] = static_cast<std::uint8_t>(out[octet + 1] | (s >> (8 - shift)));
  }
}

void unpack_septets(const std::uint8_t* in, std::size_t first, std::size_t n, std::uint8_t* septets) noexcept {
  std::size_t bit = first * 7;
  for (std::size_t k = 0; k < n; ++k, bit += 7) {
    const std::size_t octet = bit >> 3;
    const unsigned shift = bit & 7u;
    unsigned v = static_cast<unsigned>(in[octet]) >> shift;
    if (shift > 1) v |= static_cast<unsigned>(in[octet + 1]) << (8 - shift);
    septets[k] = static_cast<std::uint8_t>(v & 0x7Fu);
  }
}

}  // namespace sms::pdu::detail

#include "modem/pdu/septets.hpp"

namespace sms::pdu::detail {

// Both directions stream bits through a 64-bit accumulator: one shift and
// one store per octet instead of per-septet read-modify-writes.

void pack_septets(const std::uint8_t* septets, std::size_t n, std::size_t first, std::uint8_t* out) noexcept {
  if (n == 0) return;
  const std::size_t bit = first * 7;
  std::uint8_t* o = out + (bit >> 3);
  unsigned nbits = bit & 7u;
  std::uint64_t acc = *o & ((1u << nbits) - 1u);  // keep the bits below the first septet (fill bits are zero)
  for (std::size_t k = 0; k < n; ++k) {
    acc |= static_cast<std::uint64_t>(septets[k] & 0x7Fu) << nbits;
    nbits += 7;
    if (nbits >= 8) {
      *o++ = static_cast<std::uint8_t>(acc);
      acc >>= 8;
      nbits -= 8;
    }
  }
  if (nbits > 0) *o = static_cast<std::uint8_t>(acc);
}

void unpack_septets(const std::uint8_t* in, std::size_t first, std::size_t n, std::uint8_t* septets) noexcept {
  if (n == 0) return;
  const std::size_t bit = first * 7;
  const std::uint8_t* p = in + (bit >> 3);
  // Octets that hold the n septets: the caller guarantees they exist.
  const std::uint8_t* end = in + (bit + 7 * n + 7) / 8;
  std::uint64_t acc = *p++ >> (bit & 7u);
  unsigned nbits = 8 - (bit & 7u);
  for (std::size_t k = 0; k < n; ++k) {
    if (nbits < 7) {
      if (p < end) acc |= static_cast<std::uint64_t>(*p++) << nbits;
      nbits += 8;
    }
    septets[k] = static_cast<std::uint8_t>(acc & 0x7Fu);
    acc >>= 7;
    nbits -= 7;
  }
}

}  // namespace sms::pdu::detail

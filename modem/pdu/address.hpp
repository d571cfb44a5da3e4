#pragma once
// Address fields (3GPP TS 23.040 9.1.2.5) and the SMSC field of 27.005 PDU
// mode (24.011 8.2.5.1 RP-address: its length counts octets, not digits).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "modem/pdu/pdu.hpp"
#include "modem/pdu/reader.hpp"

namespace sms::pdu::detail {

inline constexpr std::uint8_t kTypeInternational = 0x91;  // TON 001, NPI 0001 (E.164)
inline constexpr std::uint8_t kTypeUnknown = 0x81;        // TON 000, NPI 0001
inline constexpr std::uint8_t kTypeAlphanumeric = 0xD0;   // TON 101, NPI 0000
inline constexpr std::size_t kMaxAddressDigits = 20;      // 23.040 9.1.2.5: at most 12 octets
inline constexpr std::size_t kMaxAlphanumericChars = 11;  // 10 octets of packed septets

// An originator for the network side: a number as parse_destination takes it,
// or an alphanumeric name of at most 11 GSM 7-bit characters.
Result<Address> parse_originator(std::string_view text);

// Writes the TP-OA/DA/RA field; returns its size. `out` holds >= 12 octets.
std::size_t encode_address_field(const Address& a, std::uint8_t* out);
// Writes the SMSC field ("00" when `smsc` has no number); returns its size.
// `out` holds >= 12 octets.
std::size_t encode_smsc_field(const Address* smsc, std::uint8_t* out);

bool decode_address_field(Reader& r, const char* field, Address& out, std::string& err);
bool decode_smsc_field(Reader& r, std::string& number, std::string& err);

}  // namespace sms::pdu::detail

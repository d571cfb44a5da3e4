#pragma once
// Alphabet choice and segmentation of a text into parts (3GPP TS 23.040
// 9.2.3.24.1 concatenation; TS 23.038 alphabets), and the writing of one
// part's TP-UDL + TP-UD. Shared by the SUBMIT and DELIVER encoders and by
// count_text.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "modem/pdu/pdu.hpp"

namespace sms::pdu::detail {

inline constexpr std::size_t kMaxUserDataOctets = 140;  // 23.040 9.2.3.16
inline constexpr std::size_t kMaxParts = 255;

struct Segmented {
  Encoding encoding = Encoding::gsm7;
  std::vector<std::uint8_t> units8;   // gsm7: septets, escapes included; 8-bit: octets
  std::vector<char16_t> units16;      // ucs2: UTF-16 code units
  std::vector<std::uint32_t> ends;    // end (exclusive) unit index of each part

  std::size_t units() const { return encoding == Encoding::ucs2 ? units16.size() : units8.size(); }
  std::size_t parts() const { return ends.size(); }
};

// Units that fit one part: alone, or beside a concatenation UDH.
std::size_t single_part_capacity(Encoding e);
std::size_t multi_part_capacity(Encoding e, bool reference16);

// Chooses the alphabet (gsm7 if every character is in the default or
// extension table, else ucs2) unless forced, converts, and splits into the
// minimum number of parts without cutting an escape sequence or a surrogate
// pair. Forced eight_bit sends the UTF-8 bytes and never cuts a character.
// Returns "" or the error (invalid UTF-8, a character not in a forced gsm7).
std::string segment_text(std::string_view utf8, std::optional<Encoding> force, bool reference16, Segmented& out);
// The count of a text that fits in one part, in one pass without building
// its units (most texts: a check on every claim). False when the text needs
// more than one part or is not valid UTF-8: segment_text then says how many
// parts, or where the bad byte is.
bool count_single_part(std::string_view utf8, TextCount& out) noexcept;
void segment_data(std::span<const std::uint8_t> data, bool reference16, Segmented& out);

// Writes TP-UDL and TP-UD of part `index` (0-based); returns octets written.
// With more than one part a concatenation UDH is put in front. `out` holds
// at least 1 + kMaxUserDataOctets octets.
std::size_t write_user_data(const Segmented& s, std::size_t index, std::uint16_t reference, bool reference16,
                            std::uint8_t* out);

}  // namespace sms::pdu::detail

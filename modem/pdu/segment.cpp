#include "modem/pdu/segment.hpp"

#include <cstdio>
#include <cstring>

#include "modem/pdu/gsm7_alphabet.hpp"
#include "modem/pdu/septets.hpp"
#include "modem/pdu/udh.hpp"
#include "modem/pdu/utf8.hpp"

namespace sms::pdu::detail {

std::size_t single_part_capacity(Encoding e) {
  switch (e) {
    case Encoding::gsm7: return 160;  // 140 octets * 8 / 7
    case Encoding::ucs2: return 70;
    case Encoding::eight_bit: return kMaxUserDataOctets;
  }
  return 0;
}

std::size_t multi_part_capacity(Encoding e, bool reference16) {
  const std::size_t room = kMaxUserDataOctets - concat_udh_size(reference16);
  switch (e) {
    case Encoding::gsm7: return room * 8 / 7;  // 153 (8-bit ref) or 152 (16-bit ref)
    case Encoding::ucs2: return room / 2;      // 67 or 66
    case Encoding::eight_bit: return room;     // 134 or 133
  }
  return 0;
}

namespace {

// Greedy filling gives the minimum number of parts for an ordered sequence;
// `cuts_inside(end)` says whether a part may not end before unit `end`.
template <class CutsInside>
void split(std::size_t n, std::size_t single, std::size_t multi, std::vector<std::uint32_t>& ends,
           CutsInside cuts_inside) {
  ends.clear();
  if (n <= single) {
    ends.push_back(static_cast<std::uint32_t>(n));
    return;
  }
  std::size_t pos = 0;
  while (pos < n) {
    std::size_t end = pos + multi < n ? pos + multi : n;
    while (end < n && end > pos + 1 && cuts_inside(end)) --end;
    ends.push_back(static_cast<std::uint32_t>(end));
    pos = end;
  }
}

// Returns npos, or the byte offset of the first invalid sequence.
std::size_t to_utf16(std::string_view utf8, std::vector<char16_t>& out) {
  out.resize(utf8.size());  // never more units than bytes
  char16_t* o = out.data();
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t cp;
    if (static_cast<unsigned char>(utf8[i]) < 0x80) {
      *o++ = static_cast<char16_t>(utf8[i++]);
      continue;
    }
    if (!utf8_next(utf8, i, cp)) {
      out.clear();
      return i;
    }
    if (cp >= 0x10000) {
      *o++ = static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10));
      *o++ = static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      *o++ = static_cast<char16_t>(cp);
    }
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
  return std::string_view::npos;
}

std::string not_gsm7(char32_t cp, std::size_t offset) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "character U+%04X at byte offset %zu is not in the GSM 7-bit alphabet",
                static_cast<unsigned>(cp), offset);
  return buf;
}

}  // namespace

bool count_single_part(std::string_view utf8, TextCount& out) noexcept {
  std::size_t septets = 0, units16 = 0;
  bool gsm = true;
  std::uint8_t scratch[2];
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    char32_t cp = b;
    if (b < 0x80) {
      ++i;
    } else if (!utf8_next(utf8, i, cp)) {
      return false;
    }
    units16 += cp >= 0x10000 ? 2 : 1;
    if (gsm) {
      const int n = cp < 0x80 && (kGsm7Latin[cp] & 0x100) ? 1 : gsm7_encode_char(cp, scratch);
      if (n == 0) gsm = false;
      septets += static_cast<std::size_t>(n);
      if (gsm && septets > single_part_capacity(Encoding::gsm7)) return false;
    }
    if (!gsm && units16 > single_part_capacity(Encoding::ucs2)) return false;
  }
  out.encoding = gsm ? Encoding::gsm7 : Encoding::ucs2;
  out.parts = 1;
  out.units = static_cast<int>(gsm ? septets : units16);
  out.units_left = static_cast<int>(single_part_capacity(out.encoding)) - out.units;
  return true;
}

std::string segment_text(std::string_view utf8, std::optional<Encoding> force, bool reference16, Segmented& out) {
  out.units8.clear();
  out.units16.clear();
  Encoding enc = force.value_or(Encoding::gsm7);
  if (enc == Encoding::eight_bit) {
    for (std::size_t i = 0; i < utf8.size();) {
      char32_t cp;
      if (!utf8_next(utf8, i, cp)) return utf8_error(utf8, i);
    }
    out.encoding = enc;
    out.units8.assign(utf8.begin(), utf8.end());
    const auto& u = out.units8;
    split(u.size(), single_part_capacity(enc), multi_part_capacity(enc, reference16), out.ends,
          [&u](std::size_t end) { return (u[end] & 0xC0) == 0x80; });  // next byte continues a character
    return {};
  }
  std::size_t i = 0;
  if (enc == Encoding::gsm7) {
    out.units8.resize(2 * utf8.size());  // at most two septets per byte of input
    std::uint8_t* o = out.units8.data();
    while (i < utf8.size()) {
      const auto b = static_cast<unsigned char>(utf8[i]);
      if (b < 0x80 && (kGsm7Latin[b] & 0x100)) {  // the common case: ASCII in the default table
        *o++ = static_cast<std::uint8_t>(kGsm7Latin[b]);
        ++i;
        continue;
      }
      char32_t cp;
      std::size_t next = i;
      if (b < 0x80) {
        cp = b;
        ++next;
      } else if (!utf8_next(utf8, next, cp)) {
        return utf8_error(utf8, i);
      }
      const int n = gsm7_encode_char(cp, o);
      if (n == 0) {
        if (force) return not_gsm7(cp, i);
        enc = Encoding::ucs2;
        break;
      }
      o += n;
      i = next;
    }
    out.units8.resize(static_cast<std::size_t>(o - out.units8.data()));
  }
  out.encoding = enc;
  if (enc == Encoding::gsm7) {
    const auto& u = out.units8;
    split(u.size(), single_part_capacity(enc), multi_part_capacity(enc, reference16), out.ends,
          [&u](std::size_t end) { return u[end - 1] == kGsm7Escape; });  // 23.038 6.2.1.1: keep ESC + code together
    return {};
  }
  // UCS2: convert everything, validating on the way (one pass).
  out.units8.clear();
  if (auto bad = to_utf16(utf8, out.units16); bad != std::string_view::npos) return utf8_error(utf8, bad);
  const auto& u = out.units16;
  split(u.size(), single_part_capacity(enc), multi_part_capacity(enc, reference16), out.ends,
        [&u](std::size_t end) { return u[end - 1] >= 0xD800 && u[end - 1] <= 0xDBFF; });  // high surrogate
  return {};
}

void segment_data(std::span<const std::uint8_t> data, bool reference16, Segmented& out) {
  out.encoding = Encoding::eight_bit;
  out.units16.clear();
  out.units8.assign(data.begin(), data.end());
  split(data.size(), single_part_capacity(Encoding::eight_bit), multi_part_capacity(Encoding::eight_bit, reference16),
        out.ends, [](std::size_t) { return false; });
}

std::size_t write_user_data(const Segmented& s, std::size_t index, std::uint16_t reference, bool reference16,
                            std::uint8_t* out) {
  const std::size_t begin = index == 0 ? 0 : s.ends[index - 1];
  const std::size_t end = s.ends[index];
  const std::size_t n = end - begin;
  std::uint8_t* ud = out + 1;
  std::size_t udh = 0;
  if (s.parts() > 1)
    udh = write_concat_udh(ud, reference, reference16, static_cast<std::uint8_t>(s.parts()),
                           static_cast<std::uint8_t>(index + 1));
  switch (s.encoding) {
    case Encoding::gsm7: {
      // 23.040 9.2.3.16: UDL counts septets, the UDH and its fill bits included.
      const std::size_t first = septets_for_octets(udh);
      const std::size_t octets = octets_for_septets(first + n);
      std::memset(ud + udh, 0, octets - udh);
      pack_septets(s.units8.data() + begin, n, first, ud);
      out[0] = static_cast<std::uint8_t>(first + n);
      return 1 + octets;
    }
    case Encoding::ucs2: {
      std::uint8_t* p = ud + udh;
      for (std::size_t k = begin; k < end; ++k) {
        *p++ = static_cast<std::uint8_t>(s.units16[k] >> 8);
        *p++ = static_cast<std::uint8_t>(s.units16[k]);
      }
      out[0] = static_cast<std::uint8_t>(udh + 2 * n);
      return 1 + udh + 2 * n;
    }
    case Encoding::eight_bit:
      if (n > 0) std::memcpy(ud + udh, s.units8.data() + begin, n);
      out[0] = static_cast<std::uint8_t>(udh + n);
      return 1 + udh + n;
  }
  return 0;
}

}  // namespace sms::pdu::detail

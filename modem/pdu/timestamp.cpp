#include "modem/pdu/timestamp.hpp"

#include <cstdio>

namespace sms::pdu::detail {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (the well-known
// era-based civil calendar arithmetic).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t y;
  unsigned m, d;
};
Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

// Semi-octets are swapped: the low nibble is the tens digit (23.040 9.1.2.3).
int swapped_bcd(std::uint8_t v) {
  const int tens = v & 0x0F, units = v >> 4;
  if (tens > 9 || units > 9) return -1;
  return tens * 10 + units;
}
std::uint8_t to_swapped_bcd(int v) { return static_cast<std::uint8_t>((v % 10) << 4 | (v / 10) % 10); }

void split(std::int64_t seconds, Civil& c, int& hh, int& mm, int& ss) {
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  c = civil_from_days(days);
  hh = static_cast<int>(rem / 3600);
  mm = static_cast<int>(rem / 60 % 60);
  ss = static_cast<int>(rem % 60);
}

}  // namespace

std::string decode_timestamp(const std::uint8_t* p, Timestamp& out) {
  static const char* const kNames[6] = {"year", "month", "day", "hour", "minute", "second"};
  int f[6];
  for (int i = 0; i < 6; ++i) {
    f[i] = swapped_bcd(p[i]);
    if (f[i] < 0) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "timestamp %s octet 0x%02X is not two decimal digits", kNames[i], p[i]);
      return buf;
    }
  }
  if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 59) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "timestamp %02d-%02d-%02d %02d:%02d:%02d is not a valid date and time", f[0],
                  f[1], f[2], f[3], f[4], f[5]);
    return buf;
  }
  // Time zone: quarters of an hour, swapped BCD, bit 3 of the octet is the sign.
  const std::uint8_t tz = p[6];
  const int tens = tz & 0x07, units = tz >> 4;
  if (units > 9) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "timestamp time zone octet 0x%02X is not decimal", tz);
    return buf;
  }
  int quarters = tens * 10 + units;
  if (tz & 0x08) quarters = -quarters;
  // Two-digit years: 90..99 are the 1990s, the rest this century.
  const int year = f[0] >= 90 ? 1900 + f[0] : 2000 + f[0];
  const std::int64_t local = days_from_civil(year, static_cast<unsigned>(f[1]), static_cast<unsigned>(f[2])) * 86400 +
                             f[3] * 3600 + f[4] * 60 + f[5];
  out.offset_minutes = quarters * 15;
  out.utc_seconds = local - static_cast<std::int64_t>(out.offset_minutes) * 60;
  return {};
}

void encode_timestamp(const Timestamp& t, std::uint8_t* out) {
  int quarters = t.offset_minutes / 15;
  if (quarters > 79) quarters = 79;
  if (quarters < -79) quarters = -79;
  Civil c;
  int hh, mm, ss;
  split(t.utc_seconds + static_cast<std::int64_t>(quarters) * 15 * 60, c, hh, mm, ss);
  out[0] = to_swapped_bcd(static_cast<int>(((c.y % 100) + 100) % 100));
  out[1] = to_swapped_bcd(static_cast<int>(c.m));
  out[2] = to_swapped_bcd(static_cast<int>(c.d));
  out[3] = to_swapped_bcd(hh);
  out[4] = to_swapped_bcd(mm);
  out[5] = to_swapped_bcd(ss);
  const int aq = quarters < 0 ? -quarters : quarters;
  out[6] = static_cast<std::uint8_t>(to_swapped_bcd(aq) | (quarters < 0 ? 0x08 : 0));
}

}  // namespace sms::pdu::detail

namespace sms::pdu {

namespace {
std::string format(const Timestamp& t, const char* fmt) {
  detail::Civil c;
  int hh, mm, ss;
  detail::split(t.utc_seconds, c, hh, mm, ss);
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, static_cast<long long>(c.y), c.m, c.d, hh, mm, ss);
  return buf;
}
}  // namespace

std::string format_utc(const Timestamp& t) { return format(t, "%04lld-%02u-%02u %02d:%02d:%02d"); }
std::string format_iso8601(const Timestamp& t) { return format(t, "%04lld-%02u-%02uT%02d:%02d:%02dZ"); }

}  // namespace sms::pdu

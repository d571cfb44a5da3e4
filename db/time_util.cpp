// UTC time text and phone-number matching helpers of the store.
#include <chrono>
#include <cstdio>
#include <ctime>

#include "db/store.hpp"

namespace sms::db {

namespace detail {
std::string format_utc(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  int milli = static_cast<int>(ms % 1000);
  if (milli < 0) {
    milli += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, milli);
  return buf;
}
}  // namespace detail

using detail::format_utc;

std::string utc_now() { return format_utc(std::chrono::system_clock::now()); }

std::string utc_in(int seconds_from_now) {
  return format_utc(std::chrono::system_clock::now() + std::chrono::seconds(seconds_from_now));
}

std::string number_digits(std::string_view number) {
  std::string out;
  for (char c : number)
    if (c >= '0' && c <= '9') out.push_back(c);
  return out;
}

bool numbers_match(std::string_view a, std::string_view b) {
  // Status reports carry the recipient as the SMSC saw it: "+8613800138000"
  // may come back as "8613800138000" (type 0x91 without '+'), or in national
  // form "013800138000" / "13800138000". Leading zeros are dialling prefixes
  // (national "0", international "00"), not part of the number.
  std::string da = number_digits(a), db = number_digits(b);
  auto strip = [](std::string& s) {
    std::size_t z = s.find_first_not_of('0');
    s.erase(0, z == std::string::npos ? s.size() : z);
  };
  strip(da);
  strip(db);
  if (da.empty() || db.empty()) return a == b;   // alphanumeric or empty: exact
  constexpr std::size_t kMinDigits = 8;
  if (da.size() < kMinDigits || db.size() < kMinDigits) return da == db;   // short codes: exact
  std::size_t n = std::min(da.size(), db.size());
  return da.compare(da.size() - n, n, db, db.size() - n, n) == 0;
}

}  // namespace sms::db

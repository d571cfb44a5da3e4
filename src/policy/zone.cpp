#include "src/policy/zone.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <vector>

namespace sms::policy {
namespace {

using std::int32_t;
using std::int64_t;

constexpr int64_t kDay = 86400;
constexpr const char* kZoneDir = "/usr/share/zoneinfo";

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil). The day may run past the month's end (linear in d); the
// month is brought into 1..12 first.
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y += floor_div(m - 1, 12);
  m -= 12 * floor_div(m - 1, 12);
  y -= m <= 2;
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;                                  // [0, 399]
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
  return era * 146097 + doe - 719468;
}

struct Ymd {
  int64_t y;
  int m, d;
};

Ymd civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = int(doy - (153 * mp + 2) / 5 + 1);
  const int m = int(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2), m, d};
}

int weekday_of(int64_t days) { return int(days - 7 * floor_div(days + 4, 7) + 4); }   // 1970-01-01: Thursday

// Wall-clock fields as seconds since 1970-01-01 00:00 of the same clock.
int64_t local_of(const Civil& c) {
  return days_from_civil(c.year, c.month, c.day) * kDay + int64_t(c.hour) * 3600 + int64_t(c.minute) * 60 + c.second;
}

Civil civil_of(int64_t local) {
  const int64_t days = floor_div(local, kDay);
  const int64_t secs = local - days * kDay;
  const Ymd ymd = civil_from_days(days);
  Civil c;
  c.year = int(ymd.y);
  c.month = ymd.m;
  c.day = ymd.d;
  c.hour = int(secs / 3600);
  c.minute = int(secs / 60 % 60);
  c.second = int(secs % 60);
  c.weekday = weekday_of(days);
  return c;
}

int64_t year_of(int64_t t) { return civil_from_days(floor_div(t, kDay)).y; }

// ---- The POSIX TZ rule of a zone file's footer ("CET-1CEST,M3.5.0,M10.5.0/3"),
// which gives the offsets after the file's last transition (RFC 8536 3.3).

struct RuleDate {
  enum Kind { kJulian1, kJulian0, kMonthWeek } kind = kMonthWeek;
  int n = 0;                  // Jn: 1..365 (no Feb 29); n: 0..365; Mm.w.d: month
  int week = 1, weekday = 0;  // Mm.w.d only (week 5 = the last)
  int64_t time = 7200;        // local time of day, seconds; RFC 8536 allows -167h..167h
};

struct PosixTz {
  int32_t std_off = 0;   // seconds east of UTC (the TZ text counts west)
  bool has_dst = false;
  int32_t dst_off = 0;
  RuleDate start, end;   // start: std -> dst; end: dst -> std (both in the old period's local time)
};

class TzText {
 public:
  explicit TzText(std::string_view s) : s_(s) {}
  bool done() const { return pos_ == s_.size(); }
  char peek() const { return done() ? '\0' : s_[pos_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // "CET" (3+ letters) or "<+0530>".
  bool name() {
    if (eat('<')) {
      std::size_t n = 0;
      while (!done() && peek() != '>') {
        char c = peek();
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-') return false;
        ++pos_;
        ++n;
      }
      return n >= 1 && eat('>');
    }
    std::size_t n = 0;
    while (std::isalpha(static_cast<unsigned char>(peek()))) ++pos_, ++n;
    return n >= 3;
  }
  bool number(int max_digits, int64_t& out) {
    int n = 0;
    out = 0;
    while (n < max_digits && std::isdigit(static_cast<unsigned char>(peek()))) out = out * 10 + (s_[pos_++] - '0'), ++n;
    return n > 0;
  }
  // [+-]hh[:mm[:ss]] in seconds.
  bool hms(int64_t max_hours, int64_t& out) {
    bool neg = eat('-');
    if (!neg) eat('+');
    int64_t h = 0, m = 0, sec = 0;
    if (!number(3, h) || h > max_hours) return false;
    if (eat(':') && (!number(2, m) || m > 59 || (eat(':') && (!number(2, sec) || sec > 59)))) return false;
    out = h * 3600 + m * 60 + sec;
    if (neg) out = -out;
    return true;
  }
  bool rule_date(RuleDate& r) {
    int64_t a = 0, b = 0, c = 0;
    if (eat('J')) {
      if (!number(3, a) || a < 1 || a > 365) return false;
      r.kind = RuleDate::kJulian1;
    } else if (eat('M')) {
      if (!number(2, a) || a < 1 || a > 12 || !eat('.') || !number(1, b) || b < 1 || b > 5 || !eat('.') ||
          !number(1, c) || c > 6)
        return false;
      r.kind = RuleDate::kMonthWeek;
    } else {
      if (!number(3, a) || a > 365) return false;
      r.kind = RuleDate::kJulian0;
    }
    r.n = int(a);
    r.week = int(b);
    r.weekday = int(c);
    r.time = 7200;
    return !eat('/') || hms(167, r.time);
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

std::optional<PosixTz> parse_posix_tz(std::string_view text) {
  TzText in(text);
  PosixTz tz;
  int64_t off = 0;
  if (!in.name() || !in.hms(24, off)) return std::nullopt;
  tz.std_off = int32_t(-off);
  if (in.done()) return tz;
  if (!in.name()) return std::nullopt;
  tz.has_dst = true;
  tz.dst_off = tz.std_off + 3600;
  if (!in.done() && in.peek() != ',') {
    if (!in.hms(24, off)) return std::nullopt;
    tz.dst_off = int32_t(-off);
  }
  if (in.done()) {   // no rule: glibc's default, the US rule
    tz.start = {RuleDate::kMonthWeek, 3, 2, 0, 7200};
    tz.end = {RuleDate::kMonthWeek, 11, 1, 0, 7200};
    return tz;
  }
  if (!in.eat(',') || !in.rule_date(tz.start) || !in.eat(',') || !in.rule_date(tz.end) || !in.done())
    return std::nullopt;
  return tz;
}

// The UTC instant at which rule date r happens in year y, when the offset in
// effect until then is `before`.
int64_t change_at(const RuleDate& r, int64_t y, int32_t before) {
  int64_t day = days_from_civil(y, 1, 1);
  switch (r.kind) {
    case RuleDate::kJulian1:
      day += r.n - 1 + (is_leap(y) && r.n >= 60 ? 1 : 0);
      break;
    case RuleDate::kJulian0:
      day += r.n;
      break;
    case RuleDate::kMonthWeek: {
      const int64_t first = days_from_civil(y, r.n, 1);
      int64_t d = (r.weekday - weekday_of(first) + 7) % 7 + int64_t(r.week - 1) * 7;
      while (d >= days_in_month(int(y), r.n)) d -= 7;
      day = first + d;
      break;
    }
  }
  return day * kDay + r.time - before;
}

int32_t posix_offset(const PosixTz& tz, int64_t t) {
  if (!tz.has_dst) return tz.std_off;
  // The latest change at or before t among the neighbouring years' changes.
  // On a tie (a zone on summer time all year: "J1/0,J365/25") the later
  // year's change wins, so the zone stays on summer time.
  const int64_t y = year_of(t);
  bool found = false;
  int64_t best_at = 0, best_year = 0;
  int best_kind = 0;
  int32_t off = tz.std_off;
  for (int64_t yy = y - 1; yy <= y + 1; ++yy) {
    const int64_t at[2] = {change_at(tz.end, yy, tz.dst_off), change_at(tz.start, yy, tz.std_off)};
    for (int kind = 0; kind < 2; ++kind) {
      if (at[kind] > t) continue;
      if (!found || at[kind] > best_at || (at[kind] == best_at && (yy > best_year || kind > best_kind))) {
        found = true;
        best_at = at[kind];
        best_year = yy;
        best_kind = kind;
        off = kind == 1 ? tz.dst_off : tz.std_off;
      }
    }
  }
  return off;
}

struct Change {
  int64_t at;
  int32_t off;   // the offset from `at` on
};

// ---- A parsed zone file.

struct TzData {
  std::vector<int64_t> at;        // transition instants, strictly ascending
  std::vector<int32_t> off;       // the offset from at[i] on
  int32_t before_first = 0;       // the first non-DST type's offset (RFC 8536 3.2; glibc)
  int32_t after_last = 0;         // the last transition's offset, when there is no footer rule
  std::optional<PosixTz> footer;  // after the last transition

  int32_t offset_at(int64_t t) const {
    if (at.empty()) return footer ? posix_offset(*footer, t) : before_first;
    if (t < at.front()) return before_first;
    if (t >= at.back()) return footer ? posix_offset(*footer, t) : after_last;
    auto i = std::upper_bound(at.begin(), at.end(), t) - at.begin() - 1;
    return off[std::size_t(i)];
  }

  // The first change of offset rule strictly after t (the offset may stay).
  std::optional<Change> next_change(int64_t t) const {
    if (!at.empty() && t < at.back()) {
      auto i = std::size_t(std::upper_bound(at.begin(), at.end(), t) - at.begin());
      return Change{at[i], off[i]};
    }
    if (!footer || !footer->has_dst) return std::nullopt;
    const int64_t y = year_of(t);
    std::optional<int64_t> best;
    for (int64_t yy = y - 1; yy <= y + 2; ++yy)
      for (int64_t c : {change_at(footer->start, yy, footer->std_off), change_at(footer->end, yy, footer->dst_off)})
        if (c > t && (!best || c < *best)) best = c;
    if (!best) return std::nullopt;
    return Change{*best, posix_offset(*footer, *best)};
  }
};

// ---- Reading a TZif file (RFC 8536).

class Bytes {
 public:
  explicit Bytes(std::string_view s) : s_(s) {}
  std::size_t pos() const { return pos_; }
  void need(std::size_t n) const {
    if (s_.size() - pos_ < n) throw std::runtime_error("truncated");
  }
  void skip(std::size_t n) {
    need(n);
    pos_ += n;
  }
  std::uint8_t u8() {
    need(1);
    return static_cast<std::uint8_t>(s_[pos_++]);
  }
  std::uint32_t u32() {
    need(4);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | static_cast<std::uint8_t>(s_[pos_++]);
    return v;
  }
  int64_t i64() {
    need(8);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | static_cast<std::uint8_t>(s_[pos_++]);
    return static_cast<int64_t>(v);
  }
  std::string_view rest() const { return s_.substr(pos_); }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

struct Counts {
  char version = 0;
  std::uint32_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

Counts read_header(Bytes& in) {
  if (in.rest().substr(0, 4) != "TZif") throw std::runtime_error("not a TZif file");
  in.need(44);
  in.skip(4);
  Counts c;
  c.version = char(in.u8());
  in.skip(15);
  c.isut = in.u32();
  c.isstd = in.u32();
  c.leap = in.u32();
  c.time = in.u32();
  c.type = in.u32();
  c.chars = in.u32();
  if (c.type == 0) throw std::runtime_error("no local time types");
  if (c.time > 1'000'000 || c.type > 256 || c.chars > 65536 || c.leap > 100'000 || c.isut > c.type || c.isstd > c.type)
    throw std::runtime_error("implausible header counts");
  return c;
}

void parse_tzif(std::string_view file, TzData& data) {
  Bytes in(file);
  Counts c = read_header(in);
  int time_size = 4;
  if (c.version != 0) {   // '2', '3', '4': skip the 32-bit block, use the 64-bit one
    in.skip(std::size_t(c.time) * 5 + std::size_t(c.type) * 6 + c.chars + std::size_t(c.leap) * 8 + c.isstd + c.isut);
    Counts c2 = read_header(in);
    if (c2.version != c.version) throw std::runtime_error("mismatched version headers");
    c = c2;
    time_size = 8;
  }
  data.at.reserve(c.time);
  for (std::uint32_t i = 0; i < c.time; ++i) {
    int64_t t = time_size == 8 ? in.i64() : int64_t(int32_t(in.u32()));
    if (!data.at.empty() && t <= data.at.back()) throw std::runtime_error("transitions out of order");
    data.at.push_back(t);
  }
  std::vector<std::uint8_t> index(c.time);
  for (auto& i : index)
    if ((i = in.u8()) >= c.type) throw std::runtime_error("bad transition type index");
  struct Type {
    int32_t utoff;
    bool dst;
  };
  std::vector<Type> types(c.type);
  for (auto& ty : types) {
    ty.utoff = int32_t(in.u32());
    std::uint8_t dst = in.u8(), desig = in.u8();
    if (ty.utoff == std::numeric_limits<int32_t>::min() || dst > 1 || desig >= c.chars)
      throw std::runtime_error("bad local time type");
    ty.dst = dst == 1;
  }
  // Abbreviations, leap seconds (ignored: "right/" zones come out off by the
  // leap seconds), standard/wall and UT/local indicators (for POSIX TZ
  // defaults only) are not needed.
  in.skip(c.chars + std::size_t(c.leap) * (time_size + 4) + c.isstd + c.isut);

  data.off.reserve(c.time);
  for (auto i : index) data.off.push_back(types[i].utoff);
  auto std_type = std::find_if(types.begin(), types.end(), [](const Type& ty) { return !ty.dst; });
  data.before_first = (std_type != types.end() ? *std_type : types.front()).utoff;
  data.after_last = data.off.empty() ? data.before_first : data.off.back();

  if (time_size == 8) {   // footer: "\n" TZ-string "\n"
    std::string_view rest = in.rest();
    if (rest.empty() || rest.front() != '\n') throw std::runtime_error("missing footer");
    auto nl = rest.find('\n', 1);
    if (nl == std::string_view::npos) throw std::runtime_error("unterminated footer");
    std::string_view tz = rest.substr(1, nl - 1);
    if (!tz.empty()) {
      data.footer = parse_posix_tz(tz);
      if (!data.footer) throw std::runtime_error("unsupported TZ rule '" + std::string(tz) + "' in the footer");
    }
  }
}

// Letters, digits, '_', '-', '+' and '/' between non-empty components; no
// leading '/' and no "..", so a name never leaves the zoneinfo directory.
bool valid_zone_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') return false;
  if (name.find("//") != std::string_view::npos || name.find("..") != std::string_view::npos) return false;
  for (char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                    ch == '-' || ch == '+' || ch == '/';
    if (!ok) return false;
  }
  return true;
}

std::string zone_dir() {
  const char* dir = std::getenv("TZDIR");
  return dir != nullptr && *dir != '\0' ? std::string(dir) : std::string(kZoneDir);
}

[[noreturn]] void unknown_zone(std::string_view name, const std::string& why) {
  throw std::invalid_argument("unknown time zone '" + std::string(name) + "' (" + why + ")");
}

// The whole file into out; else false and why, for unknown_zone.
bool read_zone_file(const std::string& dir, std::string_view name, std::string& out, std::string& error) {
  const std::string path = dir + "/" + std::string(name);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    error = err == ENOENT || err == ENOTDIR ? "no such file in " + dir : "cannot open " + path + ": " + std::strerror(err);
    return false;
  }
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= (1 << 20);
  if (!ok) error = path + " is not a zone file";
  if (ok) {
    out.resize(std::size_t(st.st_size));
    std::size_t got = 0;
    while (got < out.size()) {
      ssize_t n = ::read(fd, out.data() + got, out.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += std::size_t(n);
    }
    out.resize(got);
  }
  ::close(fd);
  return ok;
}

// Fixed-width decimal field; false unless every character is a digit.
bool digits(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool real_date(int y, int m, int d) {
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

// "YYYY-MM-DD" at the start of s.
bool read_date(std::string_view s, Civil& c) {
  return s.size() >= 10 && digits(s, 0, 4, c.year) && s[4] == '-' && digits(s, 5, 2, c.month) &&
         s[7] == '-' && digits(s, 8, 2, c.day) && real_date(c.year, c.month, c.day);
}

// The zone's IANA name from TZ ("Asia/Shanghai" or ":Asia/Shanghai"), if it
// names one; POSIX rule strings ("CST-8") are not zone names.
std::optional<std::string> zone_from_env() {
  const char* tz = std::getenv("TZ");
  if (tz == nullptr) return std::nullopt;
  std::string_view name = tz;
  if (!name.empty() && name.front() == ':') name.remove_prefix(1);
  if (name.empty()) return std::nullopt;
  return std::string(name);
}

// /etc/localtime is normally a symlink into the zoneinfo tree; its target's
// path below "zoneinfo/" is the zone's name.
std::optional<std::string> zone_from_localtime() {
  std::error_code ec;
  auto target = std::filesystem::read_symlink("/etc/localtime", ec);
  if (ec) return std::nullopt;
  auto text = target.string();
  auto at = text.find("zoneinfo/");
  if (at == std::string::npos) return std::nullopt;
  return text.substr(at + 9);
}

// Debian keeps the name in /etc/timezone too, which helps when /etc/localtime
// was copied rather than linked (some container images).
std::optional<std::string> zone_from_etc_timezone() {
  std::ifstream in("/etc/timezone");
  std::string line;
  if (!in || !std::getline(in, line) || line.empty()) return std::nullopt;
  return line;
}

std::optional<Zone> try_named(const std::optional<std::string>& name) {
  if (!name) return std::nullopt;
  try {
    return Zone::named(*name);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

struct Zone::Data : TzData {};

std::string Civil::date_text() const {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Civil::text() const {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute, second);
  return buf;
}

Zone Zone::named(std::string_view name) {
  if (!valid_zone_name(name))
    unknown_zone(name, name.empty() ? "an empty name; an IANA name such as Asia/Shanghai"
                                    : "not a zone name: letters, digits, '_', '-', '+' and '/' only");
  Zone z;
  z.name_ = std::string(name);
  if (name == "UTC" || name == "Etc/UTC") return z;   // no file needed
  const std::string dir = zone_dir();
  std::string file, error;
  if (!read_zone_file(dir, name, file, error)) unknown_zone(name, error);
  try {
    auto data = std::make_shared<Data>();
    parse_tzif(file, *data);
    z.data_ = std::move(data);
  } catch (const std::runtime_error& e) {
    unknown_zone(name, dir + "/" + std::string(name) + ": " + e.what());
  }
  return z;
}

Zone Zone::system() {
  // The order glibc uses: TZ wins over /etc/localtime.
  for (const auto& name : {zone_from_env(), zone_from_localtime(), zone_from_etc_timezone()})
    if (auto z = try_named(name)) return *z;
  return utc();
}

Zone Zone::utc() { return Zone{}; }

Civil Zone::to_local(Seconds t) const {
  const int64_t s = t.time_since_epoch().count();
  return civil_of(data_ ? s + data_->offset_at(s) : s);
}

Seconds Zone::to_utc(const Civil& c) const {
  const int64_t local = local_of(c);
  if (!data_) return Seconds{std::chrono::seconds{local}};
  // Offsets stay within about a day of UTC, so the instants that read
  // `local` lie in [local - 2 days, local + 2 days]. Walk the periods of
  // constant offset across that window: the first whose local span holds
  // `local` gives the answer (the earlier instant if two do); if `local`
  // falls between one period's end and the next's start, it is in a gap and
  // maps to the transition.
  int64_t begin = local - 2 * kDay;
  int32_t off = data_->offset_at(begin);
  for (;;) {
    const auto next = data_->next_change(begin);
    if (local >= begin + off && (!next || local < next->at + off)) break;
    if (!next) break;
    if (local >= next->at + off && local < next->at + next->off) return Seconds{std::chrono::seconds{next->at}};
    if (next->at > local + 2 * kDay) break;   // not reached for valid data
    begin = next->at;
    off = next->off;
  }
  return Seconds{std::chrono::seconds{local - off}};
}

int Zone::offset_seconds(Seconds t) const { return data_ ? data_->offset_at(t.time_since_epoch().count()) : 0; }

Civil add_days(const Civil& c, int days) {
  Civil out = civil_of((days_from_civil(c.year, c.month, c.day) + days) * kDay);
  out.hour = c.hour;
  out.minute = c.minute;
  out.second = c.second;
  return out;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && is_leap(year)) return 29;
  return kDays[month - 1];
}

std::optional<Seconds> parse_utc(std::string_view text) {
  Civil c;
  if (text.size() < 19 || !read_date(text, c) || (text[10] != ' ' && text[10] != 'T') ||
      !digits(text, 11, 2, c.hour) || text[13] != ':' || !digits(text, 14, 2, c.minute) ||
      text[16] != ':' || !digits(text, 17, 2, c.second))
    return std::nullopt;
  if (c.hour > 23 || c.minute > 59 || c.second > 59) return std::nullopt;
  // SQLite's %f adds milliseconds; the rules work in whole seconds, so the
  // fraction is checked and dropped.
  auto rest = text.substr(19);
  if (!rest.empty()) {
    if (rest.front() != '.' || rest.size() == 1) return std::nullopt;
    for (char ch : rest.substr(1))
      if (ch < '0' || ch > '9') return std::nullopt;
  }
  return Seconds{std::chrono::seconds{local_of(c)}};
}

std::string format_utc(Seconds t) { return civil_of(t.time_since_epoch().count()).text(); }

std::optional<Civil> parse_date(std::string_view text) {
  Civil c;
  if (text.size() != 10 || !read_date(text, c)) return std::nullopt;
  return civil_of(local_of(c));   // fills in the weekday
}

std::optional<int> parse_hhmm(std::string_view text) {
  int h = 0, m = 0;
  if (text.size() != 5 || !digits(text, 0, 2, h) || text[2] != ':' || !digits(text, 3, 2, m)) return std::nullopt;
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string format_hhmm(int minutes_of_day) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes_of_day / 60, minutes_of_day % 60);
  return buf;
}

}  // namespace sms::policy

#include "src/policy/number.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "modem/common/log.hpp"
#include "src/policy/phonelib.h"

namespace sms::policy {
namespace {

constexpr std::size_t kSlowCacheMax = 4096;   // numbers off the fast path (foreign, service lines) kept
constexpr std::string_view kPhonelib = "libsms_phonelib.so";

// The build-time tables (gen_region_names.cpp): {first key, count,
// description index, type} for runs of keys with the same verdict.
struct CnRun {
  std::uint32_t first;
  std::uint32_t count;
  std::uint16_t description;
  std::uint8_t type;   // SMS_PHONELIB_MOBILE, _FIXED, _OTHER
};
#include "cn_numbers.inc"

Number::Type type_of(int phonelib_type) {
  switch (phonelib_type) {
    case SMS_PHONELIB_MOBILE: return Number::Type::mobile;
    case SMS_PHONELIB_FIXED: return Number::Type::fixed;
    case SMS_PHONELIB_OTHER: return Number::Type::other;
    default: return Number::Type::invalid;
  }
}

const CnRun* find_run(std::span<const CnRun> runs, std::uint32_t key) {
  auto it = std::upper_bound(runs.begin(), runs.end(), key, [](std::uint32_t k, const CnRun& r) { return k < r.first; });
  if (it == runs.begin()) return nullptr;
  --it;
  return key - it->first < it->count ? &*it : nullptr;
}

std::uint32_t to_key(std::string_view digits) {
  std::uint32_t n = 0;
  for (char c : digits) n = n * 10 + static_cast<std::uint32_t>(c - '0');
  return n;
}

// A Chinese mobile number's 11 national digits: 1[3-9] and 9 more.
bool mobile_form(std::string_view nsn) { return nsn.size() == 11 && nsn[0] == '1' && nsn[1] >= '3'; }

// The mobile table by blocks of 1000 prefixes (130 0000..130 0999, ...):
// where a block's runs begin, so that a lookup searches ~100 runs, not 80k
// (a binary search over the whole table misses the cache at every step).
constexpr std::uint32_t kMobileFirst = 1300000, kMobileBlocks = 700;

const CnRun* find_mobile(std::uint32_t key) {
  static const auto starts = [] {
    std::array<std::uint32_t, kMobileBlocks + 1> a{};
    std::span<const CnRun> runs = kCnMobileRuns;
    for (std::uint32_t b = 0; b <= kMobileBlocks; ++b) {
      std::uint32_t first_key = kMobileFirst + b * 1000;
      auto it = std::upper_bound(runs.begin(), runs.end(), first_key, [](std::uint32_t k, const CnRun& r) { return k < r.first; });
      a[b] = static_cast<std::uint32_t>(it - runs.begin());   // the first run after the block's first key
      if (a[b] > 0) --a[b];                                      // and the one that may hold it
    }
    return a;
  }();
  std::uint32_t b = (key - kMobileFirst) / 1000;
  std::span<const CnRun> runs = kCnMobileRuns;
  return find_run(runs.subspan(starts[b], starts[b + 1] - starts[b] + 1), key);
}

// What the tables say of a Chinese national significant number (digits
// only), or nullptr if they do not hold it as valid.
const CnRun* table_verdict(std::string_view nsn) {
  if (mobile_form(nsn)) return find_mobile(to_key(nsn.substr(0, 7)));
  // Landlines: area code 10, 2x (2 digits) or 3xx-9xx (3), 7 or 8 digits more.
  if (nsn.size() < 9 || nsn[0] == '0' || (nsn[0] == '1' && nsn[1] != '0')) return nullptr;
  std::size_t area_digits = nsn[0] <= '2' ? 2 : 3;
  std::size_t length = nsn.size() - area_digits;
  if (length != 7 && length != 8) return nullptr;
  std::uint32_t key = ((static_cast<std::uint32_t>(length) - 7) * 1000 + to_key(nsn.substr(0, area_digits))) * 1000 +
                      to_key(nsn.substr(area_digits, 3));
  return find_run(kCnLandlineRuns, key);
}

// The plugin (phonelib.h), loaded on first use from
// <executable's directory>/../lib/smserver, then from the build tree.
struct Phonelib {
  decltype(&sms_phonelib_parse) parse = nullptr;
  decltype(&sms_phonelib_describe) describe = nullptr;
  std::string error;   // why it is not loaded: "libsms_phonelib.so not found (...)"
};

std::vector<std::string> phonelib_candidates(const std::optional<std::string>& override_path) {
  if (override_path) return {*override_path};
  std::vector<std::string> out;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec)
    out.push_back((exe.parent_path() / ".." / "lib" / "smserver" / kPhonelib).lexically_normal().string());
#ifdef SMS_PHONELIB_BUILD_PATH
  out.emplace_back(SMS_PHONELIB_BUILD_PATH);
#endif
  return out;
}

Phonelib load_phonelib(const std::optional<std::string>& override_path) {
  Phonelib lib;
  std::string missing, failed;
  for (const auto& path : phonelib_candidates(override_path)) {
    if (::access(path.c_str(), F_OK) != 0) {
      missing += (missing.empty() ? "" : ", ") + path;
      continue;
    }
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* e = ::dlerror();
      failed += (failed.empty() ? "" : "; ") + path + " cannot be loaded: " + (e ? e : "dlopen failed");
      continue;
    }
    auto abi = reinterpret_cast<decltype(&sms_phonelib_abi)>(::dlsym(handle, "sms_phonelib_abi"));
    auto parse = reinterpret_cast<decltype(&sms_phonelib_parse)>(::dlsym(handle, "sms_phonelib_parse"));
    auto describe = reinterpret_cast<decltype(&sms_phonelib_describe)>(::dlsym(handle, "sms_phonelib_describe"));
    if (!abi || !parse || !describe || abi() != SMS_PHONELIB_ABI) {
      failed += (failed.empty() ? "" : "; ") + path + " is not the version this program was built with";
      ::dlclose(handle);
      continue;
    }
    lib.parse = parse;   // never unloaded
    lib.describe = describe;
    return lib;
  }
  if (!failed.empty()) lib.error = failed;
  else lib.error = std::string(kPhonelib) + " not found (looked for " + (missing.empty() ? "nothing" : missing) + ")";
  return lib;
}

class PhonelibLoader {
 public:
  const Phonelib& get() {
    std::lock_guard lock(mutex_);
    if (!tried_) {
      tried_ = true;
      lib_ = load_phonelib(override_path_);
      if (!lib_.parse)
        log::warn("policy", "{}: only Chinese mobile and landline numbers and short codes can be checked",
                  lib_.error);
    }
    return lib_;
  }

  void set_path(std::string path) {
    std::lock_guard lock(mutex_);
    override_path_ = path.empty() ? std::nullopt : std::optional(std::move(path));
    tried_ = false;
    lib_ = {};   // a loaded plugin stays mapped: functions taken from it may still run
  }

 private:
  std::mutex mutex_;
  bool tried_ = false;
  Phonelib lib_;
  std::optional<std::string> override_path_;
};

PhonelibLoader& phonelib_loader() {
  static PhonelibLoader l;
  return l;
}

// The digits of a number written with digits (ASCII or full-width), spaces,
// dashes and a leading plus only: the forms the fast path takes.
struct Scan {
  std::string digits;
  bool plus = false;
  bool plain = true;   // nothing but the above
};

Scan scan(std::string_view raw) {
  Scan s;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c >= '0' && c <= '9') {
      s.digits += c;
    } else if (c == ' ' || c == '-' || c == '\t') {
    } else if (c == '+' && s.digits.empty() && !s.plus) {
      s.plus = true;
    } else if (raw.substr(i, 2) == "\xEF\xBC" && i + 2 < raw.size()) {   // U+FF00 block: full-width forms
      auto low = static_cast<unsigned char>(raw[i + 2]);
      if (low >= 0x90 && low <= 0x99) {
        s.digits += static_cast<char>('0' + (low - 0x90));
      } else if (low == 0x8B && s.digits.empty() && !s.plus) {
        s.plus = true;
      } else if (low != 0x8D) {   // U+FF0D full-width hyphen is a separator
        s.plain = false;
        return s;
      }
      i += 2;
    } else {
      s.plain = false;
      return s;
    }
  }
  return s;
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

Number invalid(std::string_view trimmed, const std::string& why) {
  Number n;
  n.e164 = std::string(trimmed);
  n.error = "'" + n.e164 + "' is not a valid phone number (" + why + ")";
  return n;
}

// Numbers libphonenumber does not know as numbers but that take messages:
// service numbers of 3 to 6 digits (10086, 95588, 12306; ShortNumberInfo
// misses many) and, in China, the 106 numbers of SMS service providers.
bool looks_like_short_code(const Scan& s, const std::string& region) {
  if (!s.plain || s.plus || s.digits.empty() || s.digits.front() == '0') return false;
  if (s.digits.size() >= 3 && s.digits.size() <= 6) return true;
  return region == "CN" && s.digits.starts_with("106") && s.digits.size() <= 21;
}

Number short_code(const Scan& s) {
  Number n;
  n.type = Number::Type::short_code;
  n.e164 = s.digits;
  return n;
}

}  // namespace

// Numbers off the tables go to the plugin, and their verdicts are cached.
struct Numbers::Impl {
  explicit Impl(std::string region) : region(std::move(region)) {}

  std::string region;
  std::unordered_map<std::string, Number> slow_numbers;
  std::unordered_map<std::string, std::string> slow_regions;

  // A Chinese number in a form whose meaning does not depend on
  // libphonenumber's parsing rules, valid by the tables; or a short code
  // dialled in China. False: the slow path decides.
  bool fast(const Scan& s, Number& out) const {
    if (!s.plain) return false;
    bool china = region == "CN";
    std::string_view d = s.digits;
    if (s.plus) {
      if (!d.starts_with("86")) return false;
      d.remove_prefix(2);
    } else if (!china) {
      return false;
    } else if (d.starts_with("0086")) {   // 00: the international prefix dialled in China
      d.remove_prefix(4);
    } else if (d.size() == 13 && d.starts_with("86") && mobile_form(d.substr(2))) {
      d.remove_prefix(2);
    } else if (d.size() >= 10 && d[0] == '0' && d[1] != '0') {   // the trunk 0 and a landline
      d.remove_prefix(1);
      if (mobile_form(d)) return false;
    } else if (!mobile_form(d)) {
      // No Chinese number has fewer digits than kCnShortestNumber, and 106
      // numbers are SMS service providers': the slow path would find no
      // number and take them for short codes all the same.
      if (looks_like_short_code(s, region) && (d.size() < std::size_t(kCnShortestNumber) || d.starts_with("106"))) {
        out = short_code(s);
        return true;
      }
      return false;
    }
    const CnRun* run = table_verdict(d);
    if (!run) return false;   // invalid: the slow path words why
    out.type = type_of(run->type);
    out.e164.reserve(3 + d.size());
    out.e164 = "+86";
    out.e164 += d;
    return true;
  }

  Number slow(std::string_view trimmed, const Scan& s) {
    const Phonelib& lib = phonelib_loader().get();
    if (!lib.parse) {
      Number n;
      n.e164 = std::string(trimmed);
      n.error = "cannot check " + n.e164 + ": " + lib.error;
      return n;
    }
    sms_phonelib_number r;
    lib.parse(trimmed.data(), trimmed.size(), region.c_str(), &r);
    if (!r.parsed) {
      if (looks_like_short_code(s, region)) return short_code(s);
      return invalid(trimmed, r.why);
    }
    bool sp_number = region == "CN" && s.plain && !s.plus && s.digits.starts_with("106");
    if (r.type != SMS_PHONELIB_INVALID && !sp_number) {
      Number out;
      out.type = type_of(r.type);
      out.e164 = r.e164;
      return out;
    }
    if (looks_like_short_code(s, region)) return short_code(s);
    if (s.plain && !s.plus && r.short_number) return short_code(s);
    return invalid(trimmed, r.why);
  }

  Number slow_cached(std::string_view trimmed, const Scan& s) {
    std::string key(trimmed);
    if (auto it = slow_numbers.find(key); it != slow_numbers.end()) return it->second;
    if (slow_numbers.size() >= kSlowCacheMax) slow_numbers.clear();   // bounded; rebuilt as used
    return slow_numbers.emplace(std::move(key), slow(trimmed, s)).first->second;
  }

  std::string region_slow(const Number& number) {
    if (auto it = slow_regions.find(number.e164); it != slow_regions.end()) return it->second;
    std::string d;
    if (const Phonelib& lib = phonelib_loader().get(); lib.describe) {
      d.resize(64);
      std::size_t size = lib.describe(number.e164.c_str(), d.data(), d.size());
      if (size >= d.size()) {
        d.resize(size + 1);
        lib.describe(number.e164.c_str(), d.data(), d.size());
      }
      d.resize(size);
    }
    if (slow_regions.size() >= kSlowCacheMax) slow_regions.clear();
    slow_regions.emplace(number.e164, d);
    return d;
  }
};

Numbers::Numbers(std::string default_region) : impl_(std::make_unique<Impl>(std::move(default_region))) {}
Numbers::~Numbers() = default;
Numbers::Numbers(Numbers&&) noexcept = default;
Numbers& Numbers::operator=(Numbers&&) noexcept = default;

Number Numbers::normalise(std::string_view raw) {
  auto trimmed = trim(raw);
  if (trimmed.empty()) {
    Number n;
    n.error = "the phone number is empty";
    return n;
  }
  Scan s = scan(trimmed);
  Number n;
  if (impl_->fast(s, n)) return n;
  return impl_->slow_cached(trimmed, s);
}

Number Numbers::normalise_for_list(std::string_view raw) {
  Number n = normalise(raw);
  if (n.type == Number::Type::short_code) {
    Number refused;
    refused.e164 = n.e164;
    refused.error = "'" + std::string(trim(raw)) + "' is a short code, not a phone number a list can hold";
    return refused;
  }
  return n;
}

std::string Numbers::region(const Number& n) {
  if (!n.valid() || n.type == Number::Type::short_code) return "";
  std::string_view e164 = n.e164;
  if (e164.starts_with("+86")) {
    auto nsn = e164.substr(3);
    if (std::all_of(nsn.begin(), nsn.end(), [](char c) { return c >= '0' && c <= '9'; }))
      if (const CnRun* run = table_verdict(nsn)) return std::string(kCnDescriptions[run->description]);
  }
  return impl_->region_slow(n);
}

const std::string& Numbers::default_region() const { return impl_->region; }

void set_phonelib_path_for_tests(std::string path) { phonelib_loader().set_path(std::move(path)); }

}  // namespace sms::policy

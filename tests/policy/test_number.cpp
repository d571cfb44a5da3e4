// Phone numbers: normalisation to E.164, the region of a number, and the
// region names of <region allow="...">. Numbers::normalise takes its fast
// path for Chinese mobile and landline numbers from build-time tables; they
// are checked here against libphonenumber itself (the plugin
// libsms_phonelib.so, called directly: Parse + IsValidNumber + the geocoder)
// for thousands of numbers, with and without the plugin behind Numbers.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>

#include "modem/common/log.hpp"
#include "src/policy/number.hpp"
#include "src/policy/phonelib.h"

using namespace sms::policy;
using Type = Number::Type;

namespace {

const std::string kPlugin = SMS_BINARY_DIR "/lib/libsms_phonelib.so";

const char* name(Type t) {
  switch (t) {
    case Type::mobile: return "mobile";
    case Type::fixed: return "fixed";
    case Type::short_code: return "short_code";
    case Type::other: return "other";
    case Type::invalid: return "invalid";
  }
  return "?";
}

// The plugin's functions, taken without number.cpp.
struct Plugin {
  decltype(&sms_phonelib_parse) parse = nullptr;
  decltype(&sms_phonelib_describe) describe = nullptr;
};

const Plugin& plugin() {
  static const Plugin p = [] {
    void* handle = dlopen(kPlugin.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) FAIL("cannot load " << kPlugin << ": " << dlerror());
    Plugin q;
    q.parse = reinterpret_cast<decltype(&sms_phonelib_parse)>(dlsym(handle, "sms_phonelib_parse"));
    q.describe = reinterpret_cast<decltype(&sms_phonelib_describe)>(dlsym(handle, "sms_phonelib_describe"));
    if (!q.parse || !q.describe) FAIL(kPlugin << " lacks its functions");
    return q;
  }();
  return p;
}

// What libphonenumber says of a number, the slow way, without number.cpp.
struct Reference {
  Type type = Type::invalid;
  std::string e164;
  std::string region;
};

Reference reference(const std::string& raw, const std::string& default_region) {
  Reference r;
  sms_phonelib_number n;
  plugin().parse(raw.data(), raw.size(), default_region.c_str(), &n);
  switch (n.type) {
    case SMS_PHONELIB_MOBILE: r.type = Type::mobile; break;
    case SMS_PHONELIB_FIXED: r.type = Type::fixed; break;
    case SMS_PHONELIB_OTHER: r.type = Type::other; break;
    default: return r;
  }
  r.e164 = n.e164;
  char region[256];
  REQUIRE(plugin().describe(n.e164, region, sizeof region) < sizeof region);
  r.region = region;
  return r;
}

// Numbers without the plugin for the scope of one test: what they still
// know comes from the tables alone. The loader's warning (once a load) is
// silenced: the cross-checks load and unload thousands of times.
struct WithoutPlugin {
  explicit WithoutPlugin(std::string path = "/nonexistent/libsms_phonelib.so") : level(sms::log::level()) {
    sms::log::set_level(sms::log::Level::error);
    set_phonelib_path_for_tests(std::move(path));
  }
  ~WithoutPlugin() {
    set_phonelib_path_for_tests("");
    sms::log::set_level(level);
  }
  sms::log::Level level;
};

std::string full_width(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    if (c >= '0' && c <= '9') out += std::string("\xEF\xBC") + static_cast<char>(0x90 + (c - '0'));
    else if (c == '+') out += "\xEF\xBC\x8B";
    else out += c;
  }
  return out;
}

// One Chinese mobile-looking number written the ways people write them.
std::string written(const std::string& digits, int style) {
  auto grouped = [&](const char* sep) {
    if (digits.size() != 11) return digits;
    return digits.substr(0, 3) + sep + digits.substr(3, 4) + sep + digits.substr(7);
  };
  switch (style) {
    case 0: return digits;
    case 1: return "+86" + digits;
    case 2: return "+86 " + grouped(" ");
    case 3: return grouped("-");
    case 4: return "0086" + digits;
    case 5: return "86" + digits;
    case 6: return full_width(digits);
    case 7: return full_width("+86 " + grouped(" "));
    case 8: return "+86-" + grouped("-");
    default: return " " + grouped(" ") + " ";
  }
}

}  // namespace

TEST_CASE("numbers as people write them", "[policy][number]") {
  struct Case {
    const char* raw;
    Type type;
    const char* e164;
    const char* region;
  } cases[] = {
      {"+86 139-5511-2345", Type::mobile, "+8613955112345", "安徽省合肥市"},
      {"008613955112345", Type::mobile, "+8613955112345", "安徽省合肥市"},
      {"8613955112345", Type::mobile, "+8613955112345", "安徽省合肥市"},
      {"13955112345", Type::mobile, "+8613955112345", "安徽省合肥市"},
      {"１３９５５１１２３４５", Type::mobile, "+8613955112345", "安徽省合肥市"},
      {"＋８６　１３９　５５１１　２３４５", Type::mobile, "+8613955112345", "安徽省合肥市"},   // ideographic spaces
      {"(+86) 139 5511 2345", Type::mobile, "+8613955112345", "安徽省合肥市"},
      {"13900152345", Type::mobile, "+8613900152345", "江苏省南京市"},
      {"0551-62345678", Type::fixed, "+8655162345678", "安徽省合肥市、巢湖市"},
      {"010-6552 9988", Type::fixed, "+861065529988", "北京市"},
      {"+86 25 8360 1234", Type::fixed, "+862583601234", "江苏省南京市"},
      {"10086", Type::short_code, "10086", ""},
      {"95588", Type::short_code, "95588", ""},
      {"12306", Type::short_code, "12306", ""},
      {"１０６９０００００１２３", Type::short_code, "106900000123", ""},   // an SMS service provider's number
      {"4008123123", Type::other, "+864008123123", ""},                // a 400 service line
      {"+1 650 253 0000", Type::mobile, "+16502530000", "美国"},        // US: fixed or mobile, cannot tell
      {"+852 9123 4567", Type::mobile, "+85291234567", "中国香港特别行政区"},
      {"+886 2 2345 6789", Type::fixed, "+886223456789", "台湾台北"},
      {"+886 912 345 678", Type::mobile, "+886912345678", "台湾"},
  };
  Numbers numbers;
  for (const auto& c : cases) {
    INFO("'" << c.raw << "'");
    Number n = numbers.normalise(c.raw);
    CHECK(name(n.type) == std::string(name(c.type)));
    CHECK(n.e164 == c.e164);
    CHECK(n.error.empty());
    CHECK(numbers.region(n) == c.region);
  }
}

TEST_CASE("invalid numbers say why in words", "[policy][number]") {
  struct Case {
    const char* raw;
    const char* error;
  } cases[] = {
      {"abc", "'abc' is not a valid phone number (it has no digits)"},
      {"+86 123", "'+86 123' is not a valid phone number (too short)"},
      {"1391234567", "'1391234567' is not a valid phone number (a Chinese mobile number has 11 digits, this one has 10)"},
      {"+86 139 5511 2345 6", "'+86 139 5511 2345 6' is not a valid phone number (a Chinese mobile number has 11 digits, this one has 12)"},
      {"+8614012345678", "'+8614012345678' is not a valid phone number (no numbers are in use in the range +86 140)"},
      {"62345678", "'62345678' is not a valid phone number (a landline number needs its area code, as in 0551-62345678)"},
      {"+999 1234 5678", "'+999 1234 5678' is not a valid phone number (unknown country code)"},
      {"12", "'12' is not a valid phone number (too short)"},
      {"  ", "the phone number is empty"},
      {"", "the phone number is empty"},
  };
  Numbers numbers;
  for (const auto& c : cases) {
    INFO("'" << c.raw << "'");
    Number n = numbers.normalise(c.raw);
    CHECK_FALSE(n.valid());
    CHECK(n.error == c.error);
    CHECK(numbers.region(n).empty());
  }
}

TEST_CASE("list numbers refuse short codes and invalid numbers", "[policy][number]") {
  Numbers numbers;
  Number ok = numbers.normalise_for_list(" 139 5511 2345 ");
  CHECK(ok.valid());
  CHECK(ok.e164 == "+8613955112345");
  CHECK(numbers.normalise_for_list("0551-62345678").e164 == "+8655162345678");

  Number shortcode = numbers.normalise_for_list("10086");
  CHECK_FALSE(shortcode.valid());
  CHECK(shortcode.error == "'10086' is a short code, not a phone number a list can hold");
  Number bad = numbers.normalise_for_list("+86 123");
  CHECK_FALSE(bad.valid());
  CHECK(bad.error == "'+86 123' is not a valid phone number (too short)");
}

TEST_CASE("another default region changes national numbers only", "[policy][number]") {
  Numbers us("US");
  CHECK(us.default_region() == "US");
  CHECK(us.normalise("(650) 253-0000").e164 == "+16502530000");
  CHECK(us.normalise("+86 139 5511 2345").e164 == "+8613955112345");   // international form: fast path
  CHECK(us.normalise("011 86 139 5511 2345").e164 == "+8613955112345"); // the US international prefix
  Number n = us.normalise("+8613955112345");
  CHECK(us.region(n) == "安徽省合肥市");
  CHECK(Numbers().default_region() == "CN");
}

// One number against libphonenumber, through Numbers with the plugin (`full`)
// and without it (`tables`): with it, the same verdict for every form; without
// it, the same for every number the tables hold (in a fast form) and "cannot
// check" for any other.
struct CrossCheck {
  std::string region;
  Numbers full{region};
  Numbers tables{region};
  int valid = 0, invalid = 0, fast = 0;

  void check(const std::string& raw, bool fast_form) {
    INFO("default region " << region << ", '" << raw << "'");
    Reference want = reference(raw, region);
    Number got = full.normalise(raw);
    REQUIRE(name(got.type) == std::string(name(want.type)));
    if (want.type == Type::invalid) {
      CHECK_FALSE(got.error.empty());
      ++invalid;
    } else {
      ++valid;
      REQUIRE(got.e164 == want.e164);
      REQUIRE(got.error.empty());
      REQUIRE(full.region(got) == want.region);
    }
    if (!fast_form) return;
    Number table;
    {
      WithoutPlugin none;
      table = tables.normalise(raw);
    }
    if (want.type == Type::invalid) {
      REQUIRE_FALSE(table.valid());
      REQUIRE(table.error.starts_with("cannot check "));
      return;
    }
    ++fast;
    REQUIRE(name(table.type) == std::string(name(want.type)));
    REQUIRE(table.e164 == want.e164);
    WithoutPlugin none;
    REQUIRE(tables.region(table) == want.region);
  }
};

TEST_CASE("the mobile table agrees with libphonenumber", "[policy][number]") {
  std::mt19937 rng(20261207);
  auto digit = [&] { return static_cast<char>('0' + std::uniform_int_distribution<int>(0, 9)(rng)); };
  auto mobile_like = [&](std::size_t length) {
    std::string d = "1";
    d += static_cast<char>('3' + std::uniform_int_distribution<int>(0, 6)(rng));
    while (d.size() < length) d += digit();
    return d;
  };
  struct Region {
    const char* code;
    int count;
    int min_valid;   // in the US only the +86 forms (4 styles in 10) are Chinese numbers
  } regions[] = {{"CN", 6000, 3000}, {"US", 1000, 300}};
  for (const auto& region : regions) {
    CrossCheck c{region.code};
    for (int i = 0; i < region.count; ++i) {
      // Mostly 11 digits; some 10 and 12, which the fast path must leave alone.
      int roll = std::uniform_int_distribution<int>(0, 19)(rng);
      std::size_t length = roll == 0 ? 10 : roll == 1 ? 12 : 11;
      int style = std::uniform_int_distribution<int>(0, 9)(rng);
      std::string raw = written(mobile_like(length), style);
      bool international = style == 1 || style == 2 || style == 7 || style == 8;
      bool fast_form = length == 11 && (c.region == "CN" || international);
      c.check(raw, fast_form);
    }
    // Both outcomes occur, so both halves of the tables are exercised.
    CHECK(c.valid > region.min_valid);
    CHECK(c.invalid > region.count / 20);
    CHECK(c.fast > region.min_valid * 3 / 4);
  }
}

TEST_CASE("the landline table agrees with libphonenumber", "[policy][number]") {
  std::mt19937 rng(551);
  auto digits = [&](std::size_t n) {
    std::string d;
    while (d.size() < n) d += static_cast<char>('0' + std::uniform_int_distribution<int>(0, 9)(rng));
    return d;
  };
  // Half the area codes from all the possible ones (most are not in use),
  // half from cities' ones.
  const char* common[] = {"10", "20", "21", "22", "23", "24", "25", "27", "28", "29",
                          "551", "553", "571", "755", "512", "431", "898", "991", "351", "731"};
  auto area = [&] {
    if (std::uniform_int_distribution<int>(0, 1)(rng)) return std::string(common[std::uniform_int_distribution<int>(0, 19)(rng)]);
    int k = std::uniform_int_distribution<int>(0, 710)(rng);   // 10, 20..29, 300..999
    return std::to_string(k == 0 ? 10 : k <= 10 ? 19 + k : 289 + k);
  };
  for (const char* region : {"CN", "US"}) {
    CrossCheck c{region};
    bool china = c.region == "CN";
    int count = china ? 5000 : 1000;
    for (int i = 0; i < count; ++i) {
      std::string a = area();
      // Mostly 7 and 8 subscriber digits; some 5, 6 and 9 (service numbers
      // and mistakes: the slow path's).
      int roll = std::uniform_int_distribution<int>(0, 19)(rng);
      std::size_t length = roll == 0 ? 5 : roll == 1 ? 6 : roll == 2 ? 9 : roll < 11 ? 7 : 8;
      std::string sub = digits(length);
      bool table_length = length == 7 || length == 8;
      std::string raw;
      bool fast_form = false;
      switch (std::uniform_int_distribution<int>(0, 9)(rng)) {
        case 0: raw = "0" + a + "-" + sub; fast_form = china; break;
        case 1: raw = "0" + a + sub; fast_form = china; break;
        case 2: raw = "+86 " + a + " " + sub.substr(0, 4) + " " + sub.substr(4); fast_form = true; break;
        case 3: raw = "0086" + a + sub; fast_form = china; break;
        case 4: raw = "+86" + a + sub; fast_form = true; break;
        case 5: raw = full_width("0" + a + "-" + sub); fast_form = china; break;
        case 6: raw = "(0" + a + ") " + sub; break;                  // not plain: the slow path's
        case 7: raw = a == "10" ? "+86 0" + a + sub : a + sub; break;  // without the trunk 0 ("10" + "6...": an SP number)
        case 8: raw = "86" + a + sub; break;
        default: raw = "+86 0" + a + " " + sub; break;
      }
      c.check(raw, fast_form && table_length);
    }
    // In the US only the +86 forms (3 styles in 10) are Chinese numbers.
    int share = china ? 5 : 20;
    CHECK(c.valid > count / share);
    CHECK(c.invalid > count / 5);
    CHECK(c.fast > count / share / 2);
  }
}

TEST_CASE("Chinese mobiles, landlines and short codes need no plugin", "[policy][number]") {
  WithoutPlugin none;
  struct Case {
    const char* raw;
    Type type;
    const char* e164;
    const char* region;
  } cases[] = {
      {"13955112345", Type::mobile, "+8613955112345", "安徽省合肥市"},
      {"+86 139-5511-2345", Type::mobile, "+8613955112345", "安徽省合肥市"},
      {"008613955112345", Type::mobile, "+8613955112345", "安徽省合肥市"},
      {"8613955112345", Type::mobile, "+8613955112345", "安徽省合肥市"},
      {"１３９５５１１２３４５", Type::mobile, "+8613955112345", "安徽省合肥市"},
      {"0551-62345678", Type::fixed, "+8655162345678", "安徽省合肥市、巢湖市"},
      {"010-6552 9988", Type::fixed, "+861065529988", "北京市"},
      {"+86 25 8360 1234", Type::fixed, "+862583601234", "江苏省南京市"},
      {"0086 21 6234 5678", Type::fixed, "+862162345678", "上海市"},
      {"10086", Type::short_code, "10086", ""},
      {"95588", Type::short_code, "95588", ""},
      {"１０６９０００００１２３", Type::short_code, "106900000123", ""},
  };
  Numbers numbers;
  for (const auto& c : cases) {
    INFO("'" << c.raw << "'");
    Number n = numbers.normalise(c.raw);
    CHECK(name(n.type) == std::string(name(c.type)));
    CHECK(n.e164 == c.e164);
    CHECK(n.error.empty());
    CHECK(numbers.region(n) == c.region);
  }
}

TEST_CASE("without the plugin other numbers are invalid, with the reason", "[policy][number]") {
  Number us;
  {
    Numbers with;
    us = with.normalise("+1 650 253 0000");
    REQUIRE(us.valid());
  }
  {
    WithoutPlugin none("/nonexistent/libsms_phonelib.so");
    Numbers numbers;
    Number n = numbers.normalise("+1 650 253 0000");
    CHECK_FALSE(n.valid());
    CHECK(n.error == "cannot check +1 650 253 0000: libsms_phonelib.so not found (looked for "
                     "/nonexistent/libsms_phonelib.so)");
    CHECK(numbers.region(n).empty());
    CHECK(numbers.region(us).empty());   // a number checked before: no region known now, no crash
    Number bad = numbers.normalise("+8614012345678");   // off the tables: cannot say why here
    CHECK_FALSE(bad.valid());
    CHECK(bad.error.starts_with("cannot check +8614012345678: "));
    CHECK(numbers.normalise_for_list("+1 650 253 0000").error == n.error);
  }
  {
    std::string junk = SMS_BINARY_DIR "/tests/policy/not-a-plugin.so";
    std::ofstream(junk) << "not a shared object\n";
    WithoutPlugin broken(junk);
    Numbers numbers;
    Number n = numbers.normalise("+1 650 253 0000");
    CHECK_FALSE(n.valid());
    CHECK(n.error.starts_with("cannot check +1 650 253 0000: " + junk + " cannot be loaded: "));
    std::remove(junk.c_str());
  }
  Numbers again;   // the usual places once more
  CHECK(again.normalise("+1 650 253 0000").e164 == "+16502530000");
}

TEST_CASE("region_allows: provinces match their cities, cities match by name", "[policy][region]") {
  struct Case {
    const char* description;   // as Numbers::region gives it
    const char* allowed;
    bool want;
  } cases[] = {
      {"安徽省合肥市", "安徽省", true},
      {"安徽省合肥市、巢湖市", "安徽省", true},
      {"安徽省合肥市", "安徽", true},
      {"安徽省合肥市", "合肥市", true},
      {"安徽省合肥市", "合肥", true},
      {"安徽省合肥市、巢湖市", "巢湖市", true},
      {"安徽省合肥市、巢湖市", "巢湖", true},
      {"北京市", "北京市", true},
      {"北京市", "北京", true},
      {"天津", "天津市", true},
      {"江苏省南京市", "安徽省", false},
      {"江苏省南京市", "南京", true},
      {"江苏省苏州市", "南京市", false},
      {"", "安徽省", false},
      {"", "", false},
      {"内蒙古呼和浩特市", "内蒙古自治区", true},
      {"内蒙古呼和浩特市", "内蒙古", true},
      {"广西南宁市", "广西壮族自治区", true},
      {"新疆乌鲁木齐市", "新疆维吾尔自治区", true},
      {"湖北省恩施土家族苗族自治州", "恩施州", true},
      {"湖北省恩施土家族苗族自治州", "恩施", true},
      {"湖北省恩施土家族苗族自治州", "湖北", true},
      {"内蒙古锡林郭勒盟", "锡林郭勒", true},
      {"吉林省吉林市", "吉林", true},        // the province: 吉林 names it first
      {"吉林省长春市", "吉林市", false},
      {"吉林省吉林市", "吉林市", true},     // a city whose name begins with its province's
      {"青海省海南藏族自治州", "海南州", true},
      {"青海省海南藏族自治州", "海南", false},   // 海南 is the province
      {"海南省海口市", "海南州", false},
      {"中国香港特别行政区", "香港", true},
      {"中国澳门特别行政区", "香港", false},
      {"台湾台北", "台湾", true},
      {"台湾台北", "台北", true},
      {"台湾台中、彰化", "彰化", true},
      {"安徽省合肥市", "江苏省, 安徽省", true},   // a comma list
      {"安徽省合肥市", "江苏省,南京市", false},
      {"安徽省合肥市", "安徽省合肥市", true},
      {"安徽省芜湖市", "安徽省合肥市", false},
      {"江苏省南京市", "安徽省南京市", false},
      {"安徽省合肥市", "肥市", false},
      {"美国", "安徽省", false},
      {"中国", "中国", false},
  };
  for (const auto& c : cases) {
    INFO("'" << c.description << "' under allow=\"" << c.allowed << "\"");
    CHECK(region_allows(c.description, c.allowed) == c.want);
  }
}

TEST_CASE("an Anhui and a Jiangsu mobile number under region allow=\"安徽省\"", "[policy][region]") {
  Numbers numbers;
  auto allowed = [&](const char* raw) { return region_allows(numbers.region(numbers.normalise(raw)), "安徽省"); };
  CHECK(allowed("13955112345"));
  CHECK_FALSE(allowed("13900152345"));
  CHECK(allowed("0551-62345678"));
  CHECK_FALSE(allowed("10086"));            // a short code has no region
  CHECK_FALSE(allowed("+1 650 253 0000"));
}

TEST_CASE("known region names for config validation", "[policy][region]") {
  struct Case {
    const char* name;
    bool known;
  } cases[] = {
      {"安徽省", true},   {"安徽", true},     {"北京市", true},   {"北京", true},   {"合肥市", true},
      {"合肥", true},     {"南京市", true},   {"苏州市", true},   {"巢湖市", true}, {"广西壮族自治区", true},
      {"广西", true},     {"内蒙古", true},   {"香港", true},     {"澳门", true},   {"台湾", true},
      {"呼和浩特市", true}, {"恩施土家族苗族自治州", true}, {"恩施州", true}, {"延边", true},
      {"锡林郭勒盟", true}, {"神农架林区", true}, {"台北", true}, {" 合肥市 ", true},
      {"安徽省合肥市", true},
      {"安微省", false},  {"合肥县", false},  {"火星", false},   {"中国", false},  {"美国", false},
      {"", false},        {"市", false},      {"Anhui", false},  {"安徽省南京市", false},
  };
  for (const auto& c : cases) {
    INFO("'" << c.name << "'");
    CHECK(is_known_region(c.name) == c.known);
  }
}

TEST_CASE("close names are suggested", "[policy][region]") {
  struct Case {
    const char* name;
    const char* want;
  } cases[] = {
      {"安微省", "安徽省"}, {"江苏生", "江苏省"}, {"和肥市", "合肥市"}, {"黑龙江", ""},   // known: nothing to suggest
      {"恩施土家族", "恩施土家族苗族自治州"}, {"Atlantis", ""},      {"", ""},
  };
  for (const auto& c : cases) {
    INFO("'" << c.name << "'");
    CHECK(suggest_region(c.name) == c.want);
  }
}

TEST_CASE("cost of normalise + region on the fast path", "[.bench][policy][number]") {
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  CHECK(is_known_region("合肥"));   // first call: builds the name tables
  auto known_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();

  std::mt19937 rng(7);
  std::vector<std::string> raws;
  for (int i = 0; i < 1000; ++i) {
    std::string d = "13";
    while (d.size() < 11) d += static_cast<char>('0' + std::uniform_int_distribution<int>(0, 9)(rng));
    raws.push_back(written(d, i % 10));
  }
  Numbers numbers;
  std::size_t sink = 0;
  for (const auto& r : raws) sink += numbers.region(numbers.normalise(r)).size();   // warm the cache
  const int rounds = 500;
  auto t1 = Clock::now();
  for (int round = 0; round < rounds; ++round)
    for (const auto& r : raws) {
      Number n = numbers.normalise(r);
      sink += numbers.region(n).size() + n.e164.size();
    }
  auto per_call_ns = std::chrono::duration<double, std::nano>(Clock::now() - t1).count() / (rounds * raws.size());

  Numbers cold;
  auto t2 = Clock::now();
  for (int i = 0; i < 1000; ++i) {
    Number n = cold.normalise("0551-6" + std::to_string(2000000 + i));
    sink += cold.region(n).size();
  }
  auto land_us = std::chrono::duration<double, std::micro>(Clock::now() - t2).count() / 1000;
  auto t3 = Clock::now();
  for (int i = 0; i < 1000; ++i) {
    Number n = cold.normalise("+1 650 253 " + std::to_string(1000 + i));
    sink += cold.region(n).size();
  }
  auto slow_us = std::chrono::duration<double, std::micro>(Clock::now() - t3).count() / 1000;
  WARN("normalise + region, fast path, warm: " << per_call_ns << " ns; landline: " << land_us
                                               << " us; US number (slow path): " << slow_us
                                               << " us; first is_known_region: " << known_ms << " ms; " << sink);
  CHECK(known_ms < 50);
}

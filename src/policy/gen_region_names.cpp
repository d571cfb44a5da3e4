// Build-time generator, with libphonenumber's public API only; two outputs:
//
// 1. REGION_NAMES: every area description the offline geocoder gives in
//    Chinese for China (+86) and Taiwan (+886), as C++ initialisers that
//    regions.cpp compiles in, so that config validation knows the city names
//    the geocoder uses without vendoring its data.
// 2. CN_NUMBERS: what libphonenumber says of Chinese mobile and landline
//    numbers, as run-length tables that number.cpp compiles in, so that the
//    common numbers need neither libphonenumber nor its geocoder at run time
//    (loading them costs a process ~25 ms; see phonelib.h):
//    - mobile: every 7-digit prefix 1300000..1999999 (validity, type and
//      description depend on the first 7 of the 11 digits alone);
//    - landline: key ((L - 7) * 1000 + area) * 1000 + first 3 subscriber
//      digits, for area codes 10, 2x and 3xx-9xx (the national number
//      without the trunk 0) and subscriber numbers of L = 7 or 8 digits:
//      libphonenumber's patterns for them branch on those digits only.
//    One in eight keys is looked up again with other trailing digits; a
//    difference fails the build, since the tables would then be wrong.
//    The shortest national number libphonenumber holds possible in China is
//    written too: shorter plain digits are never valid numbers (short codes).
//
// The data is only reachable through lookups; the walks take seconds (too
// slow for starting a program, fine once a build), in two processes.
#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

using Found = std::set<std::pair<int, std::string>>;   // sorted, so the output is stable

// The type codes of phonelib.h (SMS_PHONELIB_*), which number.cpp uses too.
enum : int { kInvalid = 0, kMobile = 1, kFixed = 2, kOther = 3 };

int type_code(PhoneNumberUtil::PhoneNumberType t) {
  switch (t) {
    case PhoneNumberUtil::UNKNOWN: return kInvalid;
    case PhoneNumberUtil::FIXED_LINE: return kFixed;
    case PhoneNumberUtil::MOBILE:
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return kMobile;
    default: return kOther;
  }
}

// What libphonenumber says of one national number: its type code and, if
// valid, the geocoder's description as Numbers::region() gives it.
struct Verdict {
  int type = kInvalid;
  std::string description;
  bool operator==(const Verdict&) const = default;
};

class Walker {
 public:
  Walker(int country_code, const char* region, Found& found) : country_code_(country_code), found_(found) {
    icu::UnicodeString name;
    icu::Locale("", region).getDisplayCountry(zh_, name);
    name.toUTF8String(country_name_);
  }

  // For the names: any prefix, valid or not.
  void look_up(std::uint64_t national) {
    PhoneNumber n = number(national);
    // The valid-number variant: the walk feeds prefixes, not real numbers.
    auto description = geocoder_.GetDescriptionForValidNumber(n, zh_);
    // The country's own name is the fallback for "no area known", not an area.
    if (!description.empty() && description != country_name_) found_.insert({country_code_, description});
  }

  // As PhoneNumberOfflineGeocoder::GetDescriptionForNumber does it (GetNumberType
  // once, not three times: IsValidNumber is GetNumberType != UNKNOWN for a
  // country of one region), made uniform as phonelib.cpp does for China.
  // With `name`, look_up(national) as well, without a second geocoder lookup
  // where the verdict made one.
  Verdict verdict(std::uint64_t national, bool name = false) {
    PhoneNumber n = number(national);
    auto type = util_.GetNumberType(n);
    Verdict v;
    v.type = type_code(type);
    if (v.type != kInvalid && util_.IsNumberGeographical(type, country_code_)) {
      v.description = geocoder_.GetDescriptionForValidNumber(n, zh_);
      if (name && !v.description.empty() && v.description != country_name_) found_.insert({country_code_, v.description});
    } else {
      if (name) look_up(national);
      if (v.type != kInvalid) v.description = country_name_;
    }
    if (v.description == country_name_) v.description.clear();
    return v;
  }

 private:
  PhoneNumber number(std::uint64_t national) const {
    PhoneNumber n;
    n.set_country_code(country_code_);
    n.set_national_number(national);
    return n;
  }

  const PhoneNumberUtil& util_ = *PhoneNumberUtil::GetInstance();
  PhoneNumberOfflineGeocoder geocoder_;
  icu::Locale zh_{"zh", "CN"};
  int country_code_;
  Found& found_;
  std::string country_name_;
};

// A table of valid keys: key -> verdict, invalid keys left out.
using Table = std::map<std::uint32_t, Verdict>;

struct Mismatch {
  std::vector<std::string> lines;
  void add(std::uint64_t a, std::uint64_t b) {
    if (lines.size() < 10) lines.push_back("+86 " + std::to_string(a) + " and +86 " + std::to_string(b));
  }
};

void walk_china_mobile(Found& found, Table& table, Mismatch& mismatch) {
  Walker w(86, "CN", found);
  for (std::uint32_t prefix = 1300000; prefix < 2000000; ++prefix) {
    std::uint64_t national = std::uint64_t{prefix} * 10000 + 1234;
    Verdict v = w.verdict(national, true);
    if (prefix % 8 == 0) {
      std::uint64_t other = std::uint64_t{prefix} * 10000 + 8765;
      if (!(w.verdict(other) == v)) mismatch.add(national, other);
    }
    if (v.type != kInvalid) table.emplace(prefix, std::move(v));
  }
}

constexpr bool is_area_code(std::uint32_t area) { return area == 10 || (area >= 20 && area < 30) || (area >= 300 && area < 1000); }

// A subscriber number of `length` digits that begins with `first3`.
std::uint64_t landline(std::uint32_t area, int length, std::uint32_t first3, std::uint64_t tail_seed) {
  std::uint64_t n = area;
  for (int i = 0; i < length; ++i) n *= 10;
  std::uint64_t sub = first3;
  for (int i = 3; i < length; ++i) sub = sub * 10 + (tail_seed + 3 * i) % 10;
  return n + sub;
}

void walk_china_landline(Found& found, Table& table, Mismatch& mismatch) {
  Walker w(86, "CN", found);
  // The names: the data describes landlines by area code alone; the
  // subscriber's first two digits are walked as well in case a later version
  // goes finer.
  for (std::uint32_t area = 10; area < 1000; ++area) {
    if (!is_area_code(area)) continue;
    for (std::uint64_t first = 0; first < 100; ++first) w.look_up(area * 100000000ull + first * 1000000 + 12345);
  }
  // The table.
  for (int length = 7; length <= 8; ++length) {
    for (std::uint32_t area = 10; area < 1000; ++area) {
      if (!is_area_code(area)) continue;
      for (std::uint32_t first3 = 0; first3 < 1000; ++first3) {
        std::uint32_t key = ((std::uint32_t(length) - 7) * 1000 + area) * 1000 + first3;
        std::uint64_t national = landline(area, length, first3, 5);
        Verdict v = w.verdict(national);
        if (key % 8 == 0) {
          std::uint64_t other = landline(area, length, first3, 2);
          if (!(w.verdict(other) == v)) mismatch.add(national, other);
        }
        if (v.type != kInvalid) table.emplace(key, std::move(v));
      }
    }
  }
}

void walk_taiwan(Found& found) {
  Walker w(886, "TW", found);
  for (std::uint64_t prefix = 1000; prefix < 10000; ++prefix) w.look_up(prefix * 10000 + 1234);
}

// The shortest national number length libphonenumber holds possible in China
// (IS_POSSIBLE: not merely "a local number"); no shorter number is valid.
int shortest_chinese_number() {
  const auto& util = *PhoneNumberUtil::GetInstance();
  for (int length = 1; length <= 17; ++length) {
    PhoneNumber n;
    n.set_country_code(86);
    std::uint64_t national = 1;
    for (int i = 1; i < length; ++i) national = national * 10 + 1;
    n.set_national_number(national);
    if (util.IsPossibleNumberWithReason(n) == PhoneNumberUtil::IS_POSSIBLE) return length;
  }
  return 17;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

// Runs of consecutive keys with the same verdict: {first, count, description, type}.
std::size_t write_runs(std::ostream& out, const char* name, const Table& table,
                       const std::map<std::string, int>& description_index) {
  out << "inline constexpr CnRun " << name << "[] = {\n";
  std::size_t runs = 0;
  for (auto it = table.begin(); it != table.end();) {
    auto first = it->first;
    const Verdict& v = it->second;
    std::uint32_t count = 0;
    while (it != table.end() && it->first == first + count && it->second == v) {
      ++count;
      ++it;
    }
    out << "{" << first << ", " << count << ", " << description_index.at(v.description) << ", " << v.type << "},\n";
    ++runs;
  }
  out << "};\n";
  return runs;
}

// The child's results, one a line: "N code description", "T key type
// description", "M mismatch" (descriptions hold no newline).
bool save(const std::string& path, const Found& found, const Table& table, const Mismatch& mismatch) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& [code, d] : found) out << "N " << code << " " << d << "\n";
  for (const auto& [key, v] : table) out << "T " << key << " " << v.type << " " << v.description << "\n";
  for (const auto& m : mismatch.lines) out << "M " << m << "\n";
  return bool(out.flush());
}

bool load(const std::string& path, Found& found, Table& table, Mismatch& mismatch) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string tag;
    fields >> tag;
    auto rest = [&] {
      std::string r;
      std::getline(fields >> std::ws, r);
      return r;
    };
    if (tag == "N") {
      int code = 0;
      fields >> code;
      found.insert({code, rest()});
    } else if (tag == "T") {
      std::uint32_t key = 0;
      Verdict v;
      fields >> key >> v.type;
      v.description = rest();
      table.emplace(key, std::move(v));
    } else if (tag == "M") {
      mismatch.lines.push_back(rest());
    } else {
      return false;
    }
  }
  return true;
}

// Writes to a temporary file renamed into place, so an interrupted build
// never leaves a truncated file that looks up to date.
bool write_file(const std::string& path, const std::function<void(std::ostream&)>& body) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    body(out);
    if (!out.flush()) {
      std::cerr << "gen_region_names: cannot write " << tmp << "\n";
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::perror(path.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: gen_region_names REGION_NAMES_OUTPUT CN_NUMBERS_OUTPUT\n";
    return 2;
  }
  Found found_mobile, found_landline;
  Table mobile, landline;
  Mismatch mobile_mismatch, landline_mismatch;
  // The landlines in a child process: threads would gain nothing, as
  // libphonenumber's regular-expression cache takes a lock on every match.
  std::string landline_file = std::string(argv[2]) + ".landline.tmp";
  pid_t child = fork();
  if (child < 0) {
    std::perror("gen_region_names: fork");
    return 1;
  }
  if (child == 0) {
    walk_china_landline(found_landline, landline, landline_mismatch);
    walk_taiwan(found_landline);
    _exit(save(landline_file, found_landline, landline, landline_mismatch) ? 0 : 1);
  }
  walk_china_mobile(found_mobile, mobile, mobile_mismatch);
  int status = 0;
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      !load(landline_file, found_landline, landline, landline_mismatch)) {
    std::cerr << "gen_region_names: the landline walk failed\n";
    return 1;
  }
  std::remove(landline_file.c_str());

  bool consistent = true;
  for (const auto* m : {&mobile_mismatch, &landline_mismatch}) {
    for (const auto& line : m->lines) {
      std::cerr << "gen_region_names: libphonenumber differs on " << line
                << ", which the tables take to be alike; number.cpp's fast path needs a finer key\n";
      consistent = false;
    }
  }
  if (!consistent) return 1;

  Found found = found_mobile;
  found.insert(found_landline.begin(), found_landline.end());
  bool ok = write_file(argv[1], [&](std::ostream& out) {
    out << "// Generated by src/policy/gen_region_names.cpp from libgeocoding's data at\n"
           "// build time: {country calling code, Chinese area description}. Do not edit.\n";
    for (const auto& [code, description] : found) out << "{" << code << ", " << quoted(description) << "},\n";
  });

  // Descriptions in order of first use, "" first (index 0).
  std::map<std::string, int> description_index{{"", 0}};
  std::vector<std::string> descriptions{""};
  for (const auto* t : {&mobile, &landline})
    for (const auto& [key, v] : *t)
      if (description_index.emplace(v.description, int(descriptions.size())).second) descriptions.push_back(v.description);
  std::size_t mobile_runs = 0, landline_runs = 0;
  ok = ok && write_file(argv[2], [&](std::ostream& out) {
    out << "// Generated by src/policy/gen_region_names.cpp from libphonenumber's data at\n"
           "// build time: Chinese mobile and landline numbers as run-length tables of\n"
           "// {first key, count, description index, type (1 mobile, 2 fixed, 3 other)};\n"
           "// keys left out are not valid numbers. Do not edit.\n"
           "// Mobile key: the first 7 of the 11 digits. Landline key:\n"
           "// ((L - 7) * 1000 + area code) * 1000 + first 3 of the L subscriber digits.\n";
    out << "inline constexpr int kCnShortestNumber = " << shortest_chinese_number() << ";\n";
    out << "inline constexpr std::string_view kCnDescriptions[] = {\n";
    for (const auto& d : descriptions) out << quoted(d) << ",\n";
    out << "};\n";
    mobile_runs = write_runs(out, "kCnMobileRuns", mobile, description_index);
    landline_runs = write_runs(out, "kCnLandlineRuns", landline, description_index);
  });
  if (!ok) return 1;
  std::cout << "gen_region_names: " << found.size() << " area names; " << mobile.size() << " mobile prefixes in "
            << mobile_runs << " runs, " << landline.size() << " landline keys in " << landline_runs << " runs, "
            << descriptions.size() << " descriptions\n";
  return 0;
}

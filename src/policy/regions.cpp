// Region names for <region allow="..."> and the region rule: the province-level
// divisions as facts, the cities as libphonenumber's geocoder names them
// (region_names.inc, generated at build time by gen_region_names).
//
// A geocoder description is a province followed by one or more cities joined
// by "、": "安徽省合肥市", "安徽省合肥市、巢湖市", "内蒙古呼和浩特市"; a
// municipality is the province alone ("北京市"). Hong Kong and Macau come as
// their country names ("中国香港特别行政区"); Numbers::region() puts "台湾" in
// front of Taiwan's city names ("台湾台北").
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "src/policy/number.hpp"

namespace sms::policy {
namespace {

struct Province {
  std::string_view full;    // the official name
  std::string_view short_;  // the name without its designation, as people write it
};

// The 34 province-level divisions: 23 provinces (台湾 included), 4
// municipalities, 5 autonomous regions, 2 special administrative regions.
// The geocoder writes some of them short ("内蒙古", "广西"); both forms match.
constexpr Province kProvinces[] = {
    {"北京市", "北京"},         {"天津市", "天津"},           {"上海市", "上海"},
    {"重庆市", "重庆"},         {"河北省", "河北"},           {"山西省", "山西"},
    {"辽宁省", "辽宁"},         {"吉林省", "吉林"},           {"黑龙江省", "黑龙江"},
    {"江苏省", "江苏"},         {"浙江省", "浙江"},           {"安徽省", "安徽"},
    {"福建省", "福建"},         {"江西省", "江西"},           {"山东省", "山东"},
    {"河南省", "河南"},         {"湖北省", "湖北"},           {"湖南省", "湖南"},
    {"广东省", "广东"},         {"海南省", "海南"},           {"四川省", "四川"},
    {"贵州省", "贵州"},         {"云南省", "云南"},           {"陕西省", "陕西"},
    {"甘肃省", "甘肃"},         {"青海省", "青海"},           {"台湾省", "台湾"},
    {"内蒙古自治区", "内蒙古"}, {"广西壮族自治区", "广西"},   {"西藏自治区", "西藏"},
    {"宁夏回族自治区", "宁夏"}, {"新疆维吾尔自治区", "新疆"}, {"香港特别行政区", "香港"},
    {"澳门特别行政区", "澳门"},
};
static_assert(std::size(kProvinces) == 34);
constexpr int kTaiwan = 26;
static_assert(kProvinces[kTaiwan].short_ == "台湾");

// The designations a city name may be written without: "合肥市" -> "合肥".
constexpr std::string_view kCitySuffixes[] = {"市", "地区", "林区", "盟", "县"};
constexpr std::string_view kAutonomous = "自治州";
constexpr std::string_view kZhou = "州";
// The peoples named in the autonomous prefectures' names: "恩施土家族苗族自治州"
// is called "恩施" or "恩施州", the part before the first of them.
constexpr std::string_view kPeoples[] = {"土家族", "苗族",   "白族",   "傣族",   "景颇族", "傈僳族", "壮族",
                                         "彝族",   "哈尼族", "藏族",   "朝鲜族", "羌族",   "回族",   "侗族",
                                         "布依族", "蒙古",   "哈萨克", "柯尔克孜"};
constexpr std::string_view kCountry = "中国";   // Hong Kong's and Macau's descriptions start with it
constexpr std::string_view kListSeparator = "、";

struct GeocodedArea {
  int country_code;
  std::string_view description;
};
constexpr GeocodedArea kGeocoded[] = {
#include "region_names.inc"
};

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int province_named(std::string_view name) {
  for (int i = 0; i < int(std::size(kProvinces)); ++i)
    if (name == kProvinces[i].full || name == kProvinces[i].short_) return i;
  return -1;
}

// The province a text starts with (the longer form first: "安徽省合肥市" is
// 安徽省 + 合肥市, not 安徽 + 省合肥市), and the length of its name there.
int province_prefix(std::string_view text, std::size_t& length) {
  for (int i = 0; i < int(std::size(kProvinces)); ++i) {
    for (auto form : {kProvinces[i].full, kProvinces[i].short_}) {
      if (text.starts_with(form)) {
        length = form.size();
        return i;
      }
    }
  }
  return -1;
}

struct Area {
  int province = -1;
  std::string_view cities;   // "合肥市、巢湖市"; empty for a municipality
};

Area parse_description(std::string_view d) {
  Area area;
  std::size_t length = 0;
  if (d.starts_with(kCountry) && province_prefix(d.substr(kCountry.size()), length) >= 0)
    d.remove_prefix(kCountry.size());
  area.province = province_prefix(d, length);
  // Outside the provinces (another country, "中国" alone) no city is known.
  if (area.province >= 0) area.cities = d.substr(length);
  return area;
}

template <class F>
bool any_city(std::string_view cities, F&& f) {
  while (!cities.empty()) {
    auto at = cities.find(kListSeparator);
    if (f(cities.substr(0, at))) return true;
    if (at == std::string_view::npos) break;
    cities.remove_prefix(at + kListSeparator.size());
  }
  return false;
}

// A city's name without its designation, or "" if it has none that can go.
struct ShortForm {
  std::string_view base;     // "合肥", "恩施"
  bool autonomous = false;   // "恩施州" is a name of it as well
};

ShortForm short_form(std::string_view city) {
  if (city.ends_with(kAutonomous)) {
    std::size_t first = city.size();
    for (auto people : kPeoples) first = std::min(first, city.find(people));
    auto base = city.substr(0, first);
    if (first < city.size() && code_points(base) >= 2) return {base, true};
    return {};
  }
  for (auto suffix : kCitySuffixes) {
    if (!city.ends_with(suffix)) continue;
    auto base = city.substr(0, city.size() - suffix.size());
    if (code_points(base) >= 2) return {base, false};   // "沙市" is not "沙"
  }
  return {};
}

bool names_city(std::string_view city, std::string_view name) {
  if (name == city) return true;
  auto form = short_form(city);
  if (form.base.empty()) return false;
  if (name == form.base) return true;
  return form.autonomous && name.size() == form.base.size() + kZhou.size() && name.starts_with(form.base) &&
         name.ends_with(kZhou);
}

// One allowed name against one description.
bool allows(const Area& area, std::string_view name) {
  if (int p = province_named(name); p >= 0) return area.province == p;
  auto names = [&](std::string_view n) {
    return any_city(area.cities, [&](std::string_view city) { return names_city(city, n); });
  };
  // A city first: "吉林市" and "海南州" begin with a province's name too.
  if (names(name)) return true;
  std::size_t length = 0;
  int p = province_prefix(name, length);   // "安徽省合肥市": that province's city
  return p >= 0 && p == area.province && length < name.size() && names(name.substr(length));
}

// Every name is_known_region accepts, provinces first (suggest_region prefers them).
struct Known {
  std::vector<std::string> names;
  std::set<std::string, std::less<>> cities;            // "合肥市", "合肥"
  std::set<std::string, std::less<>> province_cities;   // "安徽省合肥市", "安徽合肥"
};

void add_city(Known& k, int province, std::string_view city) {
  if (city.empty()) return;
  std::vector<std::string> forms{std::string(city)};
  auto form = short_form(city);
  if (!form.base.empty()) forms.emplace_back(form.base);
  if (form.autonomous) forms.push_back(std::string(form.base) + std::string(kZhou));
  for (const auto& f : forms) {
    k.cities.insert(f);
    for (auto p : {kProvinces[province].full, kProvinces[province].short_}) k.province_cities.insert(std::string(p) + f);
  }
}

Known build_known() {
  Known k;
  for (const auto& p : kProvinces) {
    k.names.emplace_back(p.full);
    k.names.emplace_back(p.short_);
  }
  for (const auto& g : kGeocoded) {
    // Taiwan's descriptions are its cities alone ("台北", "台中、彰化").
    auto area = g.country_code == 886 ? Area{kTaiwan, g.description} : parse_description(g.description);
    any_city(area.cities, [&](std::string_view city) {
      add_city(k, area.province, city);
      return false;
    });
  }
  for (const auto& c : k.cities)
    if (province_named(c) < 0) k.names.push_back(c);
  return k;
}

const Known& known() {
  static const Known k = build_known();
  return k;
}

std::vector<char32_t> decode(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = len == 1 ? b : b & (0x3F >> (len - 1));
    for (std::size_t j = 1; j < len && i + j < s.size(); ++j) c = (c << 6) | (static_cast<unsigned char>(s[i + j]) & 0x3F);
    out.push_back(c);
    i += len;
  }
  return out;
}

// Levenshtein distance over code points (a Chinese character is one edit).
std::size_t distance(const std::vector<char32_t>& a, const std::vector<char32_t>& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

bool region_allows(std::string_view description, std::string_view allowed) {
  if (description.empty()) return false;
  Area area = parse_description(description);
  // A comma list is accepted too, as written in <region allow="...">.
  while (true) {
    auto comma = allowed.find(',');
    auto name = trim(allowed.substr(0, comma));
    if (!name.empty() && allows(area, name)) return true;
    if (comma == std::string_view::npos) return false;
    allowed.remove_prefix(comma + 1);
  }
}

bool is_known_region(std::string_view name) {
  name = trim(name);
  if (name.empty()) return false;
  if (province_named(name) >= 0) return true;
  const Known& k = known();
  return k.cities.find(name) != k.cities.end() || k.province_cities.find(name) != k.province_cities.end();
}

std::string suggest_region(std::string_view name) {
  name = trim(name);
  if (name.empty() || is_known_region(name)) return "";
  auto wanted = decode(name);
  // One edit in a short name, two in a longer one; more is a different place.
  std::size_t best = wanted.size() <= 3 ? 1 : 2;
  std::string suggestion;
  for (const auto& candidate : known().names) {
    auto d = distance(wanted, decode(candidate));
    if (d < best || (d == best && suggestion.empty())) {
      best = d;
      suggestion = candidate;
    }
  }
  if (!suggestion.empty()) return suggestion;
  // A name cut short ("恩施土家族") names the one known name it begins.
  for (const auto& candidate : known().names)
    if (wanted.size() >= 2 && std::string_view(candidate).starts_with(name)) return candidate;
  return "";
}

}  // namespace sms::policy

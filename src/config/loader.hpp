#pragma once
// The loader of smserver.xml, shared by the files of the config layer
// (config.cpp: the file, the server's elements; policy.cpp: <policy>).
// Internal to src/config: nothing outside includes it.
#include <fmt/format.h>
#include <tinyxml2.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "modem/common/result.hpp"
#include "src/config/config.hpp"
#include "src/config/values.hpp"

namespace sms::config::detail {

using Handler = std::function<void(const tinyxml2::XMLAttribute&)>;
struct AttrRule {
  std::string_view name;
  Handler apply;
};

class Loader {
  using XMLAttribute = tinyxml2::XMLAttribute;
  using XMLElement = tinyxml2::XMLElement;
  using milliseconds = std::chrono::milliseconds;
  using seconds = std::chrono::seconds;

 public:
  Loader(std::string shown_path, std::filesystem::path absolute_path)
      : path_(std::move(shown_path)), absolute_(std::move(absolute_path)), dir_(absolute_.parent_path()) {}

  Config run(std::string_view xml);

 private:
  [[noreturn]] void fail(int line, const std::string& message) const { throw ConfigError(path_, line, message); }
  [[noreturn]] void bad(const XMLElement& e, const XMLAttribute& a, const std::string& why) const {
    fail(a.GetLineNum(), fmt::format("<{}> {}=\"{}\": {}", e.Name(), a.Name(), a.Value(), why));
  }
  template <class T>
  T get(const XMLElement& e, const XMLAttribute& a, Result<T> r) const {
    if (!r) bad(e, a, r.error());
    return std::move(r).value();
  }

  void apply_attributes(const XMLElement& e, const std::vector<AttrRule>& rules) const;
  void require(const XMLElement& e, std::string_view attribute) const;
  // Rejects text and child elements other than `children` (reported with a suggestion).
  void check_content(const XMLElement& e, const std::vector<std::string_view>& children) const;

  milliseconds ms_value(const XMLElement& e, const XMLAttribute& a, std::int64_t min_ms, std::int64_t max_ms = INT_MAX) const;
  seconds s_value(const XMLElement& e, const XMLAttribute& a, std::int64_t min_s) const;
  int int_value(const XMLElement& e, const XMLAttribute& a, std::int64_t min, std::int64_t max) const {
    return static_cast<int>(get(e, a, parse_int(a.Value(), min, max)));
  }
  bool bool_value(const XMLElement& e, const XMLAttribute& a) const { return get(e, a, parse_bool(a.Value())); }

  void database(const XMLElement& e, Config& c) const;
  void modem_settings(const XMLElement& e, sms::modem::ModemConfig& m, bool defaults) const;
  void init_commands(const XMLElement& e, std::vector<std::string>& out) const;
  void dispatch(const XMLElement& e, Config& c) const;
  void run_on_receive(const XMLElement& e, Config& c) const;
  void log(const XMLElement& e, Config& c) const;
  void simulator(const XMLElement& e, Config& c) const;
  void check_modems(const std::vector<const XMLElement*>& elements, const std::vector<sms::modem::ModemConfig>& modems) const;

  // <smserver timezone>, and <policy> with its rules (policy.cpp).
  void timezone(const XMLElement& e, const XMLAttribute& a, Config& c) const;
  void policy(const XMLElement& e, Config& c) const;
  sms::policy::KindSet kinds_value(const XMLElement& e, const XMLAttribute& a) const;
  std::vector<std::string> list_value(const XMLElement& e, const XMLAttribute& a, std::string_view what) const;
  int days_value(const XMLElement& e, const XMLAttribute& a) const;
  void optout(const XMLElement& e, sms::policy::Policy& p) const;
  void limit(const XMLElement& e, sms::policy::Policy& p) const;
  void quiet(const XMLElement& e, sms::policy::Policy& p) const;
  void holiday(const XMLElement& e, sms::policy::Policy& p) const;
  void signature(const XMLElement& e, sms::policy::Policy& p) const;
  void max_length(const XMLElement& e, sms::policy::Policy& p) const;
  void banned_words(const XMLElement& e, sms::policy::Policy& p, Config& c) const;
  void region(const XMLElement& e, sms::policy::Policy& p) const;
  void approval(const XMLElement& e, sms::policy::Policy& p) const;
  void retention(const XMLElement& e, sms::policy::Policy& p) const;

  std::string path_;   // as the user wrote it: used in messages
  std::filesystem::path absolute_;
  std::filesystem::path dir_;       // anchors relative database urls and the banned-words file
};

}  // namespace sms::config::detail

#include "src/messaging/template.hpp"

#include <algorithm>

namespace sms::messaging {

namespace {

// Characters, not bytes, for the positions a person reads in an error: a
// Chinese character is one (UTF-8 continuation bytes are not counted).
std::size_t char_position(std::string_view s, std::size_t byte) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < byte && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n + 1;
}

}  // namespace

bool parse_template(std::string_view s, Template& out, std::string& error) {
  out = {};
  std::string text;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '{' && i + 1 < s.size() && s[i + 1] == '{') {
      text += '{';
      i += 2;
    } else if (c == '}' && i + 1 < s.size() && s[i + 1] == '}') {
      text += '}';
      i += 2;
    } else if (c == '}') {
      error = "'}' at character " + std::to_string(char_position(s, i)) + " has no '{' (write }} for a brace)";
      return false;
    } else if (c == '{') {
      const std::size_t close = s.find_first_of("{}", i + 1);
      if (close == std::string_view::npos) {
        error = "'{' at character " + std::to_string(char_position(s, i)) + " is not closed (write {{ for a brace)";
        return false;
      }
      if (s[close] == '{') {
        error = "'{' inside a placeholder at character " + std::to_string(char_position(s, close)) +
                " (the placeholder opened at character " + std::to_string(char_position(s, i)) + " is not closed)";
        return false;
      }
      if (close == i + 1) {
        error = "empty placeholder {} at character " + std::to_string(char_position(s, i));
        return false;
      }
      out.text.push_back(std::move(text));
      text.clear();
      out.names.emplace_back(s.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      text += c;
      ++i;
    }
  }
  out.text.push_back(std::move(text));
  return true;
}

std::vector<std::string> placeholder_names(const Template& t) {
  std::vector<std::string> out;
  for (const auto& n : t.names)
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  return out;
}

bool render(const Template& t, const std::map<std::string, std::string, std::less<>>& values, std::string& out,
            std::string& error) {
  std::vector<std::string> missing;
  for (const auto& n : placeholder_names(t))
    if (values.find(n) == values.end()) missing.push_back("{" + n + "}");
  if (!missing.empty()) {
    error = missing.size() == 1 ? "no value for " : "no values for ";
    for (std::size_t i = 0; i < missing.size(); ++i) error += (i ? ", " : "") + missing[i];
    return false;
  }
  out.clear();
  for (std::size_t i = 0; i < t.names.size(); ++i) {
    out += t.text[i];
    out += values.find(t.names[i])->second;
  }
  out += t.text.back();
  return true;
}

}  // namespace sms::messaging

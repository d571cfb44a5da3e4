#pragma once
// Message templates (常用语, 模板): "尊敬的{name}，您的验证码是{code}，5分钟内有效。"
// A placeholder is {NAME}, NAME any text without braces (contact fields
// such as {房号} included); {{ and }} are literal braces. Rendering
// substitutes text and nothing else: a value is inserted as it is (a value
// holding "{code}" stays that text), and nothing in a template or a value
// can run code or reach a file. Pure functions, no I/O.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sms::messaging {

struct Template {
  // The text between placeholders (literal braces already unescaped) and
  // the placeholders: text[0] name[0] text[1] name[1] ... text[n].
  std::vector<std::string> text;
  std::vector<std::string> names;
};

// Parses a template. On error returns false and sets `error`, naming the
// place in characters (1 = the first): "'{' at character 5 is not closed
// (write {{ for a brace)", "'}' at character 9 has no '{' (write }} for a
// brace)", "empty placeholder {} at character 3", "'{' inside a placeholder
// at character 7".
bool parse_template(std::string_view source, Template& out, std::string& error);

// The placeholders' names, each once, in order of first appearance.
std::vector<std::string> placeholder_names(const Template& t);

// Fills in the values. Missing values: returns false and sets `error`
// ("no value for {code}", or "no values for {code}, {name}").
bool render(const Template& t, const std::map<std::string, std::string, std::less<>>& values, std::string& out,
            std::string& error);

}  // namespace sms::messaging

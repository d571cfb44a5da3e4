// Templates: placeholders, literal braces, errors that name the place in
// characters, and rendering that substitutes text only.
#include <catch2/catch.hpp>

#include "src/messaging/template.hpp"

using namespace sms::messaging;

namespace {
using Values = std::map<std::string, std::string, std::less<>>;

std::string rendered(const std::string& source, const Values& v) {
  Template t;
  std::string error, out;
  REQUIRE(parse_template(source, t, error));
  REQUIRE(render(t, v, out, error));
  return out;
}

std::string parse_error(const std::string& source) {
  Template t;
  std::string error;
  REQUIRE_FALSE(parse_template(source, t, error));
  return error;
}
}  // namespace

TEST_CASE("templates render placeholders and literal braces", "[messaging][template]") {
  struct Case {
    const char* source;
    const char* want;
  } cases[] = {
      {"尊敬的{name}，您的验证码是{code}，5分钟内有效。", "尊敬的张三，您的验证码是 483920 ，5分钟内有效。"},
      {"{房号}业主：本周六停水。", "3-201业主：本周六停水。"},
      {"{{name}} 是 {name}", "{name} 是 张三"},
      {"}}{{", "}{"},
      {"{{{name}}}", "{张三}"},
      {"{name}{name}", "张三张三"},
      {"没有占位符", "没有占位符"},
      {"", ""},
      {"{ name }", "空格"},   // a name is taken as written, spaces included
  };
  const Values v = {{"name", "张三"}, {"code", " 483920 "}, {"房号", "3-201"}, {" name ", "空格"}};
  for (const auto& c : cases) {
    INFO(c.source);
    CHECK(rendered(c.source, v) == c.want);
  }
}

TEST_CASE("a value is inserted as text, never expanded again", "[messaging][template]") {
  // A parameter that looks like a placeholder, a shell command or a path
  // stays exactly that text.
  const Values v = {{"name", "{code}"}, {"code", "$(rm -rf /) `id` ../../etc/passwd %s {{"}};
  CHECK(rendered("{name}|{code}", v) == "{code}|$(rm -rf /) `id` ../../etc/passwd %s {{");
}

TEST_CASE("template errors name the place in characters", "[messaging][template]") {
  CHECK(parse_error("您好{name") == "'{' at character 3 is not closed (write {{ for a brace)");
  CHECK(parse_error("您好}") == "'}' at character 3 has no '{' (write }} for a brace)");
  CHECK(parse_error("验证码{}") == "empty placeholder {} at character 4");
  CHECK(parse_error("{a{b}") == "'{' inside a placeholder at character 3 (the placeholder opened at character 1 is not closed)");
  CHECK(parse_error("{{{") == "'{' at character 3 is not closed (write {{ for a brace)");
}

TEST_CASE("placeholders are listed once each; missing values are named", "[messaging][template]") {
  Template t;
  std::string error, out;
  REQUIRE(parse_template("{name}您好，{code}，再次：{name}，{房号}", t, error));
  CHECK(placeholder_names(t) == std::vector<std::string>{"name", "code", "房号"});
  CHECK_FALSE(render(t, {{"name", "张三"}}, out, error));
  CHECK(error == "no values for {code}, {房号}");
  CHECK_FALSE(render(t, {{"name", "张三"}, {"房号", "1"}}, out, error));
  CHECK(error == "no value for {code}");
  CHECK(render(t, {{"name", "张三"}, {"code", "1"}, {"房号", "2"}, {"unused", "x"}}, out, error));
  CHECK(out == "张三您好，1，再次：张三，2");
}

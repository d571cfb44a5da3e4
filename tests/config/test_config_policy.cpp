// <smserver timezone> and <policy> (issue 9): the issue's full example loads
// to the right values, every kind of bad value fails with FILE:LINE and the
// value, to_xml writes the policy back, differences() reports what changed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "src/config/config.hpp"
#include "src/policy/kinds.hpp"
#include "src/policy/policy.hpp"
#include "tests/config/test_util.hpp"

namespace fs = std::filesystem;
namespace pol = sms::policy;
using sms::config::Config;
using sms::config::ConfigError;
using sms::config::load;
using sms::config::load_string;

namespace {

const std::string kFile = cfgtest::kData + "/smserver.xml";   // relative files are read from tests/data/config
const std::string kBanned = cfgtest::kData + "/banned-words.txt";

constexpr pol::KindSet kBulk = pol::bit(pol::Kind::bulk);
constexpr pol::KindSet kNotice = pol::bit(pol::Kind::notice);
constexpr pol::KindSet kBoth = pol::kAllKinds;

// A config whose <policy> holds `rules` (each line of `rules` is one line of
// the file: the policy starts on line 3, so its first rule is on line 4).
std::string with_policy(const std::string& rules, const std::string& policy_attributes = "") {
  return "<smserver>\n  <database url=\"/var/lib/smserver/sms.db\"/>\n  <policy" + policy_attributes + ">\n" + rules +
         "\n  </policy>\n</smserver>\n";
}

ConfigError error_of(const std::string& xml, const std::string& file = kFile) {
  try {
    load_string(xml, file);
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("loaded without error:\n" << xml);
  throw;  // unreachable
}

void check_full_example(const Config& c) {
  CHECK(c.timezone == "Asia/Shanghai");
  REQUIRE(c.policy_present);
  const pol::Policy& p = c.policy;
  CHECK(p.default_kind == pol::Kind::notice);
  CHECK(p.default_region == "CN");
  REQUIRE(p.whitelist);
  CHECK(p.whitelist->kinds == kBulk);
  REQUIRE(p.blacklist);
  CHECK(p.blacklist->kinds == kBoth);
  REQUIRE(p.optout);
  CHECK(p.optout->keywords == std::vector<std::string>{"TD", "T", "退订", "STOP", "N"});
  CHECK(p.optout->folded == std::vector<std::string>{pol::fold_trimmed("TD"), pol::fold_trimmed("T"), pol::fold_trimmed("退订"),
                                                     pol::fold_trimmed("STOP"), pol::fold_trimmed("N")});
  CHECK(p.optout->reply == "您已退订，将不再收到此类短信。");
  CHECK(p.optout->kinds == kBulk);
  REQUIRE(p.limits.size() == 3);
  CHECK(p.limits[0].scope == pol::Limit::Scope::recipient);
  CHECK(p.limits[0].per == pol::Limit::Per::day);
  CHECK(p.limits[0].max == 1);
  CHECK(p.limits[0].kinds == kBulk);
  CHECK(p.limits[1].scope == pol::Limit::Scope::total);
  CHECK(p.limits[1].per == pol::Limit::Per::day);
  CHECK(p.limits[1].max == 3000);
  CHECK(p.limits[2].scope == pol::Limit::Scope::modem);
  CHECK(p.limits[2].per == pol::Limit::Per::hour);
  CHECK(p.limits[2].max == 200);
  CHECK(p.limits[2].kinds == kBoth);
  REQUIRE(p.quiet.size() == 2);
  CHECK(p.quiet[0].from == 22 * 60);
  CHECK(p.quiet[0].to == 8 * 60);
  CHECK(p.quiet[0].kinds == kBulk);
  CHECK(p.quiet[1].from == 11 * 60);
  CHECK(p.quiet[1].to == 14 * 60);
  REQUIRE(p.holidays.size() == 2);
  CHECK(p.holidays[0].first == "2027-02-17");
  CHECK(p.holidays[0].last == "2027-02-17");
  CHECK(p.holidays[0].kinds == kBulk);
  CHECK(p.holidays[1].first == "2027-10-01");
  CHECK(p.holidays[1].last == "2027-10-07");
  REQUIRE(p.signature);
  CHECK(p.signature->text == "【某某公司】");
  CHECK_FALSE(p.signature->at_start);
  CHECK(p.signature->kinds == kBoth);
  REQUIRE(p.max_length);
  CHECK(p.max_length->chars == 65);
  CHECK(p.max_length->kinds == kBulk);
  REQUIRE(p.banned_words);
  CHECK(p.banned_words->file == kBanned);   // "../banned-words.txt" from valid/, made absolute
  CHECK(p.banned_words->kinds == kBoth);
  CHECK(p.banned_words->words.size() == 4);  // the comment and the blank line are not words
  CHECK(p.banned_words->words.find("请开ＦＲＥＥ发票").has_value());
  CHECK_FALSE(p.banned_words->words.find("您好").has_value());
  REQUIRE(p.region);
  CHECK(p.region->allow == std::vector<std::string>{"安徽省"});
  CHECK(p.region->kinds == kBulk);
  REQUIRE(p.approval);
  CHECK(p.approval->kinds == kBulk);
  CHECK(p.approval->min_recipients == 1);
  CHECK(p.approval->four_eyes);
  CHECK(p.retention.audit_days == 180);
  CHECK(p.retention.message_days == 0);
  CHECK(p.any_rule());
}

}  // namespace

TEST_CASE("the issue's full policy example loads", "[config][policy]") {
  const std::string file = cfgtest::kData + "/valid/policy.xml";
  const Config c = load(file);
  check_full_example(c);

  SECTION("to_xml writes it back") {
    const std::string xml = sms::config::to_xml(c);
    CHECK_THAT(xml, Catch::Contains("<smserver timezone=\"Asia/Shanghai\">"));
    CHECK_THAT(xml, Catch::Contains("<bannedWords file=\"" + kBanned + "\" kinds=\"notice,bulk\"/>"));
    CHECK_THAT(xml, Catch::Contains("<holiday from=\"2027-10-01\" to=\"2027-10-07\" kinds=\"bulk\"/>"));
    const Config again = load_string(xml, file);
    for (const auto& ch : sms::config::differences(c, again)) FAIL_CHECK(ch.describe());
    check_full_example(again);
    CHECK(sms::config::to_xml(again) == xml);
  }
}

TEST_CASE("policy defaults", "[config][policy]") {
  SECTION("no <policy>: every rule off") {
    const Config c = load_string("<smserver/>", kFile);
    CHECK(c.timezone.empty());
    CHECK_FALSE(c.policy_present);
    CHECK_FALSE(c.policy.any_rule());
    CHECK_THAT(sms::config::to_xml(c), !Catch::Contains("<policy"));
  }
  SECTION("each rule's kinds default") {
    const Config c = load_string(with_policy(R"(
    <whitelist/>
    <blacklist/>
    <optout keywords="TD"/>
    <limit scope="recipient" per="day" max="1"/>
    <quiet from="22:00" to="08:00"/>
    <holiday date="2027-02-17"/>
    <signature text="【某某公司】"/>
    <maxLength chars="65"/>
    <bannedWords file="banned-words.txt"/>
    <region allow="安徽省"/>
    <approval/>
    <retention/>)"),
                                 kFile);
    const pol::Policy& p = c.policy;
    CHECK(c.policy_present);
    CHECK(p.default_kind == pol::Kind::notice);
    CHECK(p.default_region == "CN");
    CHECK(p.whitelist->kinds == kBulk);
    CHECK(p.blacklist->kinds == kBoth);
    CHECK(p.optout->kinds == kBulk);
    CHECK(p.optout->reply.empty());
    CHECK(p.limits.at(0).kinds == kBulk);
    CHECK(p.quiet.at(0).kinds == kBulk);
    CHECK(p.holidays.at(0).kinds == kBulk);
    CHECK(p.signature->kinds == kBoth);
    CHECK_FALSE(p.signature->at_start);
    CHECK(p.max_length->kinds == kBulk);
    CHECK(p.banned_words->kinds == kBoth);
    CHECK(p.banned_words->file == kBanned);
    CHECK(p.region->kinds == kBulk);
    CHECK(p.approval->kinds == kBulk);
    CHECK(p.approval->min_recipients == 1);
    CHECK_FALSE(p.approval->four_eyes);
    CHECK(p.retention.audit_days == 0);
    CHECK(p.retention.message_days == 0);
    // Written back with every default spelt out, it reads the same.
    const Config again = load_string(sms::config::to_xml(c), kFile);
    for (const auto& ch : sms::config::differences(c, again)) FAIL_CHECK(ch.describe());
  }
  SECTION("an empty <policy> is present but changes nothing") {
    const Config c = load_string(with_policy(""), kFile);
    CHECK(c.policy_present);
    CHECK_FALSE(c.policy.any_rule());
  }
}

TEST_CASE("policy values that are accepted", "[config][policy]") {
  SECTION("lists take the full-width comma and blanks") {
    const Config c = load_string(with_policy(R"(    <optout keywords="TD， 退订 ,STOP" kinds=" notice , bulk "/>
    <region allow="安徽省，合肥市, 南京市"/>)"),
                                 kFile);
    CHECK(c.policy.optout->keywords == std::vector<std::string>{"TD", "退订", "STOP"});
    CHECK(c.policy.optout->folded.size() == 3);
    CHECK(c.policy.optout->kinds == kBoth);
    CHECK(c.policy.region->allow == std::vector<std::string>{"安徽省", "合肥市", "南京市"});
  }
  SECTION("bulk by default, a signature at the start, a notice-only limit") {
    const Config c = load_string(with_policy(R"(    <signature text="【某某公司】" position="start"/>
    <limit scope="modem" per="month" max="100000" kinds="notice"/>)",
                                             " defaultKind=\"bulk\" defaultRegion=\"cn\""),
                                 kFile);
    CHECK(c.policy.default_kind == pol::Kind::bulk);
    CHECK(c.policy.default_region == "CN");
    CHECK(c.policy.signature->at_start);
    CHECK(c.policy.limits.at(0).per == pol::Limit::Per::month);
    CHECK(c.policy.limits.at(0).kinds == kNotice);
  }
  SECTION("a quiet window inside one day, a one-day range, retention in days") {
    const Config c = load_string(with_policy(R"(    <quiet from="00:00" to="23:59"/>
    <holiday from="2027-10-01" to="2027-10-01"/>
    <retention audit="365d" messages="30d"/>)"),
                                 kFile);
    CHECK(c.policy.quiet.at(0).from == 0);
    CHECK(c.policy.quiet.at(0).to == 23 * 60 + 59);
    CHECK(c.policy.holidays.at(0).first == c.policy.holidays.at(0).last);
    CHECK(c.policy.retention.audit_days == 365);
    CHECK(c.policy.retention.message_days == 30);
  }
  SECTION("a banned-words file by absolute path; timezone UTC") {
    const Config c = load_string("<smserver timezone=\"UTC\">\n<policy><bannedWords file=\"" + kBanned + "\"/></policy>\n</smserver>",
                                 "/etc/smserver/smserver.xml");
    CHECK(c.timezone == "UTC");
    CHECK(c.policy.banned_words->file == kBanned);
  }
}

TEST_CASE("bad policy values: file, line and the value", "[config][policy][errors]") {
  struct Case {
    const char* name;
    std::string xml;
    int line;
    std::vector<std::string> words;
  };
  const std::vector<Case> cases{
      {"quiet 25:00", with_policy("    <quiet from=\"22:00\" to=\"25:00\"/>"), 4, {"<quiet> to=\"25:00\"", "not a time of day"}},
      {"quiet 8:00 without the leading zero", with_policy("    <quiet from=\"8:00\" to=\"22:00\"/>"), 4, {"from=\"8:00\"", "HH:MM"}},
      {"quiet from = to", with_policy("    <quiet from=\"22:00\" to=\"22:00\"/>"), 4, {"to=\"22:00\"", "empty"}},
      {"quiet without to", with_policy("    <quiet from=\"22:00\"/>"), 4, {"<quiet> needs to=\"...\""}},
      {"limit per week", with_policy("\n    <limit scope=\"recipient\" per=\"week\" max=\"1\"/>"), 5,
       {"<limit> per=\"week\"", "hour, day or month"}},
      {"limit scope group", with_policy("    <limit scope=\"group\" per=\"day\" max=\"1\"/>"), 4,
       {"<limit> scope=\"group\"", "unknown scope", "recipient", "total", "modem"}},
      {"limit max 0", with_policy("    <limit scope=\"total\" per=\"day\" max=\"0\"/>"), 4, {"<limit> max=\"0\"", "between 1 and"}},
      {"limit max not a number", with_policy("    <limit scope=\"total\" per=\"day\" max=\"lots\"/>"), 4,
       {"max=\"lots\"", "not a whole number"}},
      {"limit without max", with_policy("    <limit scope=\"total\" per=\"day\"/>"), 4, {"<limit> needs max=\"...\""}},
      {"limit unknown attribute", with_policy("    <limit scope=\"total\" per=\"day\" max=\"1\" kind=\"bulk\"/>"), 4,
       {"unknown attribute 'kind' in <limit>", "did you mean 'kinds'?"}},
      {"region not a province", with_policy("    <region allow=\"安徽省,火星省\"/>"), 4,
       {"<region> allow=\"安徽省,火星省\"", "'火星省' is not a Chinese province or city"}},
      {"region misspelt", with_policy("    <region allow=\"安微省\"/>"), 4, {"allow=\"安微省\"", "'安微省'", "did you mean '安徽省'?"}},
      {"region empty item", with_policy("    <region allow=\"安徽省,\"/>"), 4, {"allow=\"安徽省,\"", "item 2", "empty"}},
      {"banned-words file missing", with_policy("    <bannedWords file=\"missing-words.txt\"/>"), 4,
       {"<bannedWords> file=\"missing-words.txt\"", cfgtest::kData + "/missing-words.txt"}},
      {"banned-words file is a directory", with_policy("    <bannedWords file=\"valid\"/>"), 4,
       {"file=\"valid\"", cfgtest::kData + "/valid", "is a directory"}},
      {"kinds promo", with_policy("    <blacklist kinds=\"notice,promo\"/>"), 4,
       {"<blacklist> kinds=\"notice,promo\"", "'promo' is not a message kind"}},
      {"kinds in capitals", with_policy("    <whitelist kinds=\"Bulk\"/>"), 4, {"kinds=\"Bulk\"", "lower case", "'bulk'"}},
      {"kinds empty", with_policy("    <approval kinds=\"\"/>"), 4, {"<approval> kinds=\"\"", "no message kind"}},
      {"fourEyes maybe", with_policy("    <approval kinds=\"bulk\" fourEyes=\"maybe\"/>"), 4,
       {"<approval> fourEyes=\"maybe\"", "true or false"}},
      {"minRecipients 0", with_policy("    <approval minRecipients=\"0\"/>"), 4, {"minRecipients=\"0\""}},
      {"holiday from after to", with_policy("    <holiday from=\"2027-10-07\"\n             to=\"2027-10-01\"/>"), 5,
       {"<holiday> to=\"2027-10-01\"", "ends before it starts", "from=\"2027-10-07\""}},
      {"holiday 30 February", with_policy("    <holiday date=\"2027-02-30\"/>"), 4, {"<holiday> date=\"2027-02-30\"", "not a date"}},
      {"holiday date and range", with_policy("    <holiday date=\"2027-02-17\" from=\"2027-02-17\" to=\"2027-02-18\"/>"), 4,
       {"not both"}},
      {"holiday from without to", with_policy("    <holiday from=\"2027-02-17\"/>"), 4, {"<holiday> needs to=\"...\""}},
      {"holiday nothing", with_policy("    <holiday kinds=\"bulk\"/>"), 4, {"<holiday> needs date="}},
      {"signature empty", with_policy("    <signature text=\"\"/>"), 4, {"<signature> text=\"\"", "empty signature"}},
      {"signature position", with_policy("    <signature text=\"【某某公司】\" position=\"middle\"/>"), 4,
       {"position=\"middle\"", "start or end"}},
      {"maxLength 0", with_policy("    <maxLength chars=\"0\"/>"), 4, {"<maxLength> chars=\"0\"", "between 1 and"}},
      {"maxLength no room for the signature", with_policy("    <signature text=\"【某某公司】\"/>\n    <maxLength chars=\"6\"/>"), 5,
       {"<maxLength> chars=\"6\"", "signature alone has 6 characters"}},
      {"optout empty keyword", with_policy("    <optout keywords=\"TD,,退订\"/>"), 4, {"keywords=\"TD,,退订\"", "item 2"}},
      {"optout same keyword folded", with_policy("    <optout keywords=\"TD,ｔｄ\"/>"), 4, {"'TD' and 'ｔｄ' are the same"}},
      {"optout without keywords", with_policy("    <optout reply=\"ok\"/>"), 4, {"<optout> needs keywords=\"...\""}},
      {"retention not whole days", with_policy("    <retention audit=\"36h\"/>"), 4, {"<retention> audit=\"36h\"", "whole number of days"}},
      {"retention bare number", with_policy("    <retention messages=\"180\"/>"), 4, {"messages=\"180\"", "180d"}},
      {"retention negative", with_policy("    <retention audit=\"-1d\"/>"), 4, {"audit=\"-1d\"", "negative"}},
      {"duplicated whitelist", with_policy("    <whitelist/>\n    <whitelist kinds=\"notice\"/>"), 5,
       {"<whitelist> appears twice in <policy>", "first at line 4"}},
      {"duplicated retention", with_policy("    <retention audit=\"1d\"/>\n\n    <retention/>"), 6, {"<retention> appears twice"}},
      {"misspelt rule", with_policy("    <bannedWord file=\"banned-words.txt\"/>"), 4,
       {"unknown element <bannedWord> in <policy>", "did you mean <bannedWords>?"}},
      {"text in a rule", with_policy("    <whitelist>13955112345</whitelist>"), 4, {"<whitelist> takes no text"}},
      {"element in a rule", with_policy("    <whitelist><number/></whitelist>"), 4, {"unknown element <number> in <whitelist>"}},
      {"defaultKind", with_policy("", " defaultKind=\"promo\""), 3, {"<policy> defaultKind=\"promo\"", "notice or bulk"}},
      {"defaultRegion", with_policy("", " defaultRegion=\"CHN\""), 3, {"<policy> defaultRegion=\"CHN\"", "two-letter"}},
      {"policy attribute misspelt", with_policy("", " defaultkind=\"bulk\""), 3, {"did you mean 'defaultKind'?"}},
      {"policy twice", "<smserver>\n<policy/>\n<policy/>\n</smserver>", 3, {"<policy> appears twice", "first at line 2"}},
      {"timezone Mars/Olympus", "<smserver\n  timezone=\"Mars/Olympus\">\n</smserver>", 2,
       {"<smserver> timezone=\"Mars/Olympus\"", "not a time zone", "Asia/Shanghai"}},
      {"timezone with a blank", "<smserver timezone=\"Asia/Shanghai \"/>", 1, {"timezone=\"Asia/Shanghai \"", "blank"}},
      {"timezone misspelt", "<smserver timeZone=\"Asia/Shanghai\"/>", 1, {"unknown attribute 'timeZone'", "did you mean 'timezone'?"}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      const ConfigError e = error_of(c.xml);
      INFO(e.what());
      CHECK(e.file == kFile);
      CHECK(e.line == c.line);
      CHECK_THAT(e.what(), Catch::StartsWith(kFile + ":" + std::to_string(c.line) + ": "));
      for (const auto& w : c.words) CHECK_THAT(e.what(), Catch::Contains(w));
    }
  }
}

TEST_CASE("a region with no close name gets no suggestion", "[config][policy][errors]") {
  const ConfigError e = error_of(with_policy("    <region allow=\"火星省\"/>"));
  INFO(e.what());
  CHECK(e.line == 4);
  CHECK_THAT(e.what(), Catch::Contains("'火星省'") && !Catch::Contains("did you mean"));
}

TEST_CASE("banned-words files that cannot be used", "[config][policy][errors]") {
  cfgtest::TempDir tmp("banned");
  const std::string config = (tmp.path / "smserver.xml").string();
  const std::string xml = "<smserver>\n<policy>\n<bannedWords file=\"words.txt\"/>\n</policy>\n</smserver>\n";
  SECTION("missing") {
    const ConfigError e = error_of(xml, config);
    CHECK(e.line == 3);
    CHECK_THAT(e.what(), Catch::Contains((tmp.path / "words.txt").string()));
  }
  SECTION("only comments") {
    cfgtest::write_file(tmp.path / "words.txt", "# nothing yet\n\n");
    const ConfigError e = error_of(xml, config);
    CHECK(e.line == 3);
    CHECK_THAT(e.what(), Catch::Contains("lists no words"));
  }
  SECTION("not UTF-8") {
    cfgtest::write_file(tmp.path / "words.txt", "ok\n\xb7\xa2\xc6\xb1\n");   // 发票 in GB18030
    const ConfigError e = error_of(xml, config);
    CHECK(e.line == 3);
    CHECK_THAT(e.what(), Catch::Contains("file=\"words.txt\""));
  }
  SECTION("a good file next to the config") {
    cfgtest::write_file(tmp.path / "words.txt", "\xEF\xBB\xBF" "发票\n");
    const Config c = load_string(xml, config);
    CHECK(c.policy.banned_words->file == (tmp.path / "words.txt").string());
    CHECK(c.policy.banned_words->words.size() == 1);
  }
  SECTION("an edited file is a difference, even with as many words") {
    cfgtest::write_file(tmp.path / "words.txt", "发票\n代开\n");
    const Config before = load_string(xml, config);
    CHECK(sms::config::differences(before, load_string(xml, config)).empty());
    cfgtest::write_file(tmp.path / "words.txt", "发票\n贷款\n");
    const Config after = load_string(xml, config);
    const auto d = sms::config::differences(before, after);
    REQUIRE(d.size() == 1);
    CHECK(d[0].element == "policy");
    CHECK(d[0].attribute == "bannedWords");
    CHECK_THAT(d[0].describe(), Catch::Contains("(2 words)") && Catch::Contains("the file was edited"));
  }
}

TEST_CASE("to_xml writes the policy back", "[config][policy][reload]") {
  const std::string xml = with_policy(R"(    <optout keywords="TD,退订" reply="您已退订。&#10;回复 &quot;Y&quot; 重新订阅 &amp; 谢谢" kinds="notice,bulk"/>
    <signature text="&lt;某某&gt;" position="start" kinds="notice"/>
    <quiet from="11:00" to="14:00" kinds="notice,bulk"/>
    <retention audit="7d"/>)",
                                      " defaultKind=\"bulk\" defaultRegion=\"HK\"");
  const Config c = load_string("<smserver timezone=\"Asia/Hong_Kong\">" + xml.substr(std::string("<smserver>").size()), kFile);
  REQUIRE(c.policy.optout->reply == "您已退订。\n回复 \"Y\" 重新订阅 & 谢谢");
  REQUIRE(c.policy.signature->text == "<某某>");
  const std::string out = sms::config::to_xml(c);
  const Config again = load_string(out, kFile);
  for (const auto& ch : sms::config::differences(c, again)) FAIL_CHECK(ch.describe());
  CHECK(again.timezone == "Asia/Hong_Kong");
  CHECK(again.policy.default_kind == pol::Kind::bulk);
  CHECK(again.policy.default_region == "HK");
  CHECK(again.policy.optout->reply == c.policy.optout->reply);
  CHECK(again.policy.optout->kinds == kBoth);
  CHECK(again.policy.signature->text == "<某某>");
  CHECK(again.policy.signature->at_start);
  CHECK(again.policy.quiet.at(0).from == 11 * 60);
  CHECK(again.policy.retention.audit_days == 7);
  CHECK(again.policy.retention.message_days == 0);
  CHECK(sms::config::to_xml(again) == out);
}

TEST_CASE("differences report policy and timezone changes", "[config][policy][reload]") {
  const Config none = load_string("<smserver/>", kFile);
  const Config a = load_string(with_policy(R"(    <whitelist/>
    <limit scope="recipient" per="day" max="1"/>
    <quiet from="22:00" to="08:00"/>
    <bannedWords file="banned-words.txt"/>)"),
                               kFile);
  const Config b = load_string("<smserver timezone=\"Asia/Shanghai\">" + with_policy(R"(    <whitelist/>
    <limit scope="recipient" per="day" max="2"/>
    <quiet from="22:00" to="08:00"/>
    <quiet from="11:00" to="14:00"/>
    <approval fourEyes="true"/>)", " defaultKind=\"bulk\"")
                                                                        .substr(std::string("<smserver>").size()),
                              kFile);
  CHECK(sms::config::differences(a, a).empty());

  std::vector<std::string> described;
  for (const auto& ch : sms::config::differences(a, b)) {
    if (ch.element == "timezone") {
      CHECK(ch.attribute == "timezone");
      CHECK(ch.after == "Asia/Shanghai");
    } else {
      CHECK(ch.element == "policy");
    }
    described.push_back(ch.describe());
  }
  CHECK(described == std::vector<std::string>{
                         "timezone: the system's zone -> \"Asia/Shanghai\"",
                         "policy defaultKind: \"notice\" -> \"bulk\"",
                         "policy <limit>: \"scope=recipient per=day max=1 kinds=bulk\" -> \"scope=recipient per=day max=2 kinds=bulk\"",
                         "policy <quiet>: \"from=22:00 to=08:00 kinds=bulk\" -> \"from=22:00 to=08:00 kinds=bulk; from=11:00 to=14:00 kinds=bulk\"",
                         "policy <bannedWords> removed (was: file=" + kBanned + " kinds=notice,bulk (4 words))",
                         "policy <approval> added: kinds=bulk minRecipients=1 fourEyes=true",
                     });

  SECTION("a policy added and removed") {
    const auto added = sms::config::differences(none, a);
    REQUIRE_FALSE(added.empty());
    CHECK(added[0].element == "policy");
    CHECK(added[0].attribute.empty());
    CHECK(added[0].describe() == "policy added");
    for (const auto& ch : added) CHECK(ch.element == "policy");
    const auto removed = sms::config::differences(a, none);
    REQUIRE_FALSE(removed.empty());
    CHECK(removed[0].describe() == "policy removed");
    CHECK(removed.size() == added.size());
  }
  SECTION("an empty policy differs from none only by being there") {
    const auto d = sms::config::differences(none, load_string(with_policy(""), kFile));
    REQUIRE(d.size() == 1);
    CHECK(d[0].describe() == "policy added");
  }
}

TEST_CASE("the commented-out policy of conf/smserver-production.xml loads", "[config][policy][files]") {
  const std::string conf = fs::path(SMS_TEST_DATA).parent_path().parent_path().string() + "/conf/smserver-production.xml";
  const std::string text = cfgtest::read_file(conf);
  const auto begin = text.find("<policy ");
  const auto end = text.find("</policy>");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  cfgtest::TempDir tmp("production-policy");
  cfgtest::write_file(tmp.path / "banned-words.txt", "# example\n发票\n");
  const std::string xml = "<smserver timezone=\"Asia/Shanghai\">\n" + text.substr(begin, end + 9 - begin) + "\n</smserver>\n";
  const Config c = load_string(xml, (tmp.path / "smserver.xml").string());
  CHECK(c.policy_present);
  CHECK(c.policy.whitelist);
  CHECK(c.policy.limits.size() == 3);
  CHECK(c.policy.banned_words);
  CHECK(c.policy.approval);
  // Commented out, it changes nothing.
  CHECK_FALSE(load(conf).policy_present);
}

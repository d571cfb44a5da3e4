// Text rules: folding (NFKC + case folding), character counts, the
// banned-words automaton and the banned-words file.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <random>

#include "src/policy/text.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

using namespace sms::policy;

namespace {

// A file in a fresh temporary folder, removed with the folder.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    dir_ = std::filesystem::temp_directory_path() / ("sms-policy-text-" + std::to_string(::getpid()) + "-" +
                                                    std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "banned-words.txt").string();
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::string& path() const { return path_; }
  std::string dir() const { return dir_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::string path_;
};

}  // namespace

TEST_CASE("fold: NFKC_Casefold (NFKC, case folding, ignorables removed)", "[policy][text]") {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"ＦＲＥＥ", "free"},                 // full-width letters (what IMEs type)
      {"FREE", "free"},
      {"Free Gift", "free gift"},
      {"退订", "退订"},                     // Chinese is left alone
      {"【某某公司】", "【某某公司】"},
      {"ＴＤ", "td"},
      {"１０元", "10元"},                  // full-width digits
      {"Straße", "strasse"},               // full folding, not just lower case
      {"①②", "12"},                        // compatibility forms
      {"ﾃｽﾄ", "テスト"},                   // half-width katakana
      {"ＳＴＯＰ\u3000", "stop "},          // the ideographic space becomes a space
      {"Ｆ\u200bＲＥＥ", "free"},            // a zero-width space cannot hide a banned word
      {"", ""},
      {"abc\xFF" "d", "abc\xEF\xBF\xBD" "d"},   // a bad byte becomes U+FFFD
  };
  for (const auto& c : cases) {
    INFO("'" << c.text << "'");
    CHECK(fold(c.text) == c.want);
  }
  CHECK(fold("ＦＲＥＥ") == fold("free"));
  CHECK(fold("ｆｒｅｅ") == fold("FREE"));
}

namespace {
// NFKC_Casefold of the whole text in one ICU call: the definition fold()'s
// run-by-run folding must agree with.
std::string icu_fold_whole(const std::string& utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  REQUIRE(U_SUCCESS(status));
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  n->normalizeUTF8(0, icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), sink, nullptr, status);
  REQUIRE(U_SUCCESS(status));
  return out;
}
}  // namespace

TEST_CASE("fold: run-by-run folding agrees with ICU folding the whole text", "[policy][text]") {
  // Characters chosen to interact with their neighbours: combining marks
  // that compose with the letter before them or reorder among themselves,
  // Hangul jamo that compose into syllables, compatibility and full-width
  // forms, case that folds to several letters, ignorables, and the inert
  // characters (Chinese, punctuation, digits) the fast path copies.
  const std::vector<std::string> pieces = {
      "e", "E", "a", "A", "o", "n", "1", " ", ",", "́", "̀", "̣", "̈", "̧", "ͅ",
      "ᄀ", "ᅡ", "ᆨ", "가", "ㄱ", "Ａ", "ａ", "，", "　", "、", "。",
      "【", "】", "中", "文", "退", "订", "ß", "İ", "Σ", "ς", "ẞ",
      "Å", "Å", "①", "ﬁ", "​", "­", "️", "ཱི", "ཱ", "ི", "େ",
      "ା", "ෙ", "ා", "ෟ", "゙", "か", "ｶ", "ﾞ", "𝐀", "😀",
      "丽", "豈", "Ω", "Ḋ", "̇", "ָ", "ַ", "֑"};
  std::mt19937 rng(20261207);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1), len(0, 24);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (std::size_t k = len(rng); k > 0; --k) text += pieces[pick(rng)];
    INFO("text: " << text);
    REQUIRE(fold(text) == icu_fold_whole(text));
  }
}

TEST_CASE("fold_trimmed: the form opt-out keywords are compared in", "[policy][text]") {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"  退订 ", "退订"},   {"\u3000退订\u3000", "退订"}, {"TD\r\n", "td"},
      {" Ｔ ", "t"},        {"stop\t", "stop"},             {"\u00A0N\u00A0", "n"},
      {"退 订", "退 订"},    {" \t\r\n", ""},                {"", ""},
  };
  for (const auto& c : cases) {
    INFO("'" << c.text << "'");
    CHECK(fold_trimmed(c.text) == c.want);
  }
}

TEST_CASE("characters are counted as code points", "[policy][text]") {
  struct Case {
    const char* text;
    std::size_t want;
  } cases[] = {
      {"【某某公司】abc123", 12},
      {"您的验证码是123456，5分钟内有效。", 20},
      {"", 0},
      {"abc", 3},
      {"\xC3\xA9", 1},          // é precomposed
      {"e\xCC\x81", 2},         // e + combining acute: two code points
      {"\xF0\x9F\x98\x80", 1},  // an emoji outside the BMP
      {"a\xFF" "b", 3},         // a bad byte counts as one (U+FFFD)
      // Invalid sequences count as ICU's U8_NEXT cuts them (Unicode's
      // "maximal subparts"): a truncated character is one, a UTF-8-encoded
      // surrogate three (ED may not be followed by A0), an overlong '/' two.
      {"\xE4\xB8\xAD\xE4\xB8", 2},
      {"\xED\xA0\x80", 3},
      {"x\xC0\xAF", 3},
      {"\xF4\x90\x80\x80", 4},
  };
  for (const auto& c : cases) {
    INFO("'" << c.text << "'");
    CHECK(char_count(c.text) == c.want);
  }
}

TEST_CASE("a word list finds the word that ends first, named as listed", "[policy][text]") {
  struct Case {
    std::vector<std::string> words;
    const char* text;
    std::optional<std::string> want;
  } cases[] = {
      {{"FREE"}, "Get ｆｒｅｅ gifts today", "FREE"},           // full-width text, ASCII list word
      {{"ｆｒｅｅ"}, "get FREE gifts", "ｆｒｅｅ"},              // and the other way round
      {{"发票", "代开发票"}, "本店可代开发票，欢迎咨询", "代开发票"},   // both end at 票: the longer
      {{"刷单", "代开发票"}, "本店可代开发票，也可刷单", "代开发票"},
      {{"abcd", "bc"}, "xabcdx", "bc"},                        // bc ends before abcd
      {{"he", "she", "hers"}, "ushers", "she"},                // she and he end together: the longer
      {{"hers", "is"}, "this hers", "is"},
      {{"Casino"}, "CASINO", "Casino"},
      {{"博彩"}, "正规博 彩", std::nullopt},
      {{"free"}, "fre e", std::nullopt},
      {{"", "  ", "\u3000"}, "anything at all", std::nullopt},   // blank entries are ignored
      {{"退订"}, "", std::nullopt},
  };
  for (const auto& c : cases) {
    INFO("text '" << c.text << "'");
    WordList list(c.words);
    CHECK(list.find(c.text) == c.want);
  }
  CHECK(WordList({"", "  "}).empty());
  CHECK(WordList().find("anything") == std::nullopt);
  // The same word twice (folded alike) is one word, named as first listed.
  WordList twice({"Free", "FREE", "ｆｒｅｅ"});
  CHECK(twice.size() == 1);
  CHECK(twice.find("free!") == "Free");
}

TEST_CASE("a 1,000-word list finds the right word in one pass", "[policy][text]") {
  // Real-looking banned phrases plus generated ones that share their prefixes,
  // so the automaton's failure links are exercised.
  std::vector<std::string> words = {"代开发票", "刷单返利", "博彩", "赌博网站", "高利贷", "套现", "VIP Casino"};
  const char* stems[] = {"代开", "刷单", "博彩", "贷款", "套现", "返利", "兼职", "中奖"};
  const char* tails[] = {"发票", "平台", "网站", "秒批", "日结", "通知", "链接", "热线"};
  for (int i = 0; words.size() < 1000; ++i)
    words.push_back(std::string(stems[i % 8]) + tails[(i / 8) % 8] + std::to_string(i));
  WordList list(words);
  REQUIRE(list.size() == 1000);

  CHECK(list.find("您好，本公司可代开发票，量大从优") == "代开发票");
  CHECK(list.find("Welcome to ｖｉｐ ＣＡＳＩＮＯ tonight") == "VIP Casino");
  // Generated: 兼职日结38, 兼职日结102, ... (i = 38 + 64k); "102" ends before "1023" would.
  CHECK(list.find("兼职日结 兼职日结1023") == "兼职日结102");
  CHECK(list.find("贷款秒批") == std::nullopt);                          // only with a number after it
  CHECK(list.find("您的验证码是123456，5分钟内有效。【某某银行】") == std::nullopt);

  std::mt19937 rng(20261207);
  for (int round = 0; round < 200; ++round) {
    const auto& word = words[std::uniform_int_distribution<std::size_t>(7, words.size() - 1)(rng)];
    std::string text = "尊敬的客户：" + word + "，详询。";
    INFO(text);
    // The digits after the word may extend it to a longer listed word ending
    // later; the match ending first is the word itself or a shorter one.
    auto found = list.find(text);
    REQUIRE(found);
    CHECK(word.find(*found) == 0);
  }
}

TEST_CASE("a reloaded list in the same place is not answered from the old one's memo", "[policy][text]") {
  // SIGHUP builds the new policy's list where the old one was freed: the
  // same address and the same number of words must not bring back the old
  // list's answer for the text just asked about.
  const std::string text = "本店开业，全场免费领取";
  std::optional<WordList> list;
  list.emplace(std::vector<std::string>{"免费", "中奖"});
  const WordList* first = &*list;
  REQUIRE(list->find(text) == "免费");
  list.emplace(std::vector<std::string>{"赌博", "中奖"});
  REQUIRE(&*list == first);   // the case the memo must survive
  CHECK(list->find(text) == std::nullopt);
  list.emplace(std::vector<std::string>{"开业", "中奖"});
  CHECK(list->find(text) == "开业");
  // A copy shares its source's contents, so it may share the memo too.
  WordList copy = *list;
  CHECK(copy.find(text) == "开业");
  CHECK(copy.find("领取") == std::nullopt);
}

TEST_CASE("the banned-words file", "[policy][text]") {
  TempFile f("\xEF\xBB\xBF# 本公司的违禁词\r\n代开发票\r\n\r\n  刷单  \r\n#注释\r\nFree Gift\n\u3000博彩\u3000\n");
  std::string error;
  auto words = read_word_file(f.path(), error);
  REQUIRE(words);
  CHECK(error.empty());
  CHECK(*words == std::vector<std::string>{"代开发票", "刷单", "Free Gift", "博彩"});

  SECTION("a missing file names itself and the reason") {
    auto missing = f.dir() + "/no-such-words.txt";
    CHECK_FALSE(read_word_file(missing, error));
    CHECK(error == "cannot open " + missing + ": No such file or directory");
  }
  SECTION("a folder is not a word file") {
    CHECK_FALSE(read_word_file(f.dir(), error));
    CHECK_THAT(error, Catch::Contains("cannot open") && Catch::Contains("Is a directory"));
  }
  SECTION("invalid UTF-8 names its line") {
    TempFile bad("代开发票\n刷单\n\xB4\xFA\xBF\xAA\n");   // 代开 in GB18030
    CHECK_FALSE(read_word_file(bad.path(), error));
    CHECK(error == "line 3 is not valid UTF-8");
  }
  SECTION("an empty file is an empty list") {
    TempFile empty("");
    auto none = read_word_file(empty.path(), error);
    REQUIRE(none);
    CHECK(none->empty());
  }
}

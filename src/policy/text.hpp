#pragma once
// Text rules of the sending policy: NFKC_Casefold (so "ＦＲＥＥ" matches
// the banned word "free"), counting characters, and finding banned words.
// ICU (libicu-dev, which libphonenumber already depends on) does the Unicode work.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sms::policy {

// NFKC_Casefold: NFKC with full case folding, default-ignorable characters
// (zero-width spaces, soft hyphens) removed, so "Ｆ\u200bＲＥＥ" matches
// "free". Invalid UTF-8 sequences become U+FFFD.
std::string fold(std::string_view utf8);
// The same trimmed of white space (Unicode White_Space) at both ends: the
// form an opt-out keyword is compared in.
std::string fold_trimmed(std::string_view utf8);

// Characters as the rules count them: one per Unicode code point (a Chinese
// character, a letter, a digit, a punctuation mark each count one).
std::size_t char_count(std::string_view utf8);

// A banned-words list: finds the first listed word in a text, comparing
// folded forms, in one pass over the text whatever the list's size
// (Aho-Corasick over the folded bytes).
class WordList {
 public:
  WordList() = default;
  explicit WordList(const std::vector<std::string>& words);   // blank entries ignored
  // The word as written in the list, of the match that ends first in the
  // text; nullopt if none.
  std::optional<std::string> find(std::string_view text) const;
  std::size_t size() const { return words_.size(); }
  bool empty() const { return words_.empty(); }

 private:
  struct Node {
    std::vector<std::pair<unsigned char, int>> next;   // sorted by byte
    int fail = 0;
    int word = -1;        // index into words_ of a word ending here (shortest)
    int out = -1;         // nearest node on the fail chain that ends a word
  };
  std::vector<Node> nodes_;
  std::vector<std::string> words_;
  // Names this list's contents for find()'s memo: unique per constructed list
  // (a copy shares it, and its contents); an address could be reused by the
  // list a reloaded policy builds.
  std::uint64_t id_ = 0;
  // The root's transitions for every byte (0 = stay at the root): most
  // steps of a text with no banned word end at the root.
  std::array<int, 256> root_{};
  int step(int state, unsigned char c) const;
};

// Reads a banned-words file: one word or phrase a line, UTF-8 (a BOM is
// skipped), '#' starts a comment line, blank lines ignored. On error returns
// nullopt and sets `error` ("cannot open banned-words.txt: No such file or
// directory", "line 3 is not valid UTF-8").
std::optional<std::vector<std::string>> read_word_file(const std::string& path, std::string& error);

}  // namespace sms::policy

#include "src/policy/text.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "modem/common/utf8.hpp"

namespace sms::policy {
namespace {

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// NFKC leaves ASCII as it is and case folding only lowers A-Z there, so the
// common all-ASCII text needs no round trip through UTF-16.
std::string fold_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const icu::Normalizer2& nfkc() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU NFKC data unavailable: ") + u_errorName(status));
    return n;
  }();
  return *instance;
}

// The code point starting at `i` (advancing i); negative for an ill-formed sequence.
// The code point at s[i] (advancing i), or a negative value for an invalid
// sequence, which then spans as many bytes as ICU says one bad sequence
// does (each counts as one U+FFFD). Valid text, the usual case, is decoded
// inline; both decoders refuse the same sequences (RFC 3629).
UChar32 next_code_point(std::string_view s, std::size_t& i) {
  char32_t cp;
  if (sms::utf8::next(s, i, cp)) return static_cast<UChar32>(cp);
  UChar32 c;
  auto len = static_cast<int32_t>(s.size());
  auto at = static_cast<int32_t>(i);
  U8_NEXT(s.data(), at, len, c);
  i = static_cast<std::size_t>(at);
  return c;
}

UChar32 prev_code_point(std::string_view s, std::size_t& end) {
  UChar32 c;
  auto at = static_cast<int32_t>(end);
  U8_PREV(s.data(), 0, at, c);
  end = static_cast<std::size_t>(at);
  return c;
}

// Strips Unicode White_Space (ideographic space U+3000 included) at both ends.
std::string_view trim_white(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    std::size_t next = begin;
    UChar32 c = next_code_point(s, next);
    if (c < 0 || !u_isUWhiteSpace(c)) break;
    begin = next;
  }
  std::size_t end = s.size();
  while (end > begin) {
    std::size_t prev = end;
    UChar32 c = prev_code_point(s, prev);
    if (c < 0 || !u_isUWhiteSpace(c)) break;
    end = prev;
  }
  return s.substr(begin, end - begin);
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();)
    if (next_code_point(s, i) < 0) return false;
  return true;
}

}  // namespace

// NFKC_Casefold (NFKC, full case folding and removal of default-ignorable
// characters such as zero-width spaces, in one pass over the UTF-8): a third
// of the cost of NFKC and foldCase through UTF-16, on every claimed message.
const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status))
      throw std::runtime_error(std::string("ICU NFKC_Casefold data unavailable: ") + u_errorName(status));
    return n;
  }();
  return *instance;
}

// Through UTF-16: bad bytes become U+FFFD (normalizeUTF8 would pass them through).
std::string fold_slow(std::string_view utf8) {
  auto text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString folded = nfkc().normalize(text, status);
  if (U_FAILURE(status)) folded = text;   // only on allocation failure; folding still helps
  folded.foldCase(U_FOLD_CASE_DEFAULT);
  std::string out;
  folded.toUTF8String(out);
  return out;
}

namespace {
// BMP code points that NFKC_Casefold leaves as they are and that never
// combine with a neighbour (ICU's "inert": no mapping, canonical combining
// class 0, composes neither forward nor backward): most CJK ideographs and
// punctuation, digits, lower-case letters. A text splits into runs at such
// characters, so only the runs between them need ICU. 8 KiB, filled a block
// of 256 code points at a time when a text first has one of them: asking
// ICU about all 65,536 took a millisecond of every `smsctl policy check`.
class InertBmp {
 public:
  bool operator()(UChar32 c) {
    const auto block = static_cast<std::size_t>(c) >> 8;
    std::call_once(filled_[block], [this, block] { fill(block); });
    return (bits_[static_cast<std::size_t>(c) >> 6] >> (c & 63)) & 1u;
  }

 private:
  // Each block owns four whole words, so blocks filled at once by two
  // threads never write the same word.
  void fill(std::size_t block) {
    const icu::Normalizer2& n = nfkc_casefold();
    for (UChar32 c = static_cast<UChar32>(block << 8); c < static_cast<UChar32>((block + 1) << 8); ++c)
      if (!U_IS_SURROGATE(c) && n.isInert(c)) bits_[static_cast<std::size_t>(c) >> 6] |= std::uint64_t{1} << (c & 63);
  }
  std::array<std::once_flag, 256> filled_;
  std::array<std::uint64_t, 1024> bits_{};
};

InertBmp& inert_bmp() {
  static InertBmp table;
  return table;
}

// Appends NFKC_Casefold of `run` (valid UTF-8) to out.
bool fold_run(std::string_view run, std::string& out) {
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  nfkc_casefold().normalizeUTF8(0, icu::StringPiece(run.data(), static_cast<int32_t>(run.size())), sink, nullptr,
                                status);
  return U_SUCCESS(status);
}


// NFKC_Casefold of one code point alone. A group send's texts differ in a
// name or a number but share their punctuation and Latin words ("，", "TD"):
// each such character is folded by ICU once per thread, not once a message.
const std::string& fold_code_point(UChar32 c, std::string_view utf8) {
  struct Slot {
    UChar32 cp = -1;
    std::string folded;
  };
  thread_local std::array<Slot, 64> memo;
  Slot& slot = memo[static_cast<std::size_t>(c) & 63];
  if (slot.cp != c) {
    slot.folded.clear();
    if (!fold_run(utf8, slot.folded)) slot.folded = fold_slow(utf8);
    slot.cp = c;
  }
  return slot.folded;
}
}  // namespace

// Inert characters are copied; the rest is cut into segments, each starting
// at a character with a normalization boundary before it (ICU's
// hasBoundaryBefore: nothing before it interacts with it or with what
// follows), and each segment is folded alone: a lone character from the
// memo, a longer one (a letter and its combining marks) by ICU. The same
// result as folding the whole text at once (case folding maps each code
// point alone), at a fraction of the cost for Chinese text. tests/policy
// compare the two on random texts of characters that do combine.
std::string fold(std::string_view utf8) {
  if (is_ascii(utf8)) return fold_ascii(utf8);
  InertBmp& inert = inert_bmp();
  const icu::Normalizer2& n = nfkc_casefold();
  std::string out;
  out.reserve(utf8.size());
  std::size_t copy_from = 0;                  // inert characters from here on are not in `out` yet
  std::size_t seg = std::string_view::npos;   // start of the current segment of non-inert characters
  UChar32 first = 0;                          // its first character
  bool single = false;                        // the segment is that character alone
  bool ok = true;
  auto end_segment = [&](std::size_t end) {
    const std::string_view text = utf8.substr(seg, end - seg);
    if (single) out += fold_code_point(first, text);
    else ok = ok && fold_run(text, out);
    seg = std::string_view::npos;
    copy_from = end;
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t at = i;
    const UChar32 c = next_code_point(utf8, i);
    if (c < 0) return fold_slow(utf8);   // bad bytes become U+FFFD there
    if (c < 0x10000 && inert(c)) {
      if (seg != std::string_view::npos) end_segment(at);
      continue;   // copied with its neighbours, in one append
    }
    if (seg == std::string_view::npos) {
      out.append(utf8.data() + copy_from, at - copy_from);
    } else if (n.hasBoundaryBefore(c)) {
      end_segment(at);
    } else {
      single = false;
      continue;
    }
    seg = at;
    first = c;
    single = true;
  }
  if (seg != std::string_view::npos) end_segment(utf8.size());
  else out.append(utf8.data() + copy_from, utf8.size() - copy_from);
  return ok ? out : fold_slow(utf8);
}

std::string fold_trimmed(std::string_view utf8) {
  // Folding first: NFKC turns U+3000 and U+00A0 into plain spaces, which the
  // trim then removes along with the rest of White_Space.
  return std::string(trim_white(fold(utf8)));
}

std::size_t char_count(std::string_view utf8) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < utf8.size(); ++n) next_code_point(utf8, i);   // a bad byte counts as U+FFFD
  return n;
}

// ---- WordList: Aho-Corasick automaton over folded UTF-8 bytes ---------------

WordList::WordList(const std::vector<std::string>& words) {
  static std::atomic<std::uint64_t> next_id{1};
  id_ = next_id.fetch_add(1, std::memory_order_relaxed);
  std::vector<std::string> patterns;
  patterns.reserve(words.size());
  std::size_t bytes = 0;
  for (const auto& word : words) bytes += patterns.emplace_back(fold_trimmed(word)).size();
  nodes_.reserve(bytes + 1);   // at most a node a byte: no reallocation while building
  nodes_.emplace_back();   // the root
  for (std::size_t w = 0; w < words.size(); ++w) {
    const std::string& word = words[w];
    const std::string& pattern = patterns[w];
    if (pattern.empty()) continue;
    int state = 0;
    for (unsigned char c : pattern) {
      auto& next = nodes_[state].next;
      auto it = std::lower_bound(next.begin(), next.end(), c,
                                 [](const auto& edge, unsigned char b) { return edge.first < b; });
      if (it != next.end() && it->first == c) {
        state = it->second;
        continue;
      }
      int child = static_cast<int>(nodes_.size());
      next.insert(it, {c, child});   // before emplace_back: `next` refers into nodes_
      nodes_.emplace_back();
      state = child;
    }
    if (nodes_[state].word >= 0) continue;   // the same word again, perhaps in other case
    nodes_[state].word = static_cast<int>(words_.size());
    words_.push_back(word);
  }
  for (const auto& [c, child] : nodes_[0].next) root_[c] = child;   // before step() is used
  // Fail links breadth first, so a node's fail target is finished before it.
  std::deque<int> queue;
  for (const auto& [c, child] : nodes_[0].next) queue.push_back(child);
  while (!queue.empty()) {
    int node = queue.front();
    queue.pop_front();
    for (const auto& [c, child] : nodes_[node].next) {
      int fail = nodes_[node].fail;
      nodes_[child].fail = step(fail, c);
      const Node& target = nodes_[nodes_[child].fail];
      nodes_[child].out = target.word >= 0 ? nodes_[child].fail : target.out;
      queue.push_back(child);
    }
  }
}

int WordList::step(int state, unsigned char c) const {
  while (true) {
    if (state == 0) return root_[c];
    const auto& next = nodes_[state].next;
    auto it = std::lower_bound(next.begin(), next.end(), c,
                               [](const auto& edge, unsigned char b) { return edge.first < b; });
    if (it != next.end() && it->first == c) return it->second;
    if (state == 0) return 0;
    state = nodes_[state].fail;
  }
}

std::optional<std::string> WordList::find(std::string_view text) const {
  if (words_.empty()) return std::nullopt;
  // A group send puts the same text in every row: the answer for the last
  // text this thread asked a list about is kept (folding with ICU is most
  // of the cost). Keyed by the list's id as well as the text, so another
  // list (a reloaded policy, even at the same address) is never answered
  // from it.
  struct Memo {
    std::uint64_t list = 0;
    std::string text;
    std::optional<std::string> found;
  };
  thread_local Memo memo;
  if (memo.list == id_ && memo.text == text) return memo.found;
  std::optional<std::string> found;
  int state = 0;
  for (unsigned char c : fold(text)) {
    state = step(state, c);
    const Node& node = nodes_[state];
    // The node's own word is the longest match ending here; `out` a shorter one.
    if (node.word >= 0) {
      found = words_[node.word];
      break;
    }
    if (node.out >= 0) {
      found = words_[nodes_[node.out].word];
      break;
    }
  }
  memo.list = id_;
  memo.text.assign(text);
  memo.found = found;
  return found;
}

std::optional<std::vector<std::string>> read_word_file(const std::string& path, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {   // opening one would "succeed" and read nothing
    error = "cannot open " + path + ": " + std::strerror(EISDIR);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::vector<std::string> words;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    std::string_view view = line;
    if (line_no == 1 && view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);
    if (!valid_utf8(view)) {
      error = "line " + std::to_string(line_no) + " is not valid UTF-8";
      return std::nullopt;
    }
    view = trim_white(view);   // also drops the '\r' of files written on Windows
    if (view.empty() || view.front() == '#') continue;
    words.emplace_back(view);
  }
  if (in.bad()) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  return words;
}

}  // namespace sms::policy

#include "tools/smsctl/db_table.hpp"

#include <algorithm>
#include <cstdint>

#include "modem/common/json.hpp"
#include "modem/common/utf8.hpp"

namespace smsctl {

namespace {

constexpr char32_t kBad = 0xFFFD;

// Decodes one code point at s[i]; advances i. An invalid sequence yields
// U+FFFD for one byte, so a broken row still renders.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  char32_t cp = 0;
  if (sms::utf8::next(s, i, cp)) return cp;
  ++i;
  return kBad;
}

void append_utf8(std::string& out, char32_t cp) { sms::utf8::append(out, cp); }

struct Range {
  char32_t lo, hi;
};

// East Asian Width W and F (Unicode UAX #11, EastAsianWidth.txt), merged into
// the blocks that matter for SMS text.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251},
    {0x1F300, 0x1F320}, {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA},
    {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440},
    {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A},
    {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC},
    {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7}, {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB},
    {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
};

// Zero width: combining marks (Mn/Me in the common blocks), ZWSP..RLM,
// word joiner, variation selectors, ZWNBSP.
constexpr Range kZero[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x302A, 0x302D},
    {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

template <std::size_t N>
bool in(const Range (&table)[N], char32_t cp) {
  auto it = std::upper_bound(std::begin(table), std::end(table), cp,
                             [](char32_t v, const Range& r) { return v < r.lo; });
  return it != std::begin(table) && cp <= std::prev(it)->hi;
}

int width_of(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
  if (in(kZero, cp)) return 0;
  if (in(kWide, cp)) return 2;
  return 1;
}

}  // namespace

int display_width(std::string_view s) {
  int w = 0;
  for (std::size_t i = 0; i < s.size();) w += width_of(next_code_point(s, i));
  return w;
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) append_utf8(out, next_code_point(s, i));
  return out;
}

std::string cell_text(std::string_view s, int max_width) {
  std::string out;
  int w = 0;
  const int ellipsis = 1;
  // First pass decides whether everything fits.
  std::string clean;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = next_code_point(s, i);
    if (cp == '\n') cp = 0x23CE;                                   // ⏎
    else if (cp == '\r') continue;
    else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) cp = ' ';
    append_utf8(clean, cp);
  }
  if (max_width <= 0 || display_width(clean) <= max_width) return clean;
  for (std::size_t i = 0; i < clean.size();) {
    std::size_t start = i;
    int cw = width_of(next_code_point(clean, i));
    if (w + cw > max_width - ellipsis) break;
    out.append(clean, start, i - start);
    w += cw;
  }
  out += "\xE2\x80\xA6";   // …
  return out;
}

std::string Table::render() const {
  const std::size_t n = headers.size();
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size() + 1);
  auto limit = [&](std::size_t c) { return c < max_width.size() ? max_width[c] : 0; };
  std::vector<std::string> head;
  for (std::size_t c = 0; c < n; ++c) head.push_back(cell_text(headers[c], 0));
  cells.push_back(head);
  for (const auto& r : rows) {
    std::vector<std::string> line;
    for (std::size_t c = 0; c < n; ++c) line.push_back(cell_text(c < r.size() ? r[c] : "", limit(c)));
    cells.push_back(std::move(line));
  }
  std::vector<int> width(n, 0);
  for (const auto& line : cells)
    for (std::size_t c = 0; c < n; ++c) width[c] = std::max(width[c], display_width(line[c]));
  std::string out;
  for (const auto& line : cells) {
    std::string text;
    for (std::size_t c = 0; c < n; ++c) {
      int pad = width[c] - display_width(line[c]);
      bool right = c < right_align.size() && right_align[c];
      if (right) text.append(static_cast<std::size_t>(pad), ' ');
      text += line[c];
      if (!right) text.append(static_cast<std::size_t>(pad), ' ');
      if (c + 1 < n) text += "  ";
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text;
    out += '\n';
  }
  return out;
}

std::string csv_field(std::string_view s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_record(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_field(fields[i]);
  }
  out += "\r\n";
  return out;
}

std::string json_string(std::string_view s) { return sms::json::quote(valid_utf8(s)); }

}  // namespace smsctl

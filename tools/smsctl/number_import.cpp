#include "tools/smsctl/number_import.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "modem/common/utf8.hpp"

namespace smsctl {

namespace {

int line_at(std::string_view bytes, std::size_t offset) {
  return 1 + static_cast<int>(std::count(bytes.begin(), bytes.begin() + static_cast<long>(offset), '\n'));
}

// Offset of the first invalid UTF-8 sequence, or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  char32_t cp = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    if (!sms::utf8::next(s, i, cp)) return i;
  }
  return std::string_view::npos;
}

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

sms::Result<std::string> from_gb18030(std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1))
    return sms::make_error("the file is not UTF-8, and this system's iconv cannot convert from GB18030");
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t used = 0;
  sms::Result<std::string> result = std::string();
  while (in_left > 0) {
    char* o = out.data() + used;
    std::size_t o_left = out.size() - used;
    std::size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    used = out.size() - o_left;
    if (r != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    const std::size_t at = bytes.size() - in_left;
    const int line = line_at(bytes, at);
    if (errno == EINVAL)
      result = sms::make_error("the file is neither UTF-8 nor GB18030: it ends in the middle of a character (line " +
                               std::to_string(line) + ")");
    else
      result = sms::make_error("the file is neither UTF-8 nor GB18030: line " + std::to_string(line) + " has byte " +
                               hex_byte(static_cast<unsigned char>(bytes[at])) +
                               " that is no character in either (is it a text file?)");
    iconv_close(cd);
    return result;
  }
  iconv_close(cd);
  out.resize(used);
  return out;
}

std::string trim(std::string_view s) {
  // ASCII white space and the ideographic space U+3000 (E3 80 80).
  auto space_at_front = [](std::string_view v) -> std::size_t {
    if (v.empty()) return 0;
    unsigned char c = static_cast<unsigned char>(v.front());
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
    if (v.size() >= 3 && v.substr(0, 3) == "\xE3\x80\x80") return 3;
    return 0;
  };
  auto space_at_back = [](std::string_view v) -> std::size_t {
    if (v.empty()) return 0;
    unsigned char c = static_cast<unsigned char>(v.back());
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
    if (v.size() >= 3 && v.substr(v.size() - 3) == "\xE3\x80\x80") return 3;
    return 0;
  };
  while (std::size_t n = space_at_front(s)) s.remove_prefix(n);
  while (std::size_t n = space_at_back(s)) s.remove_suffix(n);
  return std::string(s);
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool has_digit(std::string_view s) {
  for (char c : s)
    if (c >= '0' && c <= '9') return true;
  // Full-width digits ０-９ (EF BC 90 .. EF BC 99).
  for (std::size_t i = 0; i + 2 < s.size(); ++i)
    if (s[i] == '\xEF' && s[i + 1] == '\xBC' && static_cast<unsigned char>(s[i + 2]) >= 0x90 &&
        static_cast<unsigned char>(s[i + 2]) <= 0x99)
      return true;
  return false;
}

// Header names of a phone-number column, most specific first.
const char* const kNumberHeaders[] = {"手机号码", "手机号", "手机", "电话号码", "联系电话", "电话", "号码",
                                      "mobile",   "phone",  "msisdn", "number", "tel"};

int guess_column(const std::vector<std::string>& header) {
  std::vector<std::string> names;
  for (const auto& h : header) names.push_back(ascii_lower(trim(h)));
  for (const char* want : kNumberHeaders)
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == want) return static_cast<int>(i);
  for (const char* want : kNumberHeaders)
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i].find(want) != std::string::npos) return static_cast<int>(i);
  return -1;
}

std::string printable(std::string_view s, std::size_t max = 40) {
  std::string out;
  for (unsigned char c : s) {
    if (out.size() >= max) {
      out += "…";
      break;
    }
    out += (c < 0x20 || c == 0x7F) ? '?' : static_cast<char>(c);
  }
  return out;
}

// The separator of a CSV file: the most frequent of , ; TAB outside quotes on its first line.
char guess_separator(std::string_view text) {
  int comma = 0, semi = 0, tab = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size() && i < kMaxRecordBytes; ++i) {
    char c = text[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    comma += c == ',';
    semi += c == ';';
    tab += c == '\t';
  }
  if (semi > comma && semi >= tab) return ';';
  if (tab > comma && tab > semi) return '\t';
  return ',';
}

bool looks_like_csv(std::string_view text) {
  for (std::size_t i = 0; i < text.size() && i < kMaxRecordBytes; ++i) {
    char c = text[i];
    if (c == ',' || c == ';' || c == '\t' || c == '"') return true;
    if (c == '\n') {
      // Only the first non-blank line counts.
      std::string_view before = text.substr(0, i);
      if (!trim(before).empty()) return false;
    }
  }
  return false;
}

}  // namespace

std::string_view to_string(TextEncoding e) {
  switch (e) {
    case TextEncoding::utf8: return "UTF-8";
    case TextEncoding::utf8_bom: return "UTF-8 with BOM";
    case TextEncoding::gb18030: return "GB18030";
  }
  return "?";
}

sms::Result<DecodedText> decode_text(std::string_view bytes) {
  if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF')))
    return sms::make_error("the file is UTF-16 (Excel's \"Unicode text\"); save it as CSV UTF-8 or CSV");
  if (auto nul = bytes.find('\0'); nul != std::string_view::npos)
    return sms::make_error("line " + std::to_string(line_at(bytes, nul)) +
                           " holds a NUL byte: this is not a text file (UTF-8 or GB18030)");
  DecodedText d;
  std::string_view body = bytes;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") {
    body.remove_prefix(3);
    d.encoding = TextEncoding::utf8_bom;
    // A BOM says UTF-8: no guessing.
    if (auto bad = invalid_utf8_at(body); bad != std::string_view::npos)
      return sms::make_error("the file starts with a UTF-8 byte order mark, but line " +
                             std::to_string(line_at(bytes, bad + 3)) + " is not valid UTF-8 (byte " +
                             hex_byte(static_cast<unsigned char>(body[bad])) + ")");
    d.utf8 = std::string(body);
    return d;
  }
  if (invalid_utf8_at(body) == std::string_view::npos) {
    d.utf8 = std::string(body);
    return d;
  }
  auto converted = from_gb18030(body);
  if (!converted) return sms::make_error(converted.error());
  d.utf8 = std::move(*converted);
  d.encoding = TextEncoding::gb18030;
  return d;
}

std::vector<CsvRecord> parse_csv(std::string_view text, char sep, std::vector<CsvProblem>& problems) {
  std::vector<CsvRecord> records;
  const std::size_t n = text.size();
  std::size_t pos = 0;
  int line = 1;
  while (pos < n) {
    CsvRecord rec;
    rec.line = line;
    const std::size_t start = pos;
    std::string field;
    bool in_quotes = false, field_started = false, done = false, too_long = false;
    while (pos < n && !done) {
      if (pos - start > kMaxRecordBytes) {
        too_long = true;
        break;
      }
      const char c = text[pos];
      if (in_quotes) {
        if (c == '"') {
          if (pos + 1 < n && text[pos + 1] == '"') {
            field += '"';
            pos += 2;
          } else {
            in_quotes = false;
            ++pos;
          }
        } else {
          if (c == '\n') ++line;
          field += c;
          ++pos;
        }
        continue;
      }
      if (c == sep) {
        rec.fields.push_back(std::move(field));
        field.clear();
        field_started = false;
        ++pos;
      } else if (c == '\n' || (c == '\r' && pos + 1 < n && text[pos + 1] == '\n')) {
        pos += c == '\r' ? 2 : 1;
        ++line;
        done = true;
      } else if (c == '"' && !field_started) {
        in_quotes = true;
        field_started = true;
        ++pos;
      } else {
        if (c != ' ' && c != '\t') field_started = true;   // "  \"x\"" is still a quoted field
        field += c;
        ++pos;
      }
    }
    if (too_long) {
      // Skip the rest of this physical line.
      std::size_t nl = text.find('\n', pos);
      const std::size_t end = nl == std::string_view::npos ? n : nl + 1;
      std::size_t length = (nl == std::string_view::npos ? n : nl) - start;
      problems.push_back({rec.line, "the line is " + std::to_string(length) + "+ bytes long (at most " +
                                        std::to_string(kMaxRecordBytes) + " are read" +
                                        (in_quotes ? "; is a quote not closed?" : "") + ")"});
      line += static_cast<int>(std::count(text.begin() + static_cast<long>(pos), text.begin() + static_cast<long>(end),
                                          '\n'));
      pos = end;
      continue;
    }
    if (in_quotes) {
      problems.push_back({rec.line, "a quoted field that starts on this line is never closed"});
      break;
    }
    rec.fields.push_back(std::move(field));
    records.push_back(std::move(rec));
  }
  return records;
}

sms::Result<NumberFile> read_number_file(std::string_view bytes, const ImportOptions& options) {
  auto decoded = decode_text(bytes);
  if (!decoded) return sms::make_error(decoded.error());
  NumberFile f;
  f.encoding = decoded->encoding;
  const std::string& text = decoded->utf8;
  f.csv = options.csv || looks_like_csv(text);
  std::vector<CsvRecord> records;
  if (f.csv) {
    f.separator = guess_separator(text);
    records = parse_csv(text, f.separator, f.problems);
  } else {
    // TXT: one value a line (no quoting).
    std::size_t pos = 0;
    int line = 0;
    while (pos < text.size()) {
      ++line;
      std::size_t nl = text.find('\n', pos);
      std::size_t end = nl == std::string::npos ? text.size() : nl;
      if (end - pos > kMaxRecordBytes)
        f.problems.push_back({line, "the line is " + std::to_string(end - pos) + " bytes long (at most " +
                                        std::to_string(kMaxRecordBytes) + " are read)"});
      else
        records.push_back({line, {std::string(text, pos, end - pos)}});
      pos = nl == std::string::npos ? text.size() : nl + 1;
    }
  }

  // The first record with content decides the header and the column.
  bool first = true;
  for (auto& rec : records) {
    bool blank = true;
    for (const auto& fld : rec.fields)
      if (!trim(fld).empty()) blank = false;
    if (blank || (!rec.fields.empty() && trim(rec.fields[0]).rfind('#', 0) == 0)) {
      ++f.blank;
      continue;
    }
    if (first) {
      first = false;
      if (!options.column.empty()) {
        int idx = -1;
        const std::string want = ascii_lower(trim(options.column));
        for (std::size_t i = 0; i < rec.fields.size(); ++i)
          if (ascii_lower(trim(rec.fields[i])) == want) idx = static_cast<int>(i);
        if (idx >= 0) {
          f.header = true;
        } else {
          int number = 0;
          bool digits = !want.empty() && want.size() < 4;
          for (char c : want) digits = digits && c >= '0' && c <= '9', number = number * 10 + (c - '0');
          if (!digits || number < 1) {
            std::string names;
            for (const auto& h : rec.fields) names += (names.empty() ? "" : ", ") + printable(trim(h), 30);
            return sms::make_error("no column named '" + options.column + "' in the first line (" + names + ")");
          }
          idx = number - 1;
          f.header = !has_digit(idx < static_cast<int>(rec.fields.size()) ? rec.fields[static_cast<std::size_t>(idx)]
                                                                          : std::string());
        }
        f.column_index = idx;
      } else {
        int idx = f.csv ? guess_column(rec.fields) : -1;
        if (idx >= 0) {
          f.header = true;
          f.column_index = idx;
        } else {
          bool any_digit = false;
          for (const auto& fld : rec.fields) any_digit = any_digit || has_digit(fld);
          f.header = !any_digit;
        }
      }
      if (f.header) {
        if (static_cast<std::size_t>(f.column_index) < rec.fields.size())
          f.column = trim(rec.fields[static_cast<std::size_t>(f.column_index)]);
        continue;
      }
    }
    const auto idx = static_cast<std::size_t>(f.column_index);
    if (idx >= rec.fields.size()) {
      f.problems.push_back({rec.line, "no column " + std::to_string(idx + 1) + " (the line has " +
                                          std::to_string(rec.fields.size()) + ")"});
      continue;
    }
    std::string value = trim(rec.fields[idx]);
    if (value.empty()) {
      f.problems.push_back({rec.line, "the number column is empty"});
      continue;
    }
    f.entries.push_back({rec.line, std::move(value)});
  }
  std::sort(f.problems.begin(), f.problems.end(),
            [](const CsvProblem& a, const CsvProblem& b) { return a.line < b.line; });
  return f;
}

}  // namespace smsctl

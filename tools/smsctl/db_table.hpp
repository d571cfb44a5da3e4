#pragma once
// Output helpers of the database commands: terminal tables (East Asian wide
// characters take two columns), CSV (RFC 4180) and JSON strings.
#include <string>
#include <string_view>
#include <vector>

namespace smsctl {

// Columns a terminal uses for this UTF-8 text: wide and fullwidth characters
// (UAX #11 classes W and F: CJK, Hangul, fullwidth forms, most emoji) count 2,
// combining marks and zero-width characters 0, everything else 1. Invalid
// bytes count 1 each (they print as U+FFFD).
int display_width(std::string_view utf8);

// Makes text safe for one table cell: invalid UTF-8 becomes U+FFFD, line
// breaks become "⏎", other control characters a space; then cuts it to at
// most max_width columns, ending with "…" when something was cut.
std::string cell_text(std::string_view utf8, int max_width);

// Replaces invalid UTF-8 sequences with U+FFFD (JSON must be valid UTF-8).
std::string valid_utf8(std::string_view bytes);

struct Table {
  std::vector<std::string> headers;
  std::vector<int> max_width;            // per column; 0 = no limit
  std::vector<bool> right_align;         // per column (numbers)
  std::vector<std::vector<std::string>> rows;
  // Columns padded by display width, two spaces apart, trailing spaces trimmed.
  std::string render() const;
};

// One CSV field: quoted when it holds a comma, quote, CR or LF (or starts or
// ends with a space); quotes doubled. RFC 4180 section 2.
std::string csv_field(std::string_view s);
// A CSV record ending in CRLF (RFC 4180 section 2.1).
std::string csv_record(const std::vector<std::string>& fields);

// A JSON string of text that may hold invalid UTF-8.
std::string json_string(std::string_view s);

}  // namespace smsctl

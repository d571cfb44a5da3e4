#pragma once
// Reading a file of phone numbers for `smsctl whitelist|blacklist|optout
// import`: a TXT file (one number a line) or a CSV file (RFC 4180; Excel's
// export), in UTF-8, UTF-8 with a byte order mark, or GB18030 (what Excel on
// Chinese Windows writes). Only reading and choosing the column happens here;
// the caller normalises the numbers (sms::policy::Numbers).
//
// Hostile input never crashes and never runs away: NUL bytes and UTF-16 are
// refused as a whole with the reason, a record longer than kMaxRecordBytes is
// reported as a problem of its line and skipped.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "modem/common/result.hpp"

namespace smsctl {

enum class TextEncoding { utf8, utf8_bom, gb18030 };
std::string_view to_string(TextEncoding e);   // "UTF-8", "UTF-8 with BOM", "GB18030"

struct DecodedText {
  std::string utf8;
  TextEncoding encoding = TextEncoding::utf8;
};

// Valid UTF-8 (after an optional BOM) is taken as it is; anything else is
// converted from GB18030 with iconv(3). Errors: NUL bytes, UTF-16/32 byte
// order marks, bytes that are neither UTF-8 nor GB18030 (with the line).
sms::Result<DecodedText> decode_text(std::string_view bytes);

inline constexpr std::size_t kMaxRecordBytes = 64 * 1024;

// One CSV record and the line (1-based) it starts on.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};
struct CsvProblem {
  int line = 0;
  std::string reason;
};
// RFC 4180: fields separated by `sep`; a field in double quotes may hold the
// separator, line breaks and "" for a quote; records end in CRLF or LF. A
// quote inside an unquoted field is kept as it is. An unclosed quote at the
// end of the text and records over kMaxRecordBytes are problems (the long
// record is skipped up to the next line break).
std::vector<CsvRecord> parse_csv(std::string_view text, char sep, std::vector<CsvProblem>& problems);

struct ImportOptions {
  std::string column;     // --column NAME (or a 1-based number); "" = choose
  bool csv = false;       // the file is CSV (its name ends in .csv); else decided by the content
};

struct NumberFile {
  TextEncoding encoding = TextEncoding::utf8;
  bool csv = false;
  char separator = ',';
  bool header = false;              // the first record was a header and is skipped
  std::string column;               // the header of the column read ("" without a header)
  int column_index = 0;             // 0-based
  struct Entry {
    int line = 0;
    std::string value;              // trimmed, not normalised
  };
  std::vector<Entry> entries;
  std::vector<CsvProblem> problems; // lines that hold no usable value
  int blank = 0;                    // blank and comment lines skipped
};

// Decodes and reads a whole file's bytes. The column of a CSV file: the one
// named `--column`, else the first whose header is like 手机/手机号/号码/电话/
// number/phone/mobile, else the first. A first record without any digit is a
// header. Errors (nothing is read): the encoding, no column named so.
sms::Result<NumberFile> read_number_file(std::string_view bytes, const ImportOptions& options);

}  // namespace smsctl

#include "modem/driver/replies.hpp"

#include "modem/at/results.hpp"

namespace sms::modem {
namespace {
int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
int hex_octet(std::string_view hex, std::size_t octet) noexcept {
  if (hex.size() < 2 * octet + 2) return -1;
  const int hi = hex_digit(hex[2 * octet]), lo = hex_digit(hex[2 * octet + 1]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}
bool code_is(const at::Final& f, at::FinalCode code, int n) noexcept {
  return f.code == code && f.number && *f.number == n;
}
}  // namespace

int tpdu_type(std::string_view hex) noexcept {
  const int smsc_len = hex_octet(hex, 0);  // 27.005 3.1: length of the SMSC field in octets
  if (smsc_len < 0) return -1;
  const int first = hex_octet(hex, 1 + static_cast<std::size_t>(smsc_len));
  if (first < 0) return -1;
  return first & 0x03;  // 23.040 9.2.3.1 TP-MTI (3 is reserved)
}

bool is_not_ready(const at::Final& f) noexcept {
  return code_is(f, at::FinalCode::cms_error, 314) ||  // SIM busy (27.005)
         code_is(f, at::FinalCode::cme_error, 14) ||   // SIM busy (27.007)
         code_is(f, at::FinalCode::cme_error, 515) ||  // Wavecom: please wait, init in progress
         code_is(f, at::FinalCode::cms_error, 515);
}

bool is_memory_full(const at::Final& f) noexcept {
  return code_is(f, at::FinalCode::cms_error, 322) || code_is(f, at::FinalCode::cme_error, 20);
}

bool is_empty_slot(const at::Final& f) noexcept {
  return code_is(f, at::FinalCode::cms_error, 321) || code_is(f, at::FinalCode::cme_error, 21) ||
         code_is(f, at::FinalCode::cme_error, 22);
}

std::string identity_value(std::string_view line) {
  std::string_view v = at::strip_prefix(line);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return std::string(at::trim(v));
}

std::string at_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s)
    if (c != '"' && c != '\r' && c != '\n' && c != '\x1a' && c != '\x1b') out.push_back(c);
  out.push_back('"');
  return out;
}

}  // namespace sms::modem

#include "modem/sim/control.hpp"

#include <fmt/format.h>

#include <vector>

#include "modem/common/utf8.hpp"
#include "modem/sim/sim_internal.hpp"

namespace sms::sim {

namespace {

void append_utf8(std::string& out, std::uint32_t cp) { sms::utf8::append(out, static_cast<char32_t>(cp)); }

bool hex4(std::string_view s, std::size_t at, std::uint32_t& v) {
  if (at + 4 > s.size()) return false;
  v = 0;
  for (std::size_t k = at; k < at + 4; ++k) {
    const char c = s[k];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
    else return false;
  }
  return true;
}

// Splits off the next blank-separated word.
std::string_view next_word(std::string_view& rest) {
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  const auto sp = rest.find(' ');
  const std::string_view w = rest.substr(0, sp);
  rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
  return w;
}

std::string deliver_reply(const sms::Result<DeliverResult>& r) {
  if (!r) return "error " + r.error();
  if (r->direct) return fmt::format("ok parts={} direct", r->parts);
  std::string idx;
  for (int i : r->indexes) idx += fmt::format("{}{}", idx.empty() ? "" : ",", i);
  return fmt::format("ok parts={} indexes={}", r->parts, idx);
}

}  // namespace

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out.push_back(s[i]);
      continue;
    }
    const char e = s[++i];
    std::uint32_t cp = 0, lo = 0;
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case '\\': out.push_back('\\'); break;
      case 'u':
        if (!hex4(s, i + 1, cp)) {
          out += "\\u";
          break;
        }
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < s.size() + 1 && s.substr(i + 1, 2) == "\\u" &&
            hex4(s, i + 3, lo) && lo >= 0xDC00 && lo < 0xE000) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          i += 6;
        } else if (cp >= 0xD800 && cp < 0xE000) {
          cp = 0xFFFD;  // lone surrogate
        }
        append_utf8(out, cp);
        break;
      default:
        out.push_back('\\');
        out.push_back(e);
    }
  }
  return out;
}

std::string execute_control(SimModem& m, std::string_view line, std::int64_t now_ms) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  std::string_view rest = line;
  const std::string_view cmd = next_word(rest);
  m.advance(now_ms);
  if (cmd.empty()) return "error empty command";
  if (cmd == "ping") return "ok pong";
  if (cmd == "deliver") {
    const std::string_view from = next_word(rest);
    if (from.empty()) return "error usage: deliver FROM TEXT";
    return deliver_reply(m.deliver(from, unescape(rest), now_ms));
  }
  if (cmd == "deliver-parts") {
    const std::string_view from = next_word(rest);
    const std::string_view ref_s = next_word(rest);
    const std::string_view total_s = next_word(rest);
    const std::string_view seqs_s = next_word(rest);
    int ref = 0, total = 0;
    if (from.empty() || !parse_int(ref_s, ref) || !parse_int(total_s, total) || seqs_s.empty())
      return "error usage: deliver-parts FROM REF TOTAL SEQ,SEQ,... TEXT";
    std::vector<int> seqs;
    std::string_view sl = seqs_s;
    while (!sl.empty()) {
      const auto comma = sl.find(',');
      int s = 0;
      if (!parse_int(sl.substr(0, comma), s)) return fmt::format("error bad part number in '{}'", seqs_s);
      seqs.push_back(s);
      sl = comma == std::string_view::npos ? std::string_view{} : sl.substr(comma + 1);
    }
    return deliver_reply(m.deliver_parts(from, ref, total, seqs, unescape(rest), now_ms));
  }
  if (cmd == "deliver-pdu") return deliver_reply(m.deliver_pdu(next_word(rest), now_ms));
  if (cmd == "status-report") {
    int mr = 0, st = 0;
    if (!parse_int(next_word(rest), mr) || !parse_int(next_word(rest), st)) return "error usage: status-report MR STATUS";
    auto r = m.status_report(mr, st, now_ms);
    return r ? "ok" : "error " + r.error();
  }
  if (cmd == "vanish") {
    int ms = 0;
    if (!parse_int(next_word(rest), ms) || ms < 0) return "error usage: vanish MS";
    m.request_vanish(ms);
    return "ok";
  }
  if (cmd == "reboot") {
    m.reboot(now_ms);
    return "ok";
  }
  if (cmd == "set") {
    const std::string_view key = next_word(rest);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (key.empty() || rest.empty()) return "error usage: set KEY VALUE";
    auto r = m.set(key, rest);
    return r ? "ok" : "error " + r.error();
  }
  if (cmd == "stats") return "ok " + m.stats_json();
  if (cmd == "storage") {
    const Storage& s = m.storage(m.mem1());
    std::string out;
    for (std::size_t k = 0; k < s.slots.size(); ++k)
      if (s.slots[k].used)
        out += fmt::format("{}{}:{}:{}", out.empty() ? "" : ",", static_cast<int>(k) + m.index_base(), s.slots[k].stat,
                           s.slots[k].length);
    return "ok " + out;
  }
  if (cmd == "clear") {
    m.clear_storage();
    return "ok";
  }
  return fmt::format("error unknown command '{}'", cmd);
}

}  // namespace sms::sim

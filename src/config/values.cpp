#include "src/config/values.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sms::config {
namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }
std::string join(const std::vector<std::string_view>& v) {
  std::string out;
  for (auto s : v) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}
}  // namespace

const std::vector<unsigned>& standard_baud_rates() {
  static const std::vector<unsigned> rates{300,    600,    1200,   1800,    2400,    4800,    9600,
                                           19200,  38400,  57600,  115200,  230400,  460800,  500000,
                                           576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000,
                                           3000000, 3500000, 4000000};
  return rates;
}

Result<bool> parse_bool(std::string_view v) {
  if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
  if (v == "false" || v == "no" || v == "off" || v == "0") return false;
  return make_error("not a yes/no value (write true or false)");
}

Result<std::int64_t> parse_int(std::string_view v, std::int64_t min, std::int64_t max) {
  std::string_view digits = v;
  const bool negative = !digits.empty() && digits.front() == '-';
  if (negative || (!digits.empty() && digits.front() == '+')) digits.remove_prefix(1);
  if (!all_digits(digits)) return make_error("not a whole number");
  if (negative) {
    if (min >= 0) return make_error("must not be negative");
    return make_error(fmt::format("must be between {} and {}", min, max));
  }
  std::int64_t n = 0;
  for (char c : digits) {
    n = n * 10 + (c - '0');
    if (n > max) return make_error(fmt::format("must be between {} and {}", min, max));
  }
  if (n < min) return make_error(fmt::format("must be between {} and {}", min, max));
  return n;
}

Result<unsigned> parse_baud(std::string_view v) {
  if (!all_digits(v)) return make_error("not a number");
  const auto& rates = standard_baud_rates();
  for (unsigned r : rates) {
    if (fmt::format("{}", r) == v) return r;
  }
  std::string list;
  for (unsigned r : rates) list += (list.empty() ? "" : ", ") + fmt::format("{}", r);
  return make_error(fmt::format("not a standard baud rate (one of {})", list));
}

Result<std::string> parse_modem_id(std::string_view v) {
  if (v.empty()) return make_error("empty modem id");
  if (v.size() > 32) return make_error("modem id longer than 32 characters");
  for (char c : v) {
    if (c == ' ' || c == '\t') return make_error("modem id contains a space");
    const bool ok = is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.';
    if (!ok) {
      return make_error(fmt::format("modem id contains '{}'; use letters, digits, '_', '-' and '.'", c));
    }
  }
  return std::string(v);
}

Result<std::string> parse_port(std::string_view v) {
  if (v.empty()) return make_error("empty port (write /dev/ttyUSB0, tcp://HOST:PORT or sim)");
  // A stray blank would make the server wait forever for a device that
  // cannot appear.
  if (v.front() == ' ' || v.back() == ' ') return make_error("leading or trailing blank");
  for (char c : v) {
    if (static_cast<unsigned char>(c) < 0x20) return make_error("control character in the port");
  }
  if (v == "sim") return std::string(v);
  if (v.substr(0, 6) == "tcp://") {
    std::string_view rest = v.substr(6);
    std::string_view host, port;
    if (!rest.empty() && rest.front() == '[') {  // tcp://[2001:db8::1]:4001
      const auto close = rest.find(']');
      if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
        return make_error("not tcp://[IPV6]:PORT");
      }
      host = rest.substr(1, close - 1);
      port = rest.substr(close + 2);
    } else {
      const auto colon = rest.rfind(':');
      if (colon == std::string_view::npos) return make_error("no port number (write tcp://HOST:PORT)");
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
      if (host.find(':') != std::string_view::npos) return make_error("IPv6 addresses go in brackets: tcp://[ADDRESS]:PORT");
    }
    if (host.empty()) return make_error("no host (write tcp://HOST:PORT)");
    if (host.find('/') != std::string_view::npos) return make_error("a tcp port takes no path (write tcp://HOST:PORT)");
    if (!all_digits(port)) return make_error(fmt::format("port number '{}' is not a number", port));
    auto n = parse_int(port, 1, 65535);
    if (!n) return make_error(fmt::format("port number {} out of range 1..65535", port));
    return std::string(v);
  }
  if (v.find("://") != std::string_view::npos) {
    return make_error("unsupported scheme (only tcp://HOST:PORT, a device path or sim)");
  }
  if (v.front() != '/') {
    return make_error("not an absolute device path (write /dev/ttyUSB0, /dev/serial/by-id/..., tcp://HOST:PORT or sim)");
  }
  return std::string(v);
}

Result<std::string> parse_pin(std::string_view v) {
  if (v.empty()) return std::string();
  if (!all_digits(v)) return make_error("a PIN has only digits");
  if (v.size() < 4 || v.size() > 8) return make_error("a PIN has 4 to 8 digits");
  return std::string(v);
}

Result<std::string> parse_smsc(std::string_view v) {
  if (v.empty()) return std::string();
  std::string_view digits = v.front() == '+' ? v.substr(1) : v;
  if (!all_digits(digits)) return make_error("an SMSC number has only digits after an optional '+'");
  // 3GPP TS 24.011 8.2.5.2: the RP address carries at most 20 digits.
  if (digits.size() > 20) return make_error("an SMSC number has at most 20 digits");
  return std::string(v);
}

Result<std::string> parse_init_command(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\n' || v.front() == '\r')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  if (v.empty()) return make_error("empty init command");
  if (v.size() < 2 || (v[0] != 'A' && v[0] != 'a') || (v[1] != 'T' && v[1] != 't')) {
    return make_error("an init command starts with AT");
  }
  for (char c : v) {
    // The driver adds the CR itself; a CR, LF or Ctrl-Z inside would end the
    // command early or submit an SMS (3GPP TS 27.005 3.5.1).
    if (static_cast<unsigned char>(c) < 0x20) return make_error("an init command is one line without control characters");
  }
  return std::string(v);
}

Result<std::string> parse_log_level(std::string_view v) {
  if (v == "error" || v == "warning" || v == "info" || v == "debug") return std::string(v);
  if (v == "warn") return std::string("warning");
  return make_error("not a log level (error, warning, info or debug)");
}

const std::vector<std::string_view>& simulator_dialects() {
  // The dialects modem/sim implements (sms::sim::Dialect).
  static const std::vector<std::string_view> d{"generic", "huawei", "simcom", "quectel"};
  return d;
}

Result<std::string> parse_dialect(std::string_view v) {
  for (auto d : simulator_dialects()) {
    if (d == v) return std::string(v);
  }
  return make_error(fmt::format("unknown simulator dialect (one of {})", join(simulator_dialects())));
}

}  // namespace sms::config

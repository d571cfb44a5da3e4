#include "modem/at/results.hpp"

#include <charconv>

namespace sms::at {

namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t'; }

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 64)) out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  if (s.size() > 64) out += "...";
  out += "\"";
  return out;
}

Result<int> to_int(std::string_view text, std::string_view what) {
  const std::string_view t = trim(text);
  if (t.empty()) return make_error(std::string(what) + " is missing");
  int v = 0;
  const char* b = t.data();
  const char* e = t.data() + t.size();
  if (*b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e || b == e)
    return make_error(std::string(what) + ": expected a number, got " + quoted(t));
  return v;
}

Error at(std::string_view line, const std::string& msg) {
  return make_error(msg + " in " + quoted(trim(line)));
}

}  // namespace

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (is_space(s.front()) || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::string_view prefix_of(std::string_view line) noexcept {
  const std::string_view t = trim(line);
  if (t.empty()) return {};
  const char lead = t.front();
  if (lead != '+' && lead != '^' && lead != '$' && lead != '*' && lead != '#' && lead != '%') return {};
  // A prefix is a short name ("+CSQ", "^DSFLOWRPT", "+CME ERROR") up to ':'.
  for (std::size_t i = 1; i < t.size() && i <= 32; ++i) {
    const char c = t[i];
    if (c == ':') return i > 1 ? trim(t.substr(0, i)) : std::string_view{};
    const bool name_char = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                           c == '_' || c == '-' || c == ' ';
    if (!name_char) return {};
  }
  return {};
}

std::string_view strip_prefix(std::string_view line) noexcept {
  const std::string_view t = trim(line);
  const std::string_view p = prefix_of(t);
  if (p.empty()) return t;
  const std::size_t colon = t.find(':');
  return trim(t.substr(colon + 1));
}

bool is_hex_line(std::string_view line) noexcept {
  const std::string_view t = trim(line);
  if (t.empty()) return false;
  for (char c : t) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    if (!hex) return false;
  }
  return true;
}

// ---- FieldReader -------------------------------------------------------------

std::optional<Field> FieldReader::next() {
  if (done_) return std::nullopt;
  if (!started_) {
    started_ = true;
    if (trim(rest_).empty()) {
      done_ = true;
      return std::nullopt;
    }
  }
  while (!rest_.empty() && is_space(rest_.front())) rest_.remove_prefix(1);

  Field f;
  std::size_t end = 0;  // index of the comma ending this field, or npos
  if (!rest_.empty() && rest_.front() == '"') {
    const std::size_t close = rest_.find('"', 1);
    if (close == std::string_view::npos) {
      f.text = std::string(rest_.substr(1));
      f.quoted = true;
      done_ = true;
      rest_ = {};
      return f;
    }
    f.text = std::string(rest_.substr(1, close - 1));
    f.quoted = true;
    end = rest_.find(',', close + 1);
  } else if (!rest_.empty() && rest_.front() == '(') {
    const std::size_t close = rest_.find(')');
    const std::size_t stop = close == std::string_view::npos ? rest_.size() : close + 1;
    f.text = std::string(trim(rest_.substr(0, stop)));
    end = rest_.find(',', stop);
  } else {
    end = rest_.find(',');
    f.text = std::string(trim(rest_.substr(0, end)));
  }
  if (end == std::string_view::npos) {
    done_ = true;
    rest_ = {};
  } else {
    rest_.remove_prefix(end + 1);
  }
  return f;
}

Result<int> FieldReader::next_int(std::string_view what) {
  auto f = next();
  if (!f || f->empty()) return make_error(std::string(what) + " is missing");
  return to_int(f->text, what);
}

Result<std::optional<int>> FieldReader::next_opt_int(std::string_view what) {
  auto f = next();
  if (!f || f->empty()) return std::optional<int>{};
  auto v = to_int(f->text, what);
  if (!v) return make_error(v.error());
  return std::optional<int>{*v};
}

Result<std::string> FieldReader::next_string(std::string_view what) {
  auto f = next();
  if (!f) return make_error(std::string(what) + " is missing");
  return std::move(f->text);
}

std::vector<Field> split_fields(std::string_view text) {
  std::vector<Field> out;
  FieldReader r(text);
  // Bounded: a line is at most Lexer::default_max_line bytes, so at most
  // that many fields; the cap guards direct callers with bigger input.
  while (auto f = r.next()) {
    out.push_back(std::move(*f));
    if (out.size() >= 4096) break;
  }
  return out;
}

// ---- Typed results -------------------------------------------------------------

Result<int> parse_cmgs(std::string_view line) {
  FieldReader r(strip_prefix(line));
  auto mr = r.next_int("<mr>");
  if (!mr) return at(line, mr.error());
  if (*mr < 0 || *mr > 65535) return at(line, "<mr> out of range: " + std::to_string(*mr));
  return *mr;
}

namespace {
SignalQuality signal_from_rssi(int rssi, int ber) {
  SignalQuality q;
  q.rssi = rssi;
  q.ber = ber;
  if (rssi >= 0 && rssi <= 31) q.dbm = -113 + 2 * rssi;  // 27.007 8.5: 0 is -113 dBm or less, 31 is -51 or more
  return q;
}
}  // namespace

Result<SignalQuality> parse_csq(std::string_view line) {
  FieldReader r(strip_prefix(line));
  auto rssi = r.next_int("<rssi>");
  if (!rssi) return at(line, rssi.error());
  auto ber = r.next_opt_int("<ber>");
  if (!ber) return at(line, ber.error());
  if (!((*rssi >= 0 && *rssi <= 31) || *rssi == 99))
    return at(line, "<rssi> out of range 0..31/99: " + std::to_string(*rssi));
  return signal_from_rssi(*rssi, ber->value_or(99));
}

Result<SignalQuality> parse_huawei_rssi(std::string_view line) {
  FieldReader r(strip_prefix(line));
  auto rssi = r.next_int("<rssi>");
  if (!rssi) return at(line, rssi.error());
  if (!((*rssi >= 0 && *rssi <= 31) || *rssi == 99))
    return at(line, "<rssi> out of range 0..31/99: " + std::to_string(*rssi));
  return signal_from_rssi(*rssi, 99);
}

bool creg_is_urc_shape(std::string_view line) {
  const auto f = split_fields(strip_prefix(line));
  if (f.size() == 1) return true;
  if (f.size() >= 2 && f[1].quoted) return true;   // stat,"lac","ci"
  if (f.size() == 3) return true;                  // stat,lac,ci unquoted
  return false;
}

Result<Registration> parse_creg(std::string_view line) {
  const auto f = split_fields(strip_prefix(line));
  if (f.empty()) return at(line, std::string("<stat> is missing"));
  Registration reg;
  std::size_t i = 0;
  if (!creg_is_urc_shape(line)) {
    auto n = to_int(f[0].text, "<n>");
    if (!n) return at(line, n.error());
    reg.n = *n;
    i = 1;
  }
  auto stat = to_int(f[i].text, "<stat>");
  if (!stat) return at(line, stat.error());
  if (*stat < 0 || *stat > 11) return at(line, "<stat> out of range 0..11: " + std::to_string(*stat));
  reg.stat = *stat;
  if (f.size() > i + 1) reg.lac = f[i + 1].text;
  if (f.size() > i + 2) reg.ci = f[i + 2].text;
  if (f.size() > i + 3 && !f[i + 3].empty()) {
    auto act = to_int(f[i + 3].text, "<AcT>");
    if (!act) return at(line, act.error());
    reg.act = *act;
  }
  return reg;
}

Result<std::string> parse_cpin(std::string_view line) {
  std::string_view v = strip_prefix(line);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  v = trim(v);
  if (v.empty()) return at(line, std::string("<code> is missing"));
  return std::string(v);
}

Result<std::vector<StorageUse>> parse_cpms(std::string_view line) {
  const auto f = split_fields(strip_prefix(line));
  std::vector<StorageUse> out;
  const bool named = !f.empty() && f[0].quoted;
  const std::size_t group = named ? 3 : 2;
  if (f.size() < group) return at(line, "expected <used>,<total> (got " + std::to_string(f.size()) + " fields)");
  for (std::size_t i = 0; i + group <= f.size() && out.size() < 3; i += group) {
    StorageUse s;
    std::size_t k = i;
    if (named) s.name = f[k++].text;
    auto used = to_int(f[k].text, "<used>");
    if (!used) return at(line, used.error());
    auto total = to_int(f[k + 1].text, "<total>");
    if (!total) return at(line, total.error());
    if (*used < 0 || *total < 0) return at(line, std::string("negative count"));
    s.used = *used;
    s.total = *total;
    out.push_back(std::move(s));
  }
  return out;
}

Result<OperatorInfo> parse_cops(std::string_view line) {
  FieldReader r(strip_prefix(line));
  OperatorInfo op;
  auto mode = r.next_int("<mode>");
  if (!mode) return at(line, mode.error());
  op.mode = *mode;
  auto format = r.next_opt_int("<format>");
  if (!format) return at(line, format.error());
  op.format = *format;
  if (auto name = r.next()) op.name = std::move(name->text);
  auto act = r.next_opt_int("<AcT>");
  if (!act) return at(line, act.error());
  op.act = *act;
  return op;
}

Result<ServiceCentre> parse_csca(std::string_view line) {
  FieldReader r(strip_prefix(line));
  ServiceCentre sc;
  auto num = r.next();
  if (!num) return at(line, std::string("<sca> is missing"));
  sc.number = std::move(num->text);
  auto type = r.next_opt_int("<tosca>");
  if (!type) return at(line, type.error());
  sc.type = *type;
  return sc;
}

Result<StoredAt> parse_cmti(std::string_view line) {
  FieldReader r(strip_prefix(line));
  StoredAt s;
  auto mem = r.next();
  if (!mem || mem->empty()) return at(line, std::string("<mem> is missing"));
  s.storage = std::move(mem->text);
  auto index = r.next_int("<index>");
  if (!index) return at(line, index.error());
  if (*index < 0) return at(line, "negative <index>: " + std::to_string(*index));
  s.index = *index;
  return s;
}

namespace {
// PDU-mode headers end with <length>; what precedes it varies by modem
// (stat missing on some ZTE firmwares, alpha omitted entirely), so the
// fields are read from both ends.
Result<ListHeader> parse_list_header(std::string_view line, bool with_index) {
  const auto f = split_fields(strip_prefix(line));
  const std::size_t min = with_index ? 2 : 1;
  if (f.size() < min) return at(line, "expected " + std::string(with_index ? "<index>," : "") + "<stat>,[<alpha>],<length>");
  ListHeader h;
  std::size_t i = 0;
  if (with_index) {
    auto index = to_int(f[0].text, "<index>");
    if (!index) return at(line, index.error());
    if (*index < 0) return at(line, "negative <index>: " + std::to_string(*index));
    h.index = *index;
    i = 1;
  }
  auto length = to_int(f.back().text, "<length>");
  if (!length) return at(line, length.error());
  if (*length < 0 || *length > 255) return at(line, "<length> out of range 0..255: " + std::to_string(*length));
  h.length = *length;
  const std::size_t last = f.size() - 1;
  if (i < last && !f[i].empty()) {
    auto stat = to_int(f[i].text, "<stat>");
    if (!stat) return at(line, stat.error());
    h.stat = *stat;
  }
  if (i + 1 < last) h.alpha = f[i + 1].text;
  return h;
}
}  // namespace

Result<ListHeader> parse_cmgl(std::string_view line) { return parse_list_header(line, true); }
Result<ListHeader> parse_cmgr(std::string_view line) { return parse_list_header(line, false); }

Result<DirectHeader> parse_cmt(std::string_view line) {
  const auto f = split_fields(strip_prefix(line));
  if (f.empty()) return at(line, std::string("<length> is missing"));
  DirectHeader h;
  auto length = to_int(f.back().text, "<length>");
  if (!length) return at(line, length.error());
  if (*length < 0 || *length > 255) return at(line, "<length> out of range 0..255: " + std::to_string(*length));
  h.length = *length;
  if (f.size() >= 2) h.alpha = f[0].text;
  return h;
}

Result<DirectHeader> parse_cds(std::string_view line) {
  auto h = parse_cmt(line);
  if (h) h->alpha.clear();
  return h;
}

Result<std::vector<int>> parse_range_list(std::string_view text) {
  std::string_view t = trim(text);
  if (!t.empty() && t.front() == '(') t.remove_prefix(1);
  if (!t.empty() && t.back() == ')') t.remove_suffix(1);
  std::vector<int> out;
  while (!trim(t).empty()) {
    const std::size_t comma = t.find(',');
    const std::string_view item = trim(t.substr(0, comma));
    t = comma == std::string_view::npos ? std::string_view{} : t.substr(comma + 1);
    if (item.empty()) continue;
    const std::size_t dash = item.find('-');
    auto lo = to_int(item.substr(0, dash), "range start");
    if (!lo) return make_error(lo.error() + " in " + quoted(text));
    int hi = *lo;
    if (dash != std::string_view::npos) {
      auto h = to_int(item.substr(dash + 1), "range end");
      if (!h) return make_error(h.error() + " in " + quoted(text));
      hi = *h;
    }
    if (hi < *lo) return make_error("range end below start in " + quoted(text));
    for (long v = *lo; v <= hi; ++v) {
      if (out.size() >= 256) return make_error("more than 256 values in " + quoted(text));
      out.push_back(static_cast<int>(v));
    }
  }
  return out;
}

bool CnmiSupport::supports(std::size_t param, int value) const noexcept {
  if (param >= values.size()) return false;
  for (int v : values[param])
    if (v == value) return true;
  return false;
}

Result<CnmiSupport> parse_cnmi_test(std::string_view line) {
  const auto f = split_fields(strip_prefix(line));
  if (f.empty()) return at(line, std::string("no parameter ranges"));
  CnmiSupport s;
  for (const auto& field : f) {
    auto list = parse_range_list(field.text);
    if (!list) return at(line, list.error());
    s.values.push_back(std::move(*list));
  }
  return s;
}

Result<int> parse_cmms(std::string_view line) {
  FieldReader r(strip_prefix(line));
  auto n = r.next_int("<n>");
  if (!n) return at(line, n.error());
  return *n;
}

}  // namespace sms::at

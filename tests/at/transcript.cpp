#include "tests/at/transcript.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "modem/at/parser.hpp"

namespace sms::at::test {

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 1 >= s.size()) throw std::runtime_error("dangling backslash");
    const char e = s[++i];
    switch (e) {
      case 'r': out.push_back('\r'); break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case '\\': out.push_back('\\'); break;
      case 'x': {
        const int hi = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
        const int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
        if (hi < 0 || lo < 0) throw std::runtime_error("bad \\x escape");
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        break;
      }
      default: throw std::runtime_error(std::string("unknown escape \\") + e);
    }
  }
  return out;
}

Transcript parse_transcript(std::string_view text, std::string name) {
  Transcript t;
  t.name = std::move(name);
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    try {
      if (line.starts_with("#")) {
        auto meta = [&](std::string_view key, std::string& into) {
          if (line.starts_with(key) && into.empty()) into = std::string(line.substr(key.size()));
        };
        meta("# name: ", t.name);
        meta("# family: ", t.family);
      } else if (line == ">abandon") {
        t.steps.push_back({Step::Kind::abandon, {}});
      } else if (line.starts_with(">pdu ")) {
        t.steps.push_back({Step::Kind::pdu, unescape(line.substr(5))});
      } else if (line.starts_with("> ")) {
        t.steps.push_back({Step::Kind::command, std::string(line.substr(2))});
      } else if (line.starts_with("< ")) {
        t.steps.push_back({Step::Kind::bytes, unescape(line.substr(2))});
      } else if (line.starts_with("= ")) {
        t.expected.emplace_back(line.substr(2));
      } else {
        throw std::runtime_error("line must start with #, >, >pdu, >abandon, < or =");
      }
    } catch (const std::exception& e) {
      throw std::runtime_error(t.name + " line " + std::to_string(line_no) + ": " + e.what());
    }
  }
  return t;
}

Transcript load_transcript(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string base = path.substr(path.find_last_of('/') + 1);
  Transcript t = parse_transcript(ss.str());
  if (t.name.empty()) t.name = base;
  else t.name = base + " (" + t.name + ")";
  return t;
}

std::vector<std::string> run_transcript(const Transcript& t, Split split) {
  Parser p;
  std::vector<Event> events;
  std::size_t segment = 0;
  for (const auto& s : t.steps) {
    switch (s.kind) {
      case Step::Kind::command: p.begin(command_for(s.data)); break;
      case Step::Kind::pdu: p.pdu_written(s.data); break;
      case Step::Kind::abandon: p.abandon(); break;
      case Step::Kind::bytes: {
        const std::string_view b = s.data;
        if (split.mode == Split::Mode::bytewise) {
          for (std::size_t i = 0; i < b.size(); ++i) p.feed(b.substr(i, 1), events);
        } else if (split.mode == Split::Mode::random) {
          // Deterministic chunk sizes 1..17 from a small LCG seeded by `position`.
          std::uint32_t state = static_cast<std::uint32_t>(split.position * 2654435761u + segment);
          std::size_t i = 0;
          while (i < b.size()) {
            state = state * 1664525u + 1013904223u;
            const std::size_t n = 1 + (state >> 16) % 17;
            p.feed(b.substr(i, n), events);
            i += n;
          }
        } else if (split.mode == Split::Mode::at && segment == split.segment) {
          p.feed(b.substr(0, split.position), events);
          p.feed(b.substr(split.position), events);
        } else {
          p.feed(b, events);
        }
        ++segment;
        break;
      }
    }
  }
  std::vector<std::string> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(to_string(e));
  return out;
}

std::string check_all_splits(const Transcript& t) {
  const auto whole = run_transcript(t);
  auto differs = [&](const std::vector<std::string>& got, const std::string& how) -> std::string {
    if (got == whole) return {};
    std::string msg = how + ": events differ from the whole feed\n";
    for (std::size_t i = 0; i < std::max(got.size(), whole.size()); ++i) {
      msg += "  whole: " + (i < whole.size() ? whole[i] : "-") + "\n";
      msg += "  split: " + (i < got.size() ? got[i] : "-") + "\n";
    }
    return msg;
  };
  if (auto d = differs(run_transcript(t, {Split::Mode::bytewise, 0, 0}), "byte by byte"); !d.empty()) return d;
  for (std::size_t seed = 1; seed <= 20; ++seed) {
    if (auto d = differs(run_transcript(t, {Split::Mode::random, 0, seed}), "random chunks, seed " + std::to_string(seed));
        !d.empty())
      return d;
  }
  std::size_t segment = 0;
  for (const auto& s : t.steps) {
    if (s.kind != Step::Kind::bytes) continue;
    for (std::size_t pos = 0; pos <= s.data.size(); ++pos) {
      const auto got = run_transcript(t, {Split::Mode::at, segment, pos});
      if (auto d = differs(got, "bytes step " + std::to_string(segment) + " cut at " + std::to_string(pos));
          !d.empty())
        return d;
    }
    ++segment;
  }
  return {};
}

}  // namespace sms::at::test

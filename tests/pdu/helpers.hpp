#pragma once
// Small helpers shared by the PDU tests.
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "modem/pdu/pdu.hpp"

namespace pdutest {

inline std::vector<std::uint8_t> unhex(const std::string& hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

inline std::string hex_to_text(const std::string& hex) {
  auto b = unhex(hex);
  return std::string(b.begin(), b.end());
}

inline std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// The SCTS as the SMSC wrote it (local time), for comparing with decoders
// that do not apply the offset.
inline std::string local_time(const sms::pdu::Timestamp& t) {
  sms::pdu::Timestamp local{t.utc_seconds + t.offset_minutes * 60LL, 0};
  return sms::pdu::format_utc(local);
}

struct Vector {
  std::string name;
  bool smsc = true;
  std::string hex;
  std::map<std::string, std::string> fields;
};

// Reads the tab-separated vector files of tests/data/pdu (see make_gammu_vectors.py).
inline std::vector<Vector> read_vectors(const std::string& path) {
  std::vector<Vector> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() < 3) continue;
    Vector v{cols[0], cols[1] == "1", cols[2], {}};
    for (std::size_t i = 3; i < cols.size(); ++i) {
      auto eq = cols[i].find('=');
      if (eq != std::string::npos) v.fields[cols[i].substr(0, eq)] = cols[i].substr(eq + 1);
    }
    out.push_back(v);
  }
  return out;
}

// Decodes every part and joins the texts; checks concat headers on the way.
inline std::string join_parts(const sms::pdu::EncodedMessage& m, std::vector<sms::pdu::Message>* decoded = nullptr) {
  std::string text;
  for (const auto& p : m.parts) {
    auto d = sms::pdu::decode(p.hex, sms::pdu::SmscField::present);
    if (!d) return "<decode error: " + d.error() + ">";
    text += d->text;
    if (decoded) decoded->push_back(*d);
  }
  return text;
}

}  // namespace pdutest

#pragma once
// A SimModem on a fake clock: tests type bytes and read what the modem says.
#include <cstdint>
#include <string>
#include <string_view>

#include "modem/sim/sim_modem.hpp"

namespace simtest {

// "hellohello" to +46708251358, relative VP 0xAA (4 days): the classic
// 27.005 example PDU (SMSC field "00" + 23-octet TPDU).
inline constexpr std::string_view kHelloPdu = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";
inline constexpr int kHelloLen = 23;

inline sms::sim::Options base_options() {
  sms::sim::Options o;
  o.wall_ms = [] { return std::int64_t{1795000000000}; };  // 2026-11-18 11:06:40 UTC, fixed
  return o;
}

struct Rig {
  explicit Rig(sms::sim::Options o = base_options(), bool echo_off = true) : m(std::move(o)) {
    m.start(t);
    boot = m.take_output();
    if (echo_off) {
      m.feed("ATE0\r", t);
      m.take_output();
    }
  }
  // Types `s` and returns everything the modem printed in response.
  std::string type(std::string_view s) {
    m.feed(s, t);
    return m.take_output();
  }
  // Lets `ms` pass and returns what the modem printed meanwhile.
  std::string wait(std::int64_t ms) {
    t += ms;
    m.advance(t);
    return m.take_output();
  }
  // A full AT+CMGS exchange for the example PDU; returns the answer after Ctrl-Z.
  std::string submit(std::string_view pdu = kHelloPdu, int len = kHelloLen) {
    std::string p = type("AT+CMGS=" + std::to_string(len) + "\r");
    if (p != "\r\n> ") return "no prompt: " + p;
    return type(std::string(pdu) + "\x1a");
  }
  std::int64_t t = 0;
  sms::sim::SimModem m;
  std::string boot;
};

}  // namespace simtest

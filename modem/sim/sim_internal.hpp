#pragma once
// Shared between the core's source files only.
#include <string>
#include <vector>

#include "modem/sim/sim_modem.hpp"

namespace sms::sim {

struct SimModem::Cmd {
  enum Type { exec, query, test, set };
  std::string name;              // "+CMGS", "^CURC", "E", "Z", "&F"; "" for a bare "AT"
  Type type = exec;
  int num = -1;                  // basic commands: the digits after the letter (ATE0 -> 0)
  std::string raw;               // extended set form: everything after '='
  std::vector<std::string> args; // raw split at commas outside quotes, quotes removed, trimmed
};

struct SimModem::Reply {
  std::vector<std::string> lines;  // information text lines
  std::string final = "OK";
};

// Parses an AT command line (without the trailing CR) into its commands
// (several may be chained: "AT+CMGF=0;+CMEE=1", "ATE0V1"). Returns false
// when the line is not a command line at all (no "AT": ignored, as modems
// do) and sets `bad` when it starts with AT but cannot be parsed.
bool parse_command_line(std::string_view line, std::vector<SimModem::Cmd>& out, bool& bad);

bool parse_int(std::string_view s, int& out);
bool is_hex(std::string_view s);

}  // namespace sms::sim

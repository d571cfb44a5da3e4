#pragma once
// The modemsim command line (README.md), parsed into Options.
#include <string>

#include "modem/sim/options.hpp"

namespace sms::sim {

enum class CliResult { run, help, error };
CliResult parse_cli(int argc, char** argv, Options& opt, std::string& link, std::string& error);
std::string cli_help();

}  // namespace sms::sim

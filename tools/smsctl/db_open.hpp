#pragma once
// How the database commands find the database: the config file's
// <database url>, or --db PATH (for scripts and tests).
#include <optional>
#include <string>

#include "db/store.hpp"
#include "tools/smsctl/args.hpp"
#include "tools/smsctl/commands.hpp"

namespace smsctl {

struct DbTarget {
  std::string path;
  int busy_timeout_ms = 10000;
  int max_parts = 10;   // the server's part limit (send validates against it)
};

// Thrown when the configuration cannot be read: the command exits 2.
struct ConfigProblem : std::runtime_error {
  using std::runtime_error::runtime_error;
};

DbTarget find_database(const Context& ctx, const std::optional<std::string>& db_override);

}  // namespace smsctl

#pragma once
// How the database commands find the database and the configuration: the
// config file's <database url>, or --db PATH (for scripts and tests). With
// --db the config file is read only when --config names one, for the
// policy and the time zone.
#include <optional>
#include <string>

#include "db/store.hpp"
#include "src/policy/policy.hpp"
#include "tools/smsctl/args.hpp"
#include "tools/smsctl/commands.hpp"

namespace smsctl {

struct DbTarget {
  std::string path;
  int busy_timeout_ms = 10000;
  int max_parts = 10;   // the server's part limit (send validates against it)
  // From the config file (defaults when --db is used without --config):
  bool has_config = false;
  std::string timezone;                // <smserver timezone>; "" = the system's
  sms::policy::Policy policy;          // <policy>
  bool policy_present = false;
};

// Thrown when the configuration cannot be read: the command exits 2.
struct ConfigProblem : std::runtime_error {
  using std::runtime_error::runtime_error;
};

DbTarget find_database(const Context& ctx, const std::optional<std::string>& db_override);

}  // namespace smsctl

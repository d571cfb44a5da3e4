#include "tools/smsctl/db_open.hpp"

#include "src/config/config.hpp"

namespace smsctl {

DbTarget find_database(const Context& ctx, const std::optional<std::string>& db_override) {
  DbTarget t;
  if (db_override && db_override->empty()) throw ConfigProblem("--db needs a file name");
  if (!db_override || ctx.config_given) {
    const std::string path = ctx.config_given ? ctx.config_path : sms::config::default_path();
    try {
      sms::config::Config cfg = sms::config::load(path);
      t.path = cfg.database.url;
      t.busy_timeout_ms = cfg.database.busy_timeout_ms;
      t.max_parts = cfg.dispatch.max_parts;
      t.timezone = cfg.timezone;
      t.policy = std::move(cfg.policy);
      t.policy_present = cfg.policy_present;
      t.has_config = true;
    } catch (const sms::config::ConfigError& e) {
      throw ConfigProblem(e.what());
    } catch (const std::exception& e) {
      throw ConfigProblem(path + ": " + e.what());
    }
    if (!db_override && t.path.empty()) throw ConfigProblem(path + ": <database url> is empty");
  }
  if (db_override) t.path = *db_override;
  return t;
}

}  // namespace smsctl

#pragma once
// The schema migrations, embedded at build time from db/schema/NNN_*.sql
// (see db/embed_schema.cmake). Migration N brings a database from
// user_version N-1 to N; they are applied in order, each exactly once.
#include <cstddef>

namespace sms::db::schema {

struct Migration {
  int version;
  const char* file;
  const char* sql;
};
extern const Migration kMigrations[];
extern const std::size_t kMigrationCount;

// The newest schema version this build knows.
inline int latest_version() { return kMigrationCount ? kMigrations[kMigrationCount - 1].version : 0; }

}  // namespace sms::db::schema

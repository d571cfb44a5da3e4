#pragma once
// What the database commands share: opening the configuration and the
// database, local time (TZ from <smserver timezone>, --utc), TIME options,
// message ids, output formats, the actor.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "db/store.hpp"
#include "tools/smsctl/args.hpp"
#include "tools/smsctl/commands.hpp"
#include "tools/smsctl/db_open.hpp"
#include "tools/smsctl/db_time.hpp"

namespace smsctl {

extern const char* const kDbOption;     // help line of --db
extern const char* const kTimeHelp;     // TIME forms and how times are shown
extern const char* const kUtcOption;    // help line of --utc

// Reads the configuration (or takes --db), then makes local time the
// configured zone: TZ = <smserver timezone> (when set), so TIME options are
// read and stored times shown in it. With --utc (the command's flag or the
// global option) both are UTC instead. Call before parsing TIME options.
DbTarget open_config(const Context& ctx, const Args& a);
// The second half of open_config: TZ and --utc for an already found target.
void apply_local_time(const Context& ctx, const Args& a, const DbTarget& t);
sms::db::Store open_store(const DbTarget& t);

// A TIME option as UTC text for the store ("" if absent and no fallback).
std::string time_arg(const Args& a, const std::string& name, Bound bound, const std::string& fallback);

// Positive whole numbers; throws UsageError.
std::vector<std::int64_t> ids_of(const Words& positional, const char* what = "message id");
std::int64_t id_of(const std::string& word, const char* what);

enum class Format { table, json, csv };
Format format_of(const Args& a);

std::string json_or_null(const std::string& s);
std::string join(const Words& words);

// Runs a database command: ConfigProblem exits 2, StoreError 1 (one line on stderr).
int run_db_command(const std::string& name, const std::function<int()>& body);

// The audit "details" of a message text: its first characters, on one line.
std::string text_excerpt(const std::string& text, int max_width = 40);

}  // namespace smsctl

#pragma once
// smserver's public C++ API, for programs that embed the SMS server or talk to
// its database. Link the CMake target `smserver` and include <smserver/smserver.hpp>.
//
// Two halves, in the spirit of the original Java server (JSMServer):
//   * smserver::Server   runs the server in this process: one thread per modem,
//                        exactly as the smserver daemon does.
//   * smserver::Database reads and writes the same SQLite database; usable with
//                        or without a running Server (in this process, in the
//                        daemon, or in no process at all).
//
// Naming (Java server -> this API):
//   new JSMServer(config).start()           -> smserver::Server(config_path)
//   JSMServer.terminate()                   -> Server::terminate()
//   sendMessage / insertOutMessage          -> Database::enqueue()
//   findInMessageByTime(from, to)           -> Database::find_in_messages(from, to)
//   findOutMessageByTime(from, to)          -> Database::find_out_messages(from, to)
//   setInMessageProcessed(id) / distribute  -> Database::set_processed(id)
//
// Times are UTC text "YYYY-MM-DD HH:MM:SS[.SSS]" everywhere (what the database
// stores); smserver::utc_now() and smserver::utc_in() produce them.
//
// Errors: functions throw smserver::Error (a std::runtime_error whose what()
// says what failed, where and why). Destructors never throw.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sms::config {
struct Config;
}

namespace smserver {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A message to queue (one row of the outbox).
struct NewMessage {
  std::string recipient;                 // "+8613800138000", "10086"
  std::string text;                      // UTF-8; split into parts by the server
  int priority = 0;                      // higher goes first
  std::string send_at;                   // UTC; "" = now
  std::string modem;                     // preferred modem id; "" = any
  bool status_report = false;            // request a delivery report
  bool flash = false;                    // class 0 message
  std::optional<int> validity_minutes;   // how long the network keeps trying
  std::string ref;                       // your own reference, stored as is
  // The sending policy (docs/CONFIG.md, "Sending policy"):
  std::string kind;                      // "notice" or "bulk"; "" = <policy defaultKind>
  std::int64_t batch = 0;                // a batch from Database::create_batch; 0 = none
};

// A row of the outbox. status is one of: queued, sending, sent, delivered,
// undelivered, failed, cancelled, unknown.
struct OutMessage {
  std::int64_t id = 0;
  std::string recipient, text, status, ref;
  int priority = 0;
  std::string send_at, created_at, updated_at, sent_at;
  int attempts = 0;
  std::string last_error;  // why it failed / was retried, in words
  int parts = 0;
  std::string modem;       // the modem that sent it
  std::string delivery_status, delivered_at;
  std::string refs;        // the network's message reference of each part once sent: "17" or "17,18,19"
  // The sending policy:
  std::string kind;        // "notice", "bulk", or "" (NULL: <policy defaultKind>)
  std::int64_t batch = 0;
  std::string reason;      // why it is blocked, deferred, waiting for approval or rejected
  std::string submitted_by, approved_by, approved_at;
};

// An approval or rejection: every id is changed or refused with the reason.
struct ApprovalResult {
  std::vector<std::int64_t> changed;
  std::vector<std::pair<std::int64_t, std::string>> refused;
};

// A row of the inbox (multipart messages already joined).
struct InMessage {
  std::int64_t id = 0;
  std::string sender;       // "+8613912345678", "10086" or an alphanumeric name
  std::string text;
  std::string received_at;  // the SMSC's timestamp, UTC
  std::string stored_at;    // when the server committed it, UTC
  std::string modem, smsc;
  int parts = 1;
  bool processed = false;   // the Java server's "distributed" flag
  bool partial = false;     // some parts never arrived
  bool truncated = false;   // the modem cut a PDU short: text is what was there
};

// The running server. Construction starts it; terminate() (or the destructor)
// stops it: every thread ends and every port closes before it returns.
// Threading: construct, terminate and destroy from one thread.
class Server {
 public:
  // Reads the configuration file (smserver.xml) and starts. Throws Error for
  // an invalid configuration ("FILE:LINE: ..."), a database that cannot be
  // opened, or a simulator pty that cannot be created.
  explicit Server(const std::string& config_path);
  // Starts from an already loaded configuration (see src/config/config.hpp).
  explicit Server(const sms::config::Config& config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Stops claiming messages, gives back what was claimed but not yet handed to
  // a modem, lets a message the modem is sending finish (at most a few
  // seconds), closes the ports, joins all threads. Idempotent.
  void terminate();
  bool running() const;
  std::string database_path() const;   // the SQLite file this server uses

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Database-side functions. One Database holds one SQLite connection: use one
// Database per thread (create as many as you like; they are cheap). The
// database runs in WAL mode with a busy timeout, so these calls never fail
// with "database is locked" while a server is running.
class Database {
 public:
  // Opens the database named by a configuration file's <database url>.
  static Database from_config(const std::string& config_path);
  // Opens (creating and migrating if needed) a database file directly.
  static Database open(const std::string& db_path);
  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;

  // Queues a message; returns its outbox id. A running server notices the new
  // row within milliseconds. The row is validated when it is sent: a bad
  // recipient or text makes it 'failed' with last_error saying why.
  std::int64_t enqueue(const NewMessage& m);
  std::int64_t enqueue(const std::string& recipient, const std::string& text);

  // The sending policy. Every change made through this object is written to
  // the audit log under `actor` (default: the OS user running the program)
  // and becomes the submitted_by of the messages it queues.
  void set_actor(const std::string& actor);
  const std::string& actor() const;
  std::int64_t create_batch(const std::string& kind, const std::string& note = "");
  // Messages waiting for approval (status pending_approval).
  std::vector<OutMessage> pending_approval();
  // four_eyes: refuse messages the actor submitted (<approval fourEyes="true">).
  ApprovalResult approve(const std::vector<std::int64_t>& ids, const std::string& note = "", bool four_eyes = false);
  ApprovalResult reject(const std::vector<std::int64_t>& ids, const std::string& note);

  // Received messages with received_at in [from, to) (UTC), oldest first.
  // Java: findInMessageByTime(from, to).
  std::vector<InMessage> find_in_messages(const std::string& from_utc, const std::string& to_utc,
                                          bool unprocessed_only = false);
  // Outbound messages with created_at in [from, to) (UTC); status "" = any.
  std::vector<OutMessage> find_out_messages(const std::string& from_utc, const std::string& to_utc,
                                            const std::string& status = "");
  std::optional<OutMessage> get_out_message(std::int64_t id);
  // Marks an inbound message processed; false if no such id.
  bool set_processed(std::int64_t inbox_id, bool processed = true);

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "YYYY-MM-DD HH:MM:SS.SSS" (UTC) now, or offset by seconds (negative: past).
std::string utc_now();
std::string utc_in(int seconds_from_now);

}  // namespace smserver
